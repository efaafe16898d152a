using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Documents;

/// <summary>POST /api/applications/{id}/documents/uploads: begin a direct upload. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class BeginDocumentUpload
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(BeginDocumentUpload))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/documents/uploads")] HttpRequest req) => HttpFunctions.Run(nameof(BeginDocumentUpload));
}
