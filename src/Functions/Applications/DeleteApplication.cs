using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Applications;

/// <summary>DELETE /api/applications/{id}: delete a draft. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DeleteApplication
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(DeleteApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/applications/{id}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(DeleteApplication), client);
}
