using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>POST /api/applications/{id}/documents: upload a document. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class UploadDocument
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(UploadDocument))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/documents")] HttpRequest req) => HttpFunctions.Run(nameof(UploadDocument));
}
