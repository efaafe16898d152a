using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>GET /api/enterprises/{uscc}/certificates: list an enterprise's certificates (JSON, or CSV with Accept: text/csv). The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListEnterpriseCertificates
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ListEnterpriseCertificates))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/enterprises/{uscc}/certificates")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ListEnterpriseCertificates), client);
}
