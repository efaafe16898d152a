using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using FuncRegistry.Functions.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace FuncRegistry.DevHost;

/// <summary>The development host's Durable settings (section <c>DevHost</c>).</summary>
public sealed class DevDurableOptions
{
    /// <summary>Task hub name; default: the storage name prefix followed by <c>funcregistry</c>.</summary>
    public string? TaskHub { get; set; }

    /// <summary>Longest wait between polls of an idle queue (host.json ships 5 s; tests poll faster).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Control-queue partitions: 1, as host.json ships (the Functions extension's default is 4).</summary>
    public int PartitionCount { get; set; } = 1;

    /// <summary>
    /// How long a host owns a partition without renewing (the provider's 30 s). Tests that start a
    /// second host on the same hub (an app restart, two instances) shorten it with the two below,
    /// so the partitions change hands in a second or two rather than half a minute.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an owner renews (the provider's 10 s).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a host looks for partitions to take (the provider's 10 s).</summary>
    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a message a stopped host had fetched stays invisible before another host gets it (the provider's 5 min).</summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The Durable back end of the development host: Microsoft.DurableTask.InProcessTestHost's public
/// <see cref="TaskHubGrpcServer"/> (the gRPC sidecar service the isolated worker talks to) on a
/// loopback, HTTP/2-only port, with DurableTask.AzureStorage as its orchestration service: the
/// provider Durable Functions uses on Azure, here on the app's storage (Azurite). It stands in for
/// the Functions host's Durable extension, which serves the isolated worker the same way. A hosted
/// service, registered before the DurableTask worker's, so it listens when the worker connects.
/// The provider's Blob, Queue and Table requests are counted in the app's
/// <see cref="StorageRequestCounter"/> (<c>GET /api/dev/diagnostics</c>: what the process asks of
/// storage, orchestration included) and, apart, in the one keyed <see cref="ProviderRequests"/>
/// (<c>GET /admin/durable/storage-requests</c>), so the benchmark can tell the two shares apart.
/// </summary>
public sealed class DurableSidecar(DurableSidecar.Endpoint endpoint, IConfiguration configuration, Microsoft.Extensions.Options.IOptions<DevDurableOptions> options,
    StorageRequestCounter counter, [FromKeyedServices(DurableSidecar.ProviderRequests)] StorageRequestCounter providerCounter,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    /// <summary>The service key of the counter of the provider's requests alone.</summary>
    public const string ProviderRequests = "durable-provider";

    /// <summary>The loopback port this host's sidecar listens on, chosen when the host is built (the worker's and client's channel needs it then).</summary>
    public sealed record Endpoint(int Port)
    {
        private static readonly HashSet<int> HandedOut = [];

        /// <summary>
        /// A free loopback port below the ephemeral range (Linux hands out 32768–60999 to outgoing
        /// connections, which could take a port between this check and the sidecar's bind), never
        /// the same twice in one process (tests start several hosts at once).
        /// </summary>
        public static Endpoint Free()
        {
            lock (HandedOut)
            {
                for (var attempt = 0; attempt < 200; attempt++)
                {
                    var port = Random.Shared.Next(20_000, 32_000);
                    if (HandedOut.Contains(port)) continue;
                    try
                    {
                        using var listener = new TcpListener(IPAddress.Loopback, port);
                        listener.Start();
                    }
                    catch (SocketException) { continue; }
                    HandedOut.Add(port);
                    return new(port);
                }
            }
            throw new InvalidOperationException("no free loopback port for the Durable sidecar between 20000 and 32000");
        }
    }

    private WebApplication? _server;
    private IOrchestrationService? _dispatch;

    /// <summary>The task hub, as named by settings.</summary>
    public static string TaskHubOf(IConfiguration configuration, DevDurableOptions options) =>
        options.TaskHub is { Length: > 0 } hub ? hub : (configuration["Storage:NamePrefix"] ?? "") + "funcregistry";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var storage = configuration["Storage:ConnectionString"];
        if (string.IsNullOrEmpty(storage))
            throw new InvalidOperationException("The development host runs Durable on Storage:ConnectionString (Azurite); set it");
        var o = options.Value;
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = CountingClients(storage),
            TaskHubName = TaskHubOf(configuration, o),
            PartitionCount = o.PartitionCount,
            MaxQueuePollingInterval = o.MaxQueuePollingInterval,
            UseAppLease = false, // instances of one app share the hub (the app lease is for two app versions)
            LeaseInterval = o.LeaseInterval,
            LeaseRenewInterval = o.LeaseRenewInterval,
            LeaseAcquireInterval = o.LeaseAcquireInterval,
            ControlQueueVisibilityTimeout = o.QueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = o.QueueVisibilityTimeout,
            LoggerFactory = loggerFactory,
            WorkerId = $"devhost-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32], // unique per host: tests run several in one process
        });
        // Over gRPC, creating the task hub is fire-and-forget in the sidecar: create it up front.
        await service.CreateIfNotExistsAsync();
        _dispatch = StopOnce.Wrap(service);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "DurableSidecar" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, endpoint.Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_dispatch);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        _server = builder.Build();
        _server.MapGrpcService<TaskHubGrpcServer>();
        await _server.StartAsync(cancellationToken);
    }

    /// <summary>The provider's clients on <paramref name="storage"/>, each request (each retry too) counted twice: in the app's counter and in the provider's own.</summary>
    private StorageAccountClientProvider CountingClients(string storage)
    {
        T Counted<T>(T clientOptions, string service) where T : ClientOptions
        {
            clientOptions.AddPolicy(counter.For(service), HttpPipelinePosition.PerRetry);
            clientOptions.AddPolicy(providerCounter.For(service), HttpPipelinePosition.PerRetry);
            return clientOptions;
        }
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(storage, Counted(new BlobClientOptions(), "blob")),
            StorageServiceClientProvider.ForQueue(storage, Counted(new QueueClientOptions(), "queue")),
            StorageServiceClientProvider.ForTable(storage, Counted(new TableClientOptions(), "table")));
    }

    /// <summary>
    /// <c>GET /admin/durable/storage-requests</c>: the provider's storage requests since start, in the
    /// shape of the diagnostics' <c>storageRequests</c> (loopback only, like <c>/admin/functions</c>).
    /// </summary>
    public static void MapProviderRequests(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/durable/storage-requests", ([FromKeyedServices(ProviderRequests)] StorageRequestCounter provider) => TypedResults.Ok(provider.Snapshot()))
            .ExcludeFromDescription();

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Gracefully, awaited: the partitions are released for the next host on the hub before this
        // host is gone (the sidecar's own stop, as its application stops, is not awaited).
        if (_dispatch is not null) await _dispatch.StopAsync(isForced: false);
        if (_server is not null) await _server.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
