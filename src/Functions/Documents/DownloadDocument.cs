using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Documents;

/// <summary>GET /api/applications/{id}/documents/{documentId}: download a document. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DownloadDocument
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(DownloadDocument))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}/documents/{documentId}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(DownloadDocument), client);
}
