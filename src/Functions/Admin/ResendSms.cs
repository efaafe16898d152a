using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/applications/{id}/sms/{messageId}/resend: resend a failed SMS. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ResendSms
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ResendSms))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/applications/{id}/sms/{messageId}/resend")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ResendSms), client);
}
