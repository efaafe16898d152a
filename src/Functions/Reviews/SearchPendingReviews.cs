using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/reviews/search: search the review queue by ID number. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class SearchPendingReviews
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(SearchPendingReviews))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reviews/search")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(SearchPendingReviews), client);
}
