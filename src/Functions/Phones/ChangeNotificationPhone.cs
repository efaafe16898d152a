using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Phones;

/// <summary>PUT /api/applications/{id}/notification-phone: change the phone that receives the results. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ChangeNotificationPhone
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ChangeNotificationPhone))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/applications/{id}/notification-phone")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ChangeNotificationPhone), client);
}
