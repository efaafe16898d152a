using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/review-links/{token}: decide through a review link. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DecideByReviewLink
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(DecideByReviewLink))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/review-links/{token}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(DecideByReviewLink), client);
}
