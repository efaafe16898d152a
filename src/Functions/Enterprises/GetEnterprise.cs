using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>GET /api/enterprises/{uscc}: get an enterprise. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetEnterprise
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(GetEnterprise))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/enterprises/{uscc}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetEnterprise), client);
}
