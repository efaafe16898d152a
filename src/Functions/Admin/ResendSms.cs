using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/applications/{id}/sms/{messageId}/resend: resend a failed SMS. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ResendSms
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ResendSms))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/applications/{id}/sms/{messageId}/resend")] HttpRequest req) => HttpFunctions.Run(nameof(ResendSms));
}
