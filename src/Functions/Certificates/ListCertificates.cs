using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Certificates;

/// <summary>GET /api/certificates: list a holder's certificates (deprecated). The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListCertificates
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ListCertificates))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/certificates")] HttpRequest req) => HttpFunctions.Run(nameof(ListCertificates));
}
