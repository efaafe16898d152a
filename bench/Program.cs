using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FuncRegistry.Bench;

// ./bench.sh [--quick] — drives complete lifecycles against the real app on Azurite and measures
// throughput, latency, storage requests, idle cost, the storage ceiling, queue scaling, import
// and cold start. Performance is measured here, never in pass/fail tests.
// ./bench.sh --queue-only — only the reviewer-queue scaling, for example against a real storage
// account given as BENCH_STORAGE (the one target Azurite cannot show; see docs/performance.md).
// ./bench.sh --import-only — only the register import of 100k rows (and part of the file again),
// on fresh tables, and what the storage alone serves for single adds and 100-entity transactions.
// ./bench.sh --durable-only — only the Durable baseline (bench/Durable/, issue 13 item 10).
using FuncRegistry.Bench.Durable;

var quick = args.Contains("--quick");
var queueOnly = args.Contains("--queue-only");
var durableOnly = args.Contains("--durable-only");
var importOnly = args.Contains("--import-only");
var storage = Environment.GetEnvironmentVariable("BENCH_STORAGE") ?? throw new InvalidOperationException("BENCH_STORAGE not set (run ./bench.sh)");
var dll = Environment.GetEnvironmentVariable("BENCH_APP_DLL") ?? (durableOnly ? "" : throw new InvalidOperationException("BENCH_APP_DLL not set (run ./bench.sh)"));
var settings = new
{
    Lifecycles = quick ? 120 : 600,
    WarmUp = quick ? 20 : 60,
    Concurrency = 16,
    ImportRows = quick ? 10_000 : 100_000,
    QueueSmall = 1_000,
    QueueLarge = quick ? 10_000 : 100_000,
    QueueSamples = quick ? 100 : 300,
    IdleSeconds = quick ? 20 : 60,
    IdleSettleSeconds = quick ? 5 : 70,
    // ≥ 1,000 lifecycles for the stuck-instance count; a quarter raise their events before the instance ran.
    Durable = new DurableBaseline.Settings(WarmUp: quick ? 10 : 30, Lifecycles: quick ? 100 : 1_000, Concurrency: 16, ImmediateEvery: 4,
        IdleSettleSeconds: quick ? 40 : 90, IdleSeconds: quick ? 60 : 120),
};
var run = Guid.NewGuid().ToString("N")[..8];
var prefix = "b" + run;
var summary = new JsonObject
{
    ["date"] = DateTimeOffset.UtcNow.ToString("O"), ["quick"] = quick, ["cores"] = Environment.ProcessorCount,
    ["settings"] = JsonSerializer.SerializeToNode(settings),
};
Console.Error.WriteLine($"bench {run}: {(queueOnly ? "queue-only" : durableOnly ? "durable-only" : importOnly ? "import-only" : quick ? "quick" : "full")} run on {Environment.ProcessorCount} cores");

if (durableOnly)
{
    summary["durableOnly"] = true;
    await MeasureDurableAsync();
    Save(summary, quick ? "-durable-quick" : "-durable");
    return;
}

if (importOnly)
{
    summary["importOnly"] = true;
    await using (var app = await AppProcess.StartAsync(dll, storage, prefix))
        MeasureImport(await Import.MeasureAsync(new Api([app.BaseAddress]), run, settings.ImportRows));
    summary["importStorage"] = await Import.StorageAsync(storage, prefix, 5_000);
    Console.Error.WriteLine($"storage alone: {summary["importStorage"]!.ToJsonString()}");
    Save(summary, "-import");
    return;
}

if (queueOnly)
{
    summary["queueOnly"] = true;
    summary["storageEndpoint"] = new TableServiceClient(storage).Uri.Host;
    try
    {
        await using var app = await AppProcess.StartAsync(dll, storage, prefix);
        await MeasureQueueAsync(new Api([app.BaseAddress]));
    }
    finally
    {
        await BenchStorage.DeleteRunAsync(storage, prefix);
    }
    Save(summary, "-queue");
    return;
}

// Cold start: median of three process starts (process start → first 200 from /api/health).
var coldStarts = new List<double>();
for (var i = 0; i < 3; i++)
{
    await using var cold = await AppProcess.StartAsync(dll, storage, prefix);
    coldStarts.Add(cold.ColdStart.TotalMilliseconds);
}
summary["coldStartMs"] = Math.Round(coldStarts.Order().ElementAt(1), 1);

