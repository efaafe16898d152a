using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Documents;

/// <summary>DELETE /api/applications/{id}/documents/{documentId}: delete a document. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DeleteDocument
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(DeleteDocument))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/applications/{id}/documents/{documentId}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(DeleteDocument), client);
}
