using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Dev;

/// <summary>GET /api/dev/diagnostics: get process diagnostics. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetDiagnostics
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(GetDiagnostics))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dev/diagnostics")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetDiagnostics), client);
}
