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
// ./bench.sh --workflow-only — only the full app's figures of issue 13 item 10 (lifecycles with the
// orchestration, idle, racing decisions, the queue's app overhead) and a shorter Durable baseline to
// compare them with, in one run.
using FuncRegistry.Bench.Durable;

var quick = args.Contains("--quick");
var queueOnly = args.Contains("--queue-only");
var durableOnly = args.Contains("--durable-only");
var importOnly = args.Contains("--import-only");
var workflowOnly = args.Contains("--workflow-only");
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
    // The Durable provider's pollers take about half a minute to back off to the 5 s maximum.
    IdleSettleSeconds = quick ? 30 : 70,
    // Lifecycles whose decisions race, each stage's approval, return and a duplicate sent at once (bench/Racing.cs).
    Racing = quick ? 100 : 1_000,
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
Console.Error.WriteLine($"bench {run}: {(queueOnly ? "queue-only" : durableOnly ? "durable-only" : importOnly ? "import-only" : workflowOnly ? "workflow-only" : quick ? "quick" : "full")} run on {Environment.ProcessorCount} cores");
summary["loadAverageBefore"] = LoadAverage();
// The load average (1 min) as each phase starts: the machine is shared, and throughput depends on it.
var phases = new JsonObject();
summary["loadAverageAtPhase"] = phases;
var started = Stopwatch.StartNew();

if (durableOnly)
{
    summary["durableOnly"] = true;
    await MeasureDurableAsync(settings.Durable);
    Save(summary, quick ? "-durable-quick" : "-durable");
    return;
}

