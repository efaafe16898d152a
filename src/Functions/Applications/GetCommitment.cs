using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Applications;

/// <summary>GET /api/commitments/{kind}: the commitment in force for a kind. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetCommitment
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(GetCommitment))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/commitments/{kind}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetCommitment), client);
}
