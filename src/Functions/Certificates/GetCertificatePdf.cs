using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Certificates;

/// <summary>GET /api/certificates/{number}/pdf: the electronic certificate. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetCertificatePdf
{
    /// <summary>The HTTP function (every HTTP function binds the Durable client; this one does not wake the orchestration).</summary>
    [Function(nameof(GetCertificatePdf))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/certificates/{number}/pdf")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetCertificatePdf), client);
}
