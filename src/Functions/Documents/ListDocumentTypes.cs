using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Documents;

/// <summary>GET /api/document-types: list document types. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListDocumentTypes
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ListDocumentTypes))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/document-types")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ListDocumentTypes), client);
}
