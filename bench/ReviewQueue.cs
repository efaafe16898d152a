using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace FuncRegistry.Bench;

/// <summary>
/// The reviewer-queue query with few and with many applications stored. Queue entries are
/// seeded straight into the queue's key ranges (the rows the app itself writes with each transition:
/// the queue, the kind's queue, the due-time order, the name tokens, the late city stages and the
/// review counters, as src/Functions/Storage/ReviewQueueRows.cs and ReviewCounters.cs lay them out),
/// because driving 100k lifecycles through the API would take the whole budget; the queries the
/// reviewer runs are the app's own.
/// At each size the same unfiltered page is also read straight from storage with the SDK (the
/// storage's own cost for that key range, as the ceiling is for the lifecycle), and the app's storage
/// requests per query are counted: on Azure a query is one seek to one key range, while Azurite
/// evaluates every query over the whole table, so the storage column shows what the emulator adds as
/// the table grows and the app column what the app adds on top of it. The workbench's queries (issue 16:
/// a kind within submission dates, what is overdue, a name's start, the counts) are measured the same
/// way, each with its requests per query.
/// </summary>
public static class ReviewQueue
{
    private const string City = "620900";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] GivenNames = ["建国", "秀英", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞"];

    /// <summary>The workbench's queries measured beside the plain page (path after /api/reviews/pending, or the summary).</summary>
    private static readonly (string Name, string Path)[] Workbench =
    [
        // Reissues (one in four) submitted on two days of January: a kind's queue, the dates as its key bounds.
        ("kindAndDates", "/api/reviews/pending?limit=20&kind=reissue&submittedFrom=2026-01-01&submittedTo=2026-01-02"),
        // One in twenty-five is past due.
        ("overdue", "/api/reviews/pending?limit=20&overdue=true"),
        // One in twenty holders is a 王.
        ("nameStart", "/api/reviews/pending?limit=20&q=%E7%8E%8B"),
        ("summary", "/api/reviews/summary"),
    ];

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

    /// <summary>The app's page (through the API) and the storage's page (SDK, same key range and page size), alternated; then each workbench query.</summary>
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
            var page = await api.CallAsync("queue", HttpMethod.Get, $"/api/reviews/pending?limit={pageSize}", reviewer);
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
        var result = new JsonObject
        {
            ["app"] = app,
            ["storage"] = direct,
            // What the app adds to the storage's own time for the page (HTTP, token, 20 rows to JSON).
            ["appOverheadP50Ms"] = Math.Round(app["p50"]!.GetValue<double>() - direct["p50"]!.GetValue<double>(), 2),
            // The same per pair (the app's page minus the storage's page right after it): less exposed to the storage's spread.
            ["appOverheadPairedP50Ms"] = Lifecycles.Percentiles(differences)["p50"]!.DeepClone(),
            // The app's own table reads (not the Durable provider's, counted in the same process); the sweep may add its one query a minute.
            ["appStorageRequestsPerPage"] = RequestsPer(before, after, samples),
        };
        var workbench = new JsonObject();
        foreach (var (name, path) in Workbench)
            workbench[name] = await WorkbenchAsync(api, reviewer, name, path, Math.Max(samples / 3, 30));
        result["workbench"] = workbench;
        return result;
    }

    /// <summary>One workbench query, repeated: its latency through the app and the app's storage requests per query.</summary>
    private static async Task<JsonObject> WorkbenchAsync(Api api, string reviewer, string name, string path, int samples)
    {
        var before = await Lifecycles.DiagnosticsAsync(api);
        api.Recording = true;
        for (var i = 0; i < samples; i++)
        {
            var answer = await api.CallAsync(name, HttpMethod.Get, path, reviewer);
            var full = name == "summary" ? answer.GetProperty("total").GetInt32() > 0 : answer.GetProperty("items").GetArrayLength() == 20;
            if (!full) throw new InvalidOperationException($"{name}: {path} answered too little: {answer}");
        }
        api.Recording = false;
        var after = await Lifecycles.DiagnosticsAsync(api);
        var latency = Lifecycles.Percentiles(api.Latencies[name]);
        api.Latencies.Clear();
        return new JsonObject { ["path"] = path, ["app"] = latency, ["appStorageRequestsPerQuery"] = RequestsPer(before, after, samples) };
    }

    private static double RequestsPer(Dictionary<string, Dictionary<string, double>> before, Dictionary<string, Dictionary<string, double>> after, int samples) =>
        Math.Round((after["table"]["reads"] + after["table"]["writes"] - after["provider"]["tableReads"] - after["provider"]["tableWrites"]
            - before["table"]["reads"] - before["table"]["writes"] + before["provider"]["tableReads"] + before["provider"]["tableWrites"]) / samples, 2);

    /// <summary>
    /// Entries <paramref name="first"/>… of the city's queue, one a second from 1 January 2026: a change, or every
    /// fourth a reissue; one in twenty-five past due, the rest due in a year; one in two hundred reported to the
    /// province; names from 20 surnames; and the counters' snapshot of as many waiting in the city.
    /// </summary>
    private static async Task SeedAsync(TableClient table, int first, int count)
    {
        var batches = Enumerable.Range(first, count).Chunk(20);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, ct) =>
        {
            var actions = chunk.SelectMany(i =>
            {
                var at = Start.AddSeconds(i);
                var id = $"SQ20260101{i:D6}";
                var kind = i % 4 == 3 ? "Reissue" : "Change";
                var due = i % 25 == 0 ? at.AddDays(7) : DateTimeOffset.UtcNow.AddYears(1).AddSeconds(i);
                var name = Surnames[i % Surnames.Length] + GivenNames[i / Surnames.Length % GivenNames.Length];
                var byTime = $"{at.UtcTicks:D19}-{id}";
                List<string> keys =
                [
                    $"l|queue-city-{City}|{byTime}", $"l|queue-city-{City}-{char.ToLowerInvariant(kind[0])}{kind[1..]}|{byTime}",
                    $"l|due-city-{City}|{due.UtcTicks:D19}-{id}", $"l|name-city-{City}|{name}|{id}",
                ];
                if (i % 200 == 0) keys.AddRange([$"l|escalated-city-{City}|{byTime}", $"l|escalated-province|{byTime}"]);
                return keys.Select(key => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("registry", key)
                {
                    ["Id"] = id, ["Kind"] = kind, ["Status"] = "PendingCityReview", ["CertificateNumber"] = $"甘建安C（2025）{i:D7}",
                    ["CityCode"] = City, ["HolderName"] = name, ["HolderIdNumber"] = "11010519491231002X", ["CreatedAt"] = at,
                    ["SubmittedAt"] = at, ["StatusSince"] = at, ["UpdatedAt"] = at, ["Round"] = 1, ["DueAt"] = due,
                    ["ReviewCityCode"] = City, ["Escalated"] = i % 200 == 0,
                }));
            });
            await table.SubmitTransactionAsync(actions, ct);
        });
        // The counters as folded: the city's snapshot (read before its deltas, n|{city}|0).
        await table.UpsertEntityAsync(new TableEntity("registry", $"n|{City}|0") { ["PendingCityReview"] = first + count, ["Generation"] = 1 }, TableUpdateMode.Replace);
    }
}
