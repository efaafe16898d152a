using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.PublicNotices;

/// <summary>GET /api/public-notices: list what is under public notice. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListPublicNotices
{
    /// <summary>The HTTP function, no sign-in (the Durable client is bound into every function of the app).</summary>
    [Function(nameof(ListPublicNotices))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/public-notices")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ListPublicNotices), client);
}
