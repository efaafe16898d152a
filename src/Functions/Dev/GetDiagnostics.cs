using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Dev;

/// <summary>GET /api/dev/diagnostics: get process diagnostics. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetDiagnostics
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(GetDiagnostics))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dev/diagnostics")] HttpRequest req) => HttpFunctions.Run(nameof(GetDiagnostics));
}
