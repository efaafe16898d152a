using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Reviews;

/// <summary>GET /api/reviews/summary: count the reviewer's applications. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetReviewSummary
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(GetReviewSummary))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reviews/summary")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetReviewSummary), client);
}
