using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Dev;

/// <summary>POST /api/dev/tokens: issue a Development token. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class IssueDevToken
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(IssueDevToken))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/dev/tokens")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(IssueDevToken), client);
}
