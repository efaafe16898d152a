using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Reviews;

/// <summary>GET /api/reviews/pending: list the review queue. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListPendingReviews
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ListPendingReviews))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reviews/pending")] HttpRequest req) => HttpFunctions.Run(nameof(ListPendingReviews));
}
