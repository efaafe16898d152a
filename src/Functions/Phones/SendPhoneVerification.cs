using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Phones;

/// <summary>POST /api/phone-verifications: text a verification code to a phone. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class SendPhoneVerification
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(SendPhoneVerification))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/phone-verifications")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(SendPhoneVerification), client);
}
