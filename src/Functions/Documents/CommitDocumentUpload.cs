using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>POST /api/applications/{id}/documents/{documentId}/commit: commit a direct upload. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class CommitDocumentUpload
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(CommitDocumentUpload))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/documents/{documentId}/commit")] HttpRequest req) => HttpFunctions.Run(nameof(CommitDocumentUpload));
}
