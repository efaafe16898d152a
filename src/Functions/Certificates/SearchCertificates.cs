using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Certificates;

/// <summary>POST /api/certificates/search: search a holder's certificates. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class SearchCertificates
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(SearchCertificates))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/certificates/search")] HttpRequest req) => HttpFunctions.Run(nameof(SearchCertificates));
}
