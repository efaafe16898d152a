using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>PUT /api/admin/enterprises/{uscc}: register or correct an enterprise. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class UpsertEnterprise
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(UpsertEnterprise))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/enterprises/{uscc}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(UpsertEnterprise), client);
}
