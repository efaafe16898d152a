using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/orchestrations/{id}/restart: restart an application's review orchestration. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class RestartOrchestration
{
    /// <summary>The HTTP function (the Durable client is the one it starts or wakes the instance with).</summary>
    [Function(nameof(RestartOrchestration))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/orchestrations/{id}/restart")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(RestartOrchestration), client);
}
