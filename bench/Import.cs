using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace FuncRegistry.Bench;

/// <summary>
/// The register import: one POST of <c>rows</c> synthetic certificates, then the first
/// <see cref="AgainRows"/> of them again (every row unchanged, nothing written), each timed from
/// the client. The import reads each bucket it touches once (ADR 0012), so the 2,000 rows again
/// read the whole stored register's buckets: their rows/s is a floor, not a per-row cost. Reports rows/s, the storage
/// requests per row the app counted, and the machine's load average, since the 2-core development
/// machine is shared and the figure moves with it.
/// </summary>
public static class Import
{
    public const int AgainRows = 2_000;

    public static async Task<JsonObject> MeasureAsync(Api api, string run, int rows)
    {
        var (csv, _) = Register.Make("i" + run[..6], 0, rows, "620500");
        var againRows = Math.Min(rows, AgainRows);
        var (againCsv, _) = Register.Make("i" + run[..6], 0, againRows, "620500");
        var admin = await api.TokenAsync(new { role = "admin", subject = "bench-admin", name = "基准管理员" });
        var load = LoadAverage();
        var first = await PassAsync(api, admin, csv, rows);
        var again = await PassAsync(api, admin, againCsv, againRows);
        if (first["imported"]!.GetValue<int>() != rows || again["unchanged"]!.GetValue<int>() != againRows)
            throw new InvalidOperationException($"import: expected {rows} imported then {againRows} unchanged, got {first.ToJsonString()} then {again.ToJsonString()}");
        return new JsonObject
        {
            ["rows"] = rows, ["first"] = first, ["againRows"] = againRows, ["again"] = again,
            ["loadAverageBefore"] = load, ["loadAverageAfter"] = LoadAverage(),
        };
    }

    /// <summary>
    /// What the storage serves for an import without the app: the rows of a certificate (about 400
    /// bytes) added one request each, and added 100 to an entity-group transaction, at
    /// <paramref name="concurrency"/> requests in flight. Entities per second.
    /// </summary>
    public static async Task<JsonObject> StorageAsync(string storage, string prefix, int entities, int concurrency = 32)
    {
        var table = new TableClient(storage, prefix + "ImportProbe");
        await table.CreateIfNotExistsAsync();
        TableEntity Row(string partition, int i) => new(partition, $"c|{i:D7}") { ["Data"] = new string('x', 400) };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, entities), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) => await table.AddEntityAsync(Row($"single{i}", i), ct));
        var single = entities / clock.Elapsed.TotalSeconds;
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, entities / 100), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (b, ct) => await table.SubmitTransactionAsync(Enumerable.Range(b * 100, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, Row($"batch{b % 16}", i))), ct));
        var batched = entities / clock.Elapsed.TotalSeconds;
        await table.DeleteAsync();
        return new JsonObject
        {
            ["entities"] = entities, ["concurrency"] = concurrency,
            ["singleAddsPerSecond"] = Math.Round(single, 0), ["addsIn100EntityTransactionsPerSecond"] = Math.Round(batched, 0),
        };
    }

    private static async Task<JsonObject> PassAsync(Api api, string admin, string csv, int rows)
    {
        var before = await Lifecycles.StorageTotalAsync(api);
        var clock = Stopwatch.StartNew();
        var result = await api.CallAsync("import", HttpMethod.Post, "/api/admin/certificates/import", admin, rawBody: csv, contentType: "text/csv");
        clock.Stop();
        var after = await Lifecycles.StorageTotalAsync(api);
        // The import's own requests, not the Durable provider's polling meanwhile.
        var requests = after.Total - after.Provider - (before.Total - before.Provider);
        return new JsonObject
        {
            ["imported"] = result.GetProperty("imported").GetInt32(), ["unchanged"] = result.GetProperty("unchanged").GetInt32(),
            ["rejected"] = result.GetProperty("rejected").GetArrayLength(),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2), ["rowsPerSecond"] = Math.Round(rows / clock.Elapsed.TotalSeconds, 0),
            ["storageRequestsPerRow"] = Math.Round(requests / rows, 3),
        };
    }

    /// <summary>The 1-minute load average (Linux), or null elsewhere.</summary>
    private static JsonNode? LoadAverage() =>
        File.Exists("/proc/loadavg") ? JsonValue.Create(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)) : null;
}
