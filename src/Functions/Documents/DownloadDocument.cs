using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>GET /api/applications/{id}/documents/{documentId}: download a document. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DownloadDocument
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(DownloadDocument))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}/documents/{documentId}")] HttpRequest req) => HttpFunctions.Run(nameof(DownloadDocument));
}
