using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Certificates;

/// <summary>GET /api/verify/{number}?code=: public verification of a certificate, no sign-in. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class VerifyCertificate
{
    /// <summary>The HTTP function (every HTTP function binds the Durable client; this one does not wake the orchestration).</summary>
    [Function(nameof(VerifyCertificate))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/verify/{number}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(VerifyCertificate), client);
}
