using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace FuncRegistry.Bench;

/// <summary>
/// The reviewer-queue query with few and with many applications stored. Queue entries are
/// seeded straight into the queue's key range (the rows the app itself writes with each transition),
/// because driving 100k lifecycles through the API would take the whole budget; the query the
/// reviewer runs is the app's own.
/// At each size the same page is also read straight from storage with the SDK (the storage's own
/// cost for that key range, as the ceiling is for the lifecycle), and the app's storage requests
/// per page are counted: on Azure the query is one seek to one key range, while Azurite evaluates
/// every query over the whole table, so the storage column shows what the emulator adds as the
/// table grows and the app column what the app adds on top of it.
/// </summary>
public static class ReviewQueue
{
    private const string City = "620900";

    public static async Task<JsonObject> MeasureAsync(Api api, string storage, string prefix, int small, int large, int samples)
    {
        var table = new TableClient(storage, prefix + "Applications");
        var reviewer = await api.TokenAsync(new { role = "city-reviewer", subject = "bench-jq", name = "酒泉审核员", city = City });
        await SeedAsync(table, 0, small);
        var atSmall = await SampleAsync(api, table, reviewer, samples);
        await SeedAsync(table, small, large - small);
        var atLarge = await SampleAsync(api, table, reviewer, samples);
        return new JsonObject
        {
            ["small"] = small, ["large"] = large, ["atSmall"] = atSmall, ["atLarge"] = atLarge,
            ["p99Ratio"] = Ratio(atLarge["app"]!["p99"], atSmall["app"]!["p99"]),
            ["storageP99Ratio"] = Ratio(atLarge["storage"]!["p99"], atSmall["storage"]!["p99"]),
            // What the app adds to a page, at the large size over the small one (target ≤ 1.5).
            ["appOverheadRatio"] = Ratio(atLarge["appOverheadP50Ms"], atSmall["appOverheadP50Ms"]),
        };
    }

    private static double Ratio(JsonNode? large, JsonNode? small) =>
        small!.GetValue<double>() is var s && s > 0 ? Math.Round(large!.GetValue<double>() / s, 2) : 0;

    /// <summary>The app's page (through the API) and the storage's page (SDK, same key range and page size), alternated.</summary>
    private static async Task<JsonObject> SampleAsync(Api api, TableClient table, string reviewer, int samples)
    {
        const int pageSize = 20;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"registry"} and RowKey ge {$"l|queue-city-{City}|"} and RowKey lt {$"l|queue-city-{City}}}"}");
        var storageLatencies = new List<double>();
        var differences = new List<double>();
        var before = await Lifecycles.DiagnosticsAsync(api);
        api.Recording = true;
        for (var i = 0; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            var page = await api.CallAsync("queue", HttpMethod.Get, $"/api/reviews/pending?pageSize={pageSize}", reviewer);
            var appMs = clock.Elapsed.TotalMilliseconds;
            if (page.GetProperty("items").GetArrayLength() != pageSize) throw new InvalidOperationException("the queue page is not full");
            clock.Restart();
            await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize).AsPages(pageSizeHint: pageSize)) break;
            storageLatencies.Add(clock.Elapsed.TotalMilliseconds);
            differences.Add(appMs - clock.Elapsed.TotalMilliseconds);
        }
        api.Recording = false;
        var after = await Lifecycles.DiagnosticsAsync(api);
        var app = Lifecycles.Percentiles(api.Latencies["queue"]);
        var direct = Lifecycles.Percentiles(storageLatencies);
        api.Latencies.Clear();
        return new JsonObject
        {
            ["app"] = app,
            ["storage"] = direct,
            // What the app adds to the storage's own time for the page (HTTP, token, 20 rows to JSON).
            ["appOverheadP50Ms"] = Math.Round(app["p50"]!.GetValue<double>() - direct["p50"]!.GetValue<double>(), 2),
            // The same per pair (the app's page minus the storage's page right after it): less exposed to the storage's spread.
            ["appOverheadPairedP50Ms"] = Lifecycles.Percentiles(differences)["p50"]!.DeepClone(),
            // The app's own table reads (not the Durable provider's, counted in the same process); the sweep may add its one query a minute.
            ["appStorageRequestsPerPage"] = Math.Round((after["table"]["reads"] - after["provider"]["tableReads"] - before["table"]["reads"] + before["provider"]["tableReads"]) / samples, 2),
        };
    }

    private static async Task SeedAsync(TableClient table, int first, int count)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var batches = Enumerable.Range(first, count).Chunk(100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, ct) =>
        {
            var actions = chunk.Select(i =>
            {
                var at = start.AddSeconds(i);
                var id = $"SQ20260101{i:D6}";
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("registry", $"l|queue-city-{City}|{at.UtcTicks:D19}-{id}")
                {
                    ["Id"] = id, ["Kind"] = "Change", ["Status"] = "PendingCityReview", ["CertificateNumber"] = $"甘建安C（2025）{i:D7}",
                    ["CityCode"] = City, ["HolderName"] = "队列测试", ["HolderIdNumber"] = "11010519491231002X", ["CreatedAt"] = at,
                    ["SubmittedAt"] = at, ["StatusSince"] = at, ["UpdatedAt"] = at, ["Round"] = 1,
                });
            });
            await table.SubmitTransactionAsync(actions, ct);
        });
    }
}
