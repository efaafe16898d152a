using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>GET /api/document-types: list document types. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListDocumentTypes
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ListDocumentTypes))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/document-types")] HttpRequest req) => HttpFunctions.Run(nameof(ListDocumentTypes));
}
