using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Admin;

/// <summary>GET /api/admin/sms/failures: the SMS parked as failed across applications. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListSmsFailures
{
    /// <summary>The HTTP function (the Durable client is bound into every function of the app).</summary>
    [Function(nameof(ListSmsFailures))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/sms/failures")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ListSmsFailures), client);
}
