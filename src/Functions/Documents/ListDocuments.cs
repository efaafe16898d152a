using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>GET /api/applications/{id}/documents: list an application's documents. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListDocuments
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ListDocuments))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}/documents")] HttpRequest req) => HttpFunctions.Run(nameof(ListDocuments));
}
