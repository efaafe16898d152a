using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/timers/rebuild: rebuild the review-clock timers. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class RebuildTimers
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(RebuildTimers))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/timers/rebuild")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(RebuildTimers), client);
}