// Lifecycles on 1, then 2 instances; the ceiling right after the first run, against tables of
// the same size (Azurite scans a whole table per query, so their size is part of the cost), and
// before the queue seeding and the import make them grow.
var lifecycle = new JsonObject();
var firstCertificate = 0;
foreach (var instances in new[] { 1, 2 })
{
    var apps = new List<AppProcess>();
    for (var i = 0; i < instances; i++) apps.Add(await AppProcess.StartAsync(dll, storage, prefix));
    try
    {
        var api = new Api(apps.Select(a => a.BaseAddress).ToList());
        var result = await Lifecycles.RunAsync(api, run, firstCertificate, settings.WarmUp, settings.Lifecycles, settings.Concurrency);
        firstCertificate += settings.WarmUp + settings.Lifecycles;
        lifecycle[$"instances{instances}"] = result;
        Console.Error.WriteLine($"{instances} instance(s): {result["lifecyclesPerSecond"]} lifecycles/s, {result["storageRequestsPerLifecycle"]} storage requests/lifecycle");

        if (instances == 1)
        {
            // The ceiling: the same mix of storage operations, issued directly with the SDK; with the
            // reads that verified each lifecycle, since the measured run did those too.
            var mix = result["storageMix"]!.Deserialize<Dictionary<string, double>>()!;
            mix["tableReads"] += result["verificationReadsPerLifecycle"]!.GetValue<double>();
            var ceiling = await Ceiling.MeasureAsync(storage, prefix, mix, settings.Concurrency, quick ? 100 : 400);
            summary["ceilingLifecyclesPerSecond"] = ceiling;
            summary["ratioToCeiling"] = Math.Round(result["lifecyclesPerSecond"]!.GetValue<double>() / ceiling, 3);

            // Idle: let the pollers back off, then count what an idle app asks of storage.
            await Task.Delay(TimeSpan.FromSeconds(settings.IdleSettleSeconds));
            var before = await Lifecycles.StorageTotalAsync(api);
            await Task.Delay(TimeSpan.FromSeconds(settings.IdleSeconds));
            var after = await Lifecycles.StorageTotalAsync(api);
            summary["idleStorageRequestsPerMinute"] = Math.Round((after - before) * 60.0 / settings.IdleSeconds, 1);
        }
        else
        {
            await MeasureQueueAsync(api);

            MeasureImport(await Import.MeasureAsync(api, run, settings.ImportRows));
        }
    }
    finally
    {
        // Also when a phase throws: no app process outlives the benchmark.
        foreach (var app in apps) await app.DisposeAsync();
    }
}
summary["lifecycles"] = lifecycle;
var one = lifecycle["instances1"]!;
summary["lifecyclesPerSecond"] = one["lifecyclesPerSecond"]!.DeepClone();
summary["storageRequestsPerLifecycle"] = one["storageRequestsPerLifecycle"]!.DeepClone();
summary["latencyMs"] = one["latencyMs"]!.DeepClone();

// The Durable baseline last, with the app processes gone (it counts only its own requests).
await MeasureDurableAsync();

Save(summary, quick ? "-quick" : "");

// Review queue: p99 of the city reviewer's queue with 1k, then with many, entries stored; and of
// the same page read straight from storage.
async Task MeasureQueueAsync(Api api)
{
    var queue = await ReviewQueue.MeasureAsync(api, storage, prefix, settings.QueueSmall, settings.QueueLarge, settings.QueueSamples);
    summary["reviewQueue"] = queue;
    summary["reviewQueueP99RatioAt100k"] = queue["p99Ratio"]!.DeepClone();
    summary["reviewQueueStorageP99RatioAt100k"] = queue["storageP99Ratio"]!.DeepClone();
}

void MeasureImport(JsonObject import)
{
    summary["import"] = import;
    summary["importRowsPerSecond"] = import["first"]!["rowsPerSecond"]!.DeepClone();
    Console.Error.WriteLine($"import of {import["rows"]} rows: {import["first"]!["rowsPerSecond"]} rows/s, again {import["again"]!["rowsPerSecond"]} rows/s");
}

// The Durable baseline: the product's orchestration shape, bare, on DurableTask.AzureStorage over
// the same storage, in a task hub of its own (bench/Durable/DurableBaseline.cs).
async Task MeasureDurableAsync()
{
    Console.Error.WriteLine($"durable baseline: {settings.Durable.Lifecycles} lifecycles, then {settings.Durable.IdleSettleSeconds + settings.Durable.IdleSeconds} s idle");
    var durable = await DurableBaseline.RunAsync(storage, prefix, settings.Durable);
    summary["durableBaseline"] = durable;
    summary["durableBaselineRequestsPerLifecycle"] = durable["requestsPerLifecycle"]!.DeepClone();
    summary["durableBaselineLifecyclesPerSecond"] = durable["lifecyclesPerSecond"]!.DeepClone();
    summary["stuckInstances"] = durable["stuckInstances"]!.DeepClone();
    summary["durableIdleRequestsPerMinute"] = durable["idle"]!["requestsPerMinute"]!.DeepClone();
    summary["durableProvinceToCompletedMs"] = new JsonObject
    {
        ["p50"] = durable["provinceToCompletedMs"]!["p50"]!.DeepClone(), ["p99"] = durable["provinceToCompletedMs"]!["p99"]!.DeepClone(),
    };
}

static void Save(JsonObject summary, string suffix)
{
    var json = summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    var resultsDir = Environment.GetEnvironmentVariable("BENCH_RESULTS") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "results");
    Directory.CreateDirectory(resultsDir);
    File.WriteAllText(Path.Combine(resultsDir, $"{DateTime.UtcNow:yyyy-MM-ddTHHmmss}{suffix}.json"), json);
    Report.PrintTable(summary);
}
