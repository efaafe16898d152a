using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace FuncRegistry.Bench;

/// <summary>
/// The storage ceiling: synthetic lifecycles made of exactly the storage operations one real
/// lifecycle needed (as counted in the app), issued directly with the SDK at the same
/// concurrency, against the app's own certificate table (where the lifecycle's reads go): point
/// reads are point reads of a certificate, queries are single-partition queries of one (as the
/// app reads a certificate with its claim); single-entity writes are upserts, entity-group
/// transactions are batches of <see cref="BatchSize"/> upserts, queue reads are receives and queue
/// writes are sends.
/// </summary>
public static class Ceiling
{
    /// <summary>
    /// Entities in a transition's transaction of the benchmark's lifecycle, averaged: create 4
    /// (head, event, holder and employer lines), submit 8, city approval 10, province approval 10
    /// (head, event, four list lines, queue and timer rows added or removed, outbox rows).
    /// </summary>
    public const int BatchSize = 8;

    public static async Task<double> MeasureAsync(string storage, string prefix, IReadOnlyDictionary<string, double> mix, int concurrency, int lifecycles)
    {
        var table = new TableClient(storage, prefix + "Ceiling");
        await table.CreateIfNotExistsAsync();
        var queue = new QueueClient(storage, (prefix + "ceiling").ToLowerInvariant());
        await queue.CreateIfNotExistsAsync();
        var certificates = new TableClient(storage, prefix + "Certificates");
        // Certificates sit in hash-bucket partitions, a claim row ({key}|claim) beside each (ADR 0012).
        var numbers = new List<(string Partition, string Row)>();
        await foreach (var row in certificates.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], maxPerPage: 1000))
        {
            if (!row.RowKey.Contains('|')) numbers.Add((row.PartitionKey, row.RowKey));
            if (numbers.Count == 1000) break;
        }
        int Count(string key, int i) => (int)(Math.Floor((i + 1) * mix.GetValueOrDefault(key)) - Math.Floor(i * mix.GetValueOrDefault(key)));

        async Task OneAsync(int i)
        {
            var ops = new List<Task>();
            for (var k = 0; k < Count("tableReads", i); k++)
            {
                var (partition, row) = numbers[(i * 7 + k) % numbers.Count];
                await certificates.GetEntityIfExistsAsync<TableEntity>(partition, row);
            }
            for (var k = 0; k < Count("tableQueries", i); k++)
            {
                var (partition, row) = numbers[(i * 11 + k) % numbers.Count];
                var claim = row + "|claim";
                await foreach (var _ in certificates.QueryAsync<TableEntity>(e => e.PartitionKey == partition && (e.RowKey == row || e.RowKey == claim))) { }
            }
            for (var k = 0; k < Count("tableWrites", i); k++) await table.UpsertEntityAsync(new TableEntity($"p{i}", $"r{k}") { ["Data"] = new string('x', 400) });
            for (var k = 0; k < Count("tableBatches", i); k++)
                await table.SubmitTransactionAsync(Enumerable.Range(0, BatchSize).Select(n =>
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity($"b{i}", $"r{k}-{n}") { ["Data"] = new string('x', 400) })));
            for (var k = 0; k < Count("queueWrites", i); k++) await queue.SendMessageAsync("SQ20261123000000");
            for (var k = 0; k < Count("queueReads", i); k++) await queue.ReceiveMessagesAsync(1);
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, Math.Max(10, lifecycles / 10)), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await OneAsync(i));
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, lifecycles), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await OneAsync(i));
        return Math.Round(lifecycles / clock.Elapsed.TotalSeconds, 2);
    }
}
