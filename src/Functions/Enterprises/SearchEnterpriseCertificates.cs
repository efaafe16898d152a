using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>POST /api/enterprises/{uscc}/certificates/search: search an enterprise's certificates by holder. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class SearchEnterpriseCertificates
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(SearchEnterpriseCertificates))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/enterprises/{uscc}/certificates/search")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(SearchEnterpriseCertificates), client);
}
