using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Applications;

/// <summary>POST /api/applications: file a draft application. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class CreateApplication
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(CreateApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications")] HttpRequest req) => HttpFunctions.Run(nameof(CreateApplication));
}
