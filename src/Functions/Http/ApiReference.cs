using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Http;

/// <summary>GET /api/docs: the API reference to browse (Scalar), with its assets; it reads GET /openapi/v1.json.</summary>
public sealed class ApiReference
{
    /// <summary>The HTTP function (the reference's endpoints are unnamed: the one whose route matches runs).</summary>
    [Function(nameof(ApiReference))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/docs/{*path}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ApiReference), client);
}
