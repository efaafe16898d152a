using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Http;

/// <summary>GET /api/health: check health. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetHealth
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(GetHealth))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req) => HttpFunctions.Run(nameof(GetHealth));
}
