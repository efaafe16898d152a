using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/applications/{id}/events/city-review: decide the city review. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DecideCityReview
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(DecideCityReview))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/events/city-review")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(DecideCityReview), client);
}