if (workflowOnly)
{
    // The full app (one instance, its orchestration included), then the baseline on the same Azurite,
    // shorter than the default run's (its requests per lifecycle hardly move with the count).
    summary["workflowOnly"] = true;
    var firstOfRun = 0;
    await using (var app = await AppProcess.StartAsync(dll, storage, prefix))
    {
        var api = new Api([app.BaseAddress]);
        await MeasureLifecyclesAsync(api, firstOfRun);
        firstOfRun += settings.WarmUp + settings.Lifecycles;
        // Right after, so that both throughputs see the same load on the machine (the app idles meanwhile; each counts its own requests).
        await MeasureDurableAsync(quick ? settings.Durable : settings.Durable with { WarmUp = 20, Lifecycles = 200, IdleSettleSeconds = 40, IdleSeconds = 60 });
        await MeasureIdleAsync(api);
        await MeasureRacingAsync(api, firstOfRun);
        await MeasureQueueAsync(api);
    }
    Save(summary, quick ? "-workflow-quick" : "-workflow");
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
    Save(summary, quick ? "-queue-quick" : "-queue");
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
        Console.Error.WriteLine($"{instances} instance(s): {result["lifecyclesPerSecond"]} lifecycles/s, {result["storageRequestsPerLifecycle"]} storage requests/lifecycle ({result["providerRequestsPerLifecycle"]} the Durable provider's)");

        if (instances == 1)
        {
            // The ceiling: the same mix of storage operations, issued directly with the SDK; with the
            // reads that verified each lifecycle, since the measured run did those too.
            var mix = result["storageMix"]!.Deserialize<Dictionary<string, double>>()!;
            mix["tableReads"] += result["verificationReadsPerLifecycle"]!.GetValue<double>();
            var ceiling = await Ceiling.MeasureAsync(storage, prefix, mix, settings.Concurrency, quick ? 100 : 400);
            summary["ceilingLifecyclesPerSecond"] = ceiling;
            summary["ratioToCeiling"] = Math.Round(result["lifecyclesPerSecond"]!.GetValue<double>() / ceiling, 3);

            await MeasureIdleAsync(api);
            await MeasureRacingAsync(api, firstCertificate);
            firstCertificate += settings.Racing;
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
SummariseLifecycles(lifecycle["instances1"]!);

// The Durable baseline last, with the app processes gone (it counts only its own requests).
await MeasureDurableAsync(settings.Durable);

Save(summary, quick ? "-quick" : "");

// Lifecycles on one instance, for the --workflow-only run (the default run does them inline, with the ceiling and two instances).
async Task MeasureLifecyclesAsync(Api api, int first)
{
    phases["lifecycles"] = LoadAverage();
    var result = await Lifecycles.RunAsync(api, run, first, settings.WarmUp, settings.Lifecycles, settings.Concurrency);
    summary["lifecycles"] = new JsonObject { ["instances1"] = result };
    Console.Error.WriteLine($"1 instance: {result["lifecyclesPerSecond"]} lifecycles/s, {result["storageRequestsPerLifecycle"]} storage requests/lifecycle ({result["providerRequestsPerLifecycle"]} the Durable provider's)");
    SummariseLifecycles(result);
}

void SummariseLifecycles(JsonNode one)
{
    summary["lifecyclesPerSecond"] = one["lifecyclesPerSecond"]!.DeepClone();
    // The whole process's requests: the app's own and its Durable provider's (counted in the same counter).
    summary["storageRequestsPerLifecycle"] = one["storageRequestsPerLifecycle"]!.DeepClone();
    summary["appRequestsPerLifecycle"] = one["appRequestsPerLifecycle"]!.DeepClone();
    summary["providerRequestsPerLifecycle"] = one["providerRequestsPerLifecycle"]!.DeepClone();
    summary["approvalToSmsP99Ms"] = one["outboxLagMs"]!["smsRecorded"]!["p99"]!.DeepClone();
    summary["latencyMs"] = one["latencyMs"]!.DeepClone();
}

// Idle: let the pollers back off, then count what an idle app asks of storage (the Durable
// provider's polling and leases included, at the shipped 5 s and 4 partitions).
async Task MeasureIdleAsync(Api api)
{
    phases["idle"] = LoadAverage();
    await Task.Delay(TimeSpan.FromSeconds(settings.IdleSettleSeconds));
    var before = await Lifecycles.StorageTotalAsync(api);
    await Task.Delay(TimeSpan.FromSeconds(settings.IdleSeconds));
    var after = await Lifecycles.StorageTotalAsync(api);
    summary["idleStorageRequestsPerMinute"] = Math.Round((after.Total - before.Total) * 60.0 / settings.IdleSeconds, 1);
    summary["idleProviderRequestsPerMinute"] = Math.Round((after.Provider - before.Provider) * 60.0 / settings.IdleSeconds, 1);
    Console.Error.WriteLine($"idle: {summary["idleStorageRequestsPerMinute"]} storage requests/min ({summary["idleProviderRequestsPerMinute"]} the Durable provider's)");
}

// Racing decisions: no orchestration may be left behind its application (bench/Racing.cs).
async Task MeasureRacingAsync(Api api, int first)
{
    Console.Error.WriteLine($"racing: {settings.Racing} lifecycles");
    phases["racing"] = LoadAverage();
    var racing = await Racing.RunAsync(api, run, first, settings.Racing, settings.Concurrency);
    summary["racing"] = racing;
    summary["racingLifecycles"] = settings.Racing;
    summary["stuckInstances"] = racing["stuckInstances"]!.DeepClone();
    Console.Error.WriteLine($"racing: {racing["stuckInstances"]} stuck of {settings.Racing} in {racing["seconds"]} s, outcomes {racing["outcomes"]!.ToJsonString()}");
}

// Review queue: p99 of the city reviewer's queue with 1k, then with many, entries stored; and of
// the same page read straight from storage.
async Task MeasureQueueAsync(Api api)
{
    phases["reviewQueue"] = LoadAverage();
    var queue = await ReviewQueue.MeasureAsync(api, storage, prefix, settings.QueueSmall, settings.QueueLarge, settings.QueueSamples);
    summary["reviewQueue"] = queue;
    summary["reviewQueueP99RatioAt100k"] = queue["p99Ratio"]!.DeepClone();
    summary["reviewQueueStorageP99RatioAt100k"] = queue["storageP99Ratio"]!.DeepClone();
    summary["appOverheadMsAt1k"] = queue["atSmall"]!["appOverheadP50Ms"]!.DeepClone();
    summary["appOverheadMsAtLarge"] = queue["atLarge"]!["appOverheadP50Ms"]!.DeepClone();
    summary["appOverheadRatio"] = queue["appOverheadRatio"]!.DeepClone();
}

void MeasureImport(JsonObject import)
{
    summary["import"] = import;
    summary["importRowsPerSecond"] = import["first"]!["rowsPerSecond"]!.DeepClone();
    Console.Error.WriteLine($"import of {import["rows"]} rows: {import["first"]!["rowsPerSecond"]} rows/s, again {import["again"]!["rowsPerSecond"]} rows/s");
}

// The Durable baseline: the product's orchestration shape, bare, on DurableTask.AzureStorage over
// the same storage, in a task hub of its own (bench/Durable/DurableBaseline.cs).
async Task MeasureDurableAsync(DurableBaseline.Settings durableSettings)
{
    Console.Error.WriteLine($"durable baseline: {durableSettings.Lifecycles} lifecycles, then {durableSettings.IdleSettleSeconds + durableSettings.IdleSeconds} s idle");
    phases["durableBaseline"] = LoadAverage();
    var durable = await DurableBaseline.RunAsync(storage, prefix, durableSettings);
    summary["durableBaseline"] = durable;
    summary["durableBaselineRequestsPerLifecycle"] = durable["requestsPerLifecycle"]!.DeepClone();
    summary["durableBaselineLifecyclesPerSecond"] = durable["lifecyclesPerSecond"]!.DeepClone();
    summary["durableBaselineStuckInstances"] = durable["stuckInstances"]!.DeepClone();
    summary["durableIdleRequestsPerMinute"] = durable["idle"]!["requestsPerMinute"]!.DeepClone();
    summary["durableProvinceToCompletedMs"] = new JsonObject
    {
        ["p50"] = durable["provinceToCompletedMs"]!["p50"]!.DeepClone(), ["p99"] = durable["provinceToCompletedMs"]!["p99"]!.DeepClone(),
    };
}

void Save(JsonObject summary, string suffix)
{
    summary["loadAverageAfter"] = LoadAverage();
    summary["benchSeconds"] = Math.Round(started.Elapsed.TotalSeconds);
    summary["targets"] = Targets.Of(summary);
    var json = summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    var resultsDir = Environment.GetEnvironmentVariable("BENCH_RESULTS") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "results");
    Directory.CreateDirectory(resultsDir);
    File.WriteAllText(Path.Combine(resultsDir, $"{DateTime.UtcNow:yyyy-MM-ddTHHmmss}{suffix}.json"), json);
    Report.PrintTable(summary);
}

static JsonNode? LoadAverage() =>
    File.Exists("/proc/loadavg") ? JsonValue.Create(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)) : null;
