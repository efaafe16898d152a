using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Certificates;

/// <summary>GET /api/certificates/{number}: get a certificate. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetCertificate
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(GetCertificate))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/certificates/{number}")] HttpRequest req) => HttpFunctions.Run(nameof(GetCertificate));
}
