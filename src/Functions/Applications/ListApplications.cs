using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Applications;

/// <summary>GET /api/applications: list applications. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class ListApplications
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(ListApplications))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications")] HttpRequest req) => HttpFunctions.Run(nameof(ListApplications));
}
