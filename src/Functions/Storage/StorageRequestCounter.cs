using Azure.Core;
using Azure.Core.Pipeline;

namespace FuncRegistry.Functions.Storage;

/// <summary>Requests one service received, split into reads (GET/HEAD) and writes (everything else).</summary>
public sealed record ServiceRequestCount(long Reads, long Writes);

/// <summary>
/// Storage requests made since start, by service; <paramref name="TableQueries"/> of the table
/// reads were queries (the rest point reads), <paramref name="TableBatches"/> of the table writes
/// entity-group transactions.
/// </summary>
public sealed record StorageRequestCounts(ServiceRequestCount Table, ServiceRequestCount Queue, ServiceRequestCount Blob, long TableQueries, long TableBatches)
{
    /// <summary>All requests.</summary>
    public long Total => Table.Reads + Table.Writes + Queue.Reads + Queue.Writes + Blob.Reads + Blob.Writes;
}

/// <summary>
/// Counts every HTTP request the app sends to Azure Storage (each retry too), through an
/// Azure.Core pipeline policy on each client. What the benchmark divides by lifecycles, and
/// what shows an idle app's polling.
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly long[] _counts = new long[8];
    private const int Queries = 6;
    private const int Batches = 7;

    /// <summary>The policy to add to a client of a service ("table", "queue" or "blob").</summary>
    public HttpPipelinePolicy For(string service) => new CountingPolicy(this, service switch { "table" => 0, "queue" => 2, _ => 4 });

    /// <summary>A snapshot of the counts.</summary>
    public StorageRequestCounts Snapshot()
    {
        ServiceRequestCount At(int i) => new(Interlocked.Read(ref _counts[i]), Interlocked.Read(ref _counts[i + 1]));
        return new StorageRequestCounts(At(0), At(2), At(4), Interlocked.Read(ref _counts[Queries]), Interlocked.Read(ref _counts[Batches]));
    }

    private sealed class CountingPolicy(StorageRequestCounter counter, int offset) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var read = message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head;
            Interlocked.Increment(ref counter._counts[offset + (read ? 0 : 1)]);
            if (offset != 0) return;
            if (read && message.Request.Uri.Query.Contains("filter=", StringComparison.Ordinal)) Interlocked.Increment(ref counter._counts[Queries]);
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)) Interlocked.Increment(ref counter._counts[Batches]);
        }
    }
}
