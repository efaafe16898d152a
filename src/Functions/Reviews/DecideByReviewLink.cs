using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/review-links/{token}: decide through a review link. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DecideByReviewLink
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(DecideByReviewLink))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/review-links/{token}")] HttpRequest req) => HttpFunctions.Run(nameof(DecideByReviewLink));
}
