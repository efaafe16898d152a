using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Applications;

/// <summary>PUT /api/applications/{id}: edit an application. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class EditApplication
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(EditApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/applications/{id}")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(EditApplication), client);
}
