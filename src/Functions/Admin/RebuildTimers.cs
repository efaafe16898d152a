using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/timers/rebuild: rebuild the review-clock timers. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class RebuildTimers
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(RebuildTimers))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/timers/rebuild")] HttpRequest req) => HttpFunctions.Run(nameof(RebuildTimers));
}
