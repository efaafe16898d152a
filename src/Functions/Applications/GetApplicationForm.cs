using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Applications;

/// <summary>GET /api/applications/{id}/form.pdf: the application form to print, sign and stamp. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetApplicationForm
{
    /// <summary>The HTTP function (every HTTP function binds the Durable client; this one does not wake the orchestration).</summary>
    [Function(nameof(GetApplicationForm))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}/form.pdf")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => HttpFunctions.Run(nameof(GetApplicationForm), client);
}
