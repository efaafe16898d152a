using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.PublicNotices;

/// <summary>POST /api/public-notices/{id}/objections: object to a public notice. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class FileObjection
{
    /// <summary>The HTTP function, no sign-in (the Durable client is for the review orchestration the operation wakes).</summary>
    [Function(nameof(FileObjection))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/public-notices/{id}/objections")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(FileObjection), client);
}
