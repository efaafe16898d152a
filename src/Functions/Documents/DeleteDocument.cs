using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>DELETE /api/applications/{id}/documents/{documentId}: delete a document. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DeleteDocument
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(DeleteDocument))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/applications/{id}/documents/{documentId}")] HttpRequest req) => HttpFunctions.Run(nameof(DeleteDocument));
}
