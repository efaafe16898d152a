using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Applications;

/// <summary>POST /api/applications/{id}/confirm: the other party confirms or refuses an application. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ConfirmApplication
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ConfirmApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/confirm")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ConfirmApplication), client);
}
