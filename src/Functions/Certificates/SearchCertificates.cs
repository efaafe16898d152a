using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Certificates;

/// <summary>POST /api/certificates/search: search a holder's certificates. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class SearchCertificates
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(SearchCertificates))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/certificates/search")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(SearchCertificates), client);
}
