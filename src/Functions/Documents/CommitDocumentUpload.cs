using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Documents;

/// <summary>POST /api/applications/{id}/documents/{documentId}/commit: commit a direct upload. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class CommitDocumentUpload
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(CommitDocumentUpload))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/documents/{documentId}/commit")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(CommitDocumentUpload), client);
}
