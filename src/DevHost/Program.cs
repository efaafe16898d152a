using FuncRegistry.DevHost;
using FuncRegistry.Functions;
using FuncRegistry.Functions.Http;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;

// The development host: the Functions app's services and its HTTP functions on ASP.NET Core,
// for ./run.sh and the tests (Core Tools cannot be installed here). What it does differently from
// the Functions host is in ADR 0014.
var builder = WebApplication.CreateBuilder(args);
// The Functions app's settings files, as the worker reads them from its folder (embedded in its
// assembly); what comes after (environment, command line, a test's settings) overrides them.
builder.Configuration.Sources.Insert(0, FunctionsSettings.File("appsettings.json")!);
if (FunctionsSettings.File($"appsettings.{builder.Environment.EnvironmentName}.json") is { } environmentFile) builder.Configuration.Sources.Insert(1, environmentFile);
builder.AddFuncRegistry();

// Durable: orchestrations and activities on Microsoft.DurableTask.Worker, worker and client over
// gRPC to the in-process sidecar (DurableTask.AzureStorage on the app's storage).
var functions = FunctionCatalog.Discover(typeof(FuncRegistryApp).Assembly);
builder.Services.Configure<DevDurableOptions>(builder.Configuration.GetSection("DevHost"));
var endpoint = DurableSidecar.Endpoint.Free();
builder.Services.AddSingleton(endpoint);
builder.Services.AddKeyedSingleton<FuncRegistry.Functions.Storage.StorageRequestCounter>(DurableSidecar.ProviderRequests);
builder.Services.AddHostedService<DurableSidecar>(); // before the worker's: it must listen when the worker connects
var sidecar = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{endpoint.Port}");
IServiceProvider? root = null;
builder.Services.AddDurableTaskWorker(w =>
{
    w.UseGrpc(sidecar);
    w.AddTasks(r => DurableFunctions.Register(r, functions, () => root!));
});
builder.Services.AddDurableTaskClient(c =>
{
    c.UseGrpc(sidecar);
    c.RegisterDirectly();
});

var app = builder.Build();
root = app.Services;
app.Services.CheckAtStartup();
// The Functions host binds the client into each function ([DurableClient]); here there is one.
app.Services.GetRequiredService<FuncRegistry.Functions.Workflow.ReviewOrchestrations>().Client = app.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();

app.MapHttpFunctions(functions);
app.MapPortal(); // the reference portal's static files at /portal/ (docs/portal.md)
if (app.Environment.IsDevelopment())
{
    app.MapTimerFunctions(functions);
    DurableSidecar.MapProviderRequests(app);
}
// A path no function serves: the Functions host answers 404 too; here it is problem+json like the app's own.
app.MapFallback(http => HttpFunctions.Run("").ExecuteAsync(http));
app.Run();

/// <summary>The development host's entry point (public for the integration tests).</summary>
public partial class Program;
