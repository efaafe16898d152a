using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Applications;

/// <summary>DELETE /api/applications/{id}: delete a draft. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class DeleteApplication
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(DeleteApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/applications/{id}")] HttpRequest req) => HttpFunctions.Run(nameof(DeleteApplication));
}
