using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Applications;

/// <summary>GET /api/applications/{id}: get an application. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class GetApplication
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(GetApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}")] HttpRequest req) => HttpFunctions.Run(nameof(GetApplication));
}
