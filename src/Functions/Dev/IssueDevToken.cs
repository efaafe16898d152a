using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Dev;

/// <summary>POST /api/dev/tokens: issue a Development token. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class IssueDevToken
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(IssueDevToken))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/dev/tokens")] HttpRequest req) => HttpFunctions.Run(nameof(IssueDevToken));
}
