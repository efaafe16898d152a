using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.PublicNotices;

/// <summary>POST /api/applications/{id}/objections/{objectionId}/decision: decide an objection. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DecideObjection
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation wakes).</summary>
    [Function(nameof(DecideObjection))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/objections/{objectionId}/decision")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(DecideObjection), client);
}
