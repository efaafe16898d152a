using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Certificates;

/// <summary>GET /api/certificates/{number}: get a certificate. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetCertificate
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(GetCertificate))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/certificates/{number}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetCertificate), client);
}
