using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace FuncRegistry.Bench;

/// <summary>What a run leaves in a storage account it does not own.</summary>
public static class BenchStorage
{
    /// <summary>
    /// Deletes the tables, queues and blob containers the app created under this run's name prefix
    /// (a queue-only run against a real account should not leave 100k rows behind).
    /// </summary>
    public static async Task DeleteRunAsync(string storage, string prefix)
    {
        var tables = new TableServiceClient(storage);
        await foreach (var table in tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}")))
            await tables.DeleteTableAsync(table.Name);
        var lower = prefix.ToLowerInvariant();
        var queues = new QueueServiceClient(storage);
        await foreach (var queue in queues.GetQueuesAsync(prefix: lower))
            await queues.DeleteQueueAsync(queue.Name);
        var blobs = new BlobServiceClient(storage);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: lower))
            await blobs.DeleteBlobContainerAsync(container.Name);
    }
}
