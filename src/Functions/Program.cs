using Microsoft.Azure.Functions.Worker.Builder;

namespace FuncRegistry.Functions;

/// <summary>The isolated worker the Functions host starts.</summary>
internal static class WorkerProgram
{
    /// <summary>
    /// ASP.NET Core integration for HTTP triggers, the app's services, the start-up checks, then
    /// the functions (one class per function, by feature).
    /// </summary>
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.AddFuncRegistry();
        var host = builder.Build();
        host.Services.CheckAtStartup();
        host.Run();
    }
}
