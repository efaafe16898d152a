using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/applications/{id}/extend-deadline: extend the review deadline. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ExtendDeadline
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ExtendDeadline))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/extend-deadline")] HttpRequest req) => HttpFunctions.Run(nameof(ExtendDeadline));
}
