using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Reviews;

/// <summary>POST /api/applications/{id}/extend-deadline: extend the review deadline. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ExtendDeadline
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ExtendDeadline))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/extend-deadline")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ExtendDeadline), client);
}
