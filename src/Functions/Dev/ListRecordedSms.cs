using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Dev;

/// <summary>GET /api/dev/sms: list recorded SMS. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListRecordedSms
{
    /// <summary>The HTTP function (the Durable client is for the review orchestration the operation may wake).</summary>
    [Function(nameof(ListRecordedSms))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dev/sms")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(ListRecordedSms), client);
}
