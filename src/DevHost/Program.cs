using FuncRegistry.DevHost;
using FuncRegistry.Functions;
using FuncRegistry.Functions.Http;

// The development host: the Functions app's services and its HTTP functions on ASP.NET Core,
// for ./run.sh and the tests (Core Tools cannot be installed here). What it does differently from
// the Functions host is in ADR 0014.
var builder = WebApplication.CreateBuilder(args);
// The Functions app's settings files, as the worker reads them from its folder (embedded in its
// assembly); what comes after (environment, command line, a test's settings) overrides them.
builder.Configuration.Sources.Insert(0, FunctionsSettings.File("appsettings.json")!);
if (FunctionsSettings.File($"appsettings.{builder.Environment.EnvironmentName}.json") is { } environmentFile) builder.Configuration.Sources.Insert(1, environmentFile);
builder.AddFuncRegistry();
var app = builder.Build();
app.Services.CheckAtStartup();

var functions = FunctionCatalog.Discover(typeof(FuncRegistryApp).Assembly);
app.MapHttpFunctions(functions);
app.MapTimerFunctions(functions);
// A path no function serves: the Functions host answers 404 too; here it is problem+json like the app's own.
app.MapFallback(http => HttpFunctions.Run("").ExecuteAsync(http));
app.Run();

/// <summary>The development host's entry point (public for the integration tests).</summary>
public partial class Program;
