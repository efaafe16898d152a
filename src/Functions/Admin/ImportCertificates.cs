using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>POST /api/admin/certificates/import: import the certificate register. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ImportCertificates
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ImportCertificates))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/certificates/import")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ImportCertificates), client);
}
