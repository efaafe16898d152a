using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Http;

/// <summary>GET /openapi/v1.json: get the OpenAPI document. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetOpenApiDocument
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(GetOpenApiDocument))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest req) => HttpFunctions.Run(nameof(GetOpenApiDocument));
}
