using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/applications/{id}/events/city-review: decide the city review. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DecideCityReview
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(DecideCityReview))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/events/city-review")] HttpRequest req) => HttpFunctions.Run(nameof(DecideCityReview));
}
