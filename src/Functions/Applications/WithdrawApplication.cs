using FuncRegistry.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Applications;

/// <summary>POST /api/applications/{id}/withdraw: withdraw an application. The operation is the endpoint of this name in <see cref="FuncRegistryApp.MapFuncRegistry"/>.</summary>
public sealed class WithdrawApplication
{
    /// <summary>The HTTP function.</summary>
    [Function(nameof(WithdrawApplication))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/withdraw")] HttpRequest req) => HttpFunctions.Run(nameof(WithdrawApplication));
}
