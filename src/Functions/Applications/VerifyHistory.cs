using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Applications;

/// <summary>GET /api/applications/{id}/history/verify: verify an application's history. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class VerifyHistory
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(VerifyHistory))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}/history/verify")] HttpRequest req) => HttpFunctions.Run(nameof(VerifyHistory));
}
