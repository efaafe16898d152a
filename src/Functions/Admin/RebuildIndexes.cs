using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/indexes/rebuild: rebuild the lists, queues and counters. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class RebuildIndexes
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(RebuildIndexes))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/indexes/rebuild")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(RebuildIndexes), client);
}
