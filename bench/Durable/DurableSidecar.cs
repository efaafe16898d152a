using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// The Durable backend of the baseline, in the bench process: InProcessTestHost's public
/// <see cref="TaskHubGrpcServer"/> (the gRPC TaskHubSidecarService the isolated worker talks to)
/// served by a loopback, HTTP/2-only Kestrel, with DurableTask.AzureStorage as the orchestration
/// service. It stands in for the Functions host's Durable extension, which serves the isolated
/// worker the same way, so the worker and client code and the storage traffic are the product's
/// without Core Tools or a Functions host (the durable spike's setup).
/// </summary>
public static class DurableSidecar
{
    /// <summary>
    /// The Azure Storage provider over <paramref name="storage"/>, its Blob, Queue and Table clients
    /// counting their requests in <paramref name="counter"/>.
    /// </summary>
    public static AzureStorageOrchestrationService CreateService(string storage, string taskHub, TimeSpan maxQueuePollingInterval,
        StorageRequestCounter counter, ILoggerFactory loggerFactory)
    {
        var clients = new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(storage, counter.AddTo(new Azure.Storage.Blobs.BlobClientOptions())),
            StorageServiceClientProvider.ForQueue(storage, counter.AddTo(new Azure.Storage.Queues.QueueClientOptions())),
            StorageServiceClientProvider.ForTable(storage, counter.AddTo(new Azure.Data.Tables.TableClientOptions())));
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = clients,
            TaskHubName = taskHub,
            PartitionCount = 4, // the provider's and the Functions extension's default
            MaxQueuePollingInterval = maxQueuePollingInterval,
            LoggerFactory = loggerFactory,
            WorkerId = $"bench-{Environment.ProcessId}",
        });
    }

    /// <summary>
    /// Creates the task hub's queues, tables and containers, then serves the sidecar on
    /// 127.0.0.1:<paramref name="port"/>. <paramref name="dispatch"/> is what the sidecar's
    /// dispatchers lock and complete work items on (the provider, possibly observed);
    /// <paramref name="client"/> serves the client calls (start, raise, status).
    /// </summary>
    public static async Task<WebApplication> StartAsync(AzureStorageOrchestrationService client, IOrchestrationService dispatch, int port,
        ILoggerFactory loggerFactory)
    {
        // Over gRPC, CreateTaskHub is fire-and-forget in the sidecar: create everything up front.
        await client.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "DurableSidecar" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(dispatch);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();
        return app;
    }
}
