using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>GET /api/admin/orchestrations/{id}: get an application's review orchestration. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetOrchestration
{
    /// <summary>The HTTP function (the Durable client is the one whose instance it reads).</summary>
    [Function(nameof(GetOrchestration))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/orchestrations/{id}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetOrchestration), client);
}
