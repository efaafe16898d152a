using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Reviews;

/// <summary>GET /api/reviews/pending: list the review queue. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListPendingReviews
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ListPendingReviews))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reviews/pending")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ListPendingReviews), client);
}
