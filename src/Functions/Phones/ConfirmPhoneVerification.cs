using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Phones;

/// <summary>POST /api/phone-verifications/{id}/confirm: confirm a phone verification code. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ConfirmPhoneVerification
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ConfirmPhoneVerification))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/phone-verifications/{id}/confirm")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ConfirmPhoneVerification), client);
}
