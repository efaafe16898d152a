using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// The Durable baseline (issue 13 item 10): what the product's orchestration will cost on the
/// same provider and storage before any product code runs in it. <see cref="BaselineOrchestration"/>
/// on DurableTask.AzureStorage over the bench's Azurite, through <see cref="DurableSidecar"/>, with a
/// task hub of its own per run. Clients race duplicate decisions on purpose (each lifecycle raises
/// its city decision twice; a share raise everything right after scheduling, before the instance
/// ran) and an instance not Completed 90 s after its last event counts as stuck.
/// </summary>
public static class DurableBaseline
{
    /// <summary>
    /// The shipped MaxQueuePollingInterval (host.json, and the development host's default), so the
    /// baseline and the full app are compared at the same settings. The spike measured an idle task
    /// hub at 327 requests a minute with 1 s, 90 with 5 s and 42.5 with 30 s (ADR 0013); the baseline
    /// ran at 30 s until the app shipped 5 s.
    /// </summary>
    public static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(90);

    public sealed record Settings(int WarmUp, int Lifecycles, int Concurrency, int ImmediateEvery, int IdleSettleSeconds, int IdleSeconds);

    public static async Task<JsonObject> RunAsync(string storage, string prefix, Settings settings)
    {
        var counter = new StorageRequestCounter();
        var signals = new InstanceSignals();
        var applications = new BaselineApplications(storage, prefix, counter);
        await applications.CreateTablesAsync();
        var taskHub = prefix + "dt";

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        var service = DurableSidecar.CreateService(storage, taskHub, PollingInterval, counter, loggerFactory);
        var port = AppProcess.FreePort();
        var sidecar = await DurableSidecar.StartAsync(service, CommitObserver.Wrap(service, signals.Committed), port, loggerFactory);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        builder.Services.AddDurableTaskWorker(w =>
        {
            w.UseGrpc(channel);
            w.AddTasks(r => BaselineOrchestration.Register(r, applications, signals));
        });
        builder.Services.AddDurableTaskClient(c =>
        {
            c.UseGrpc(channel);
            c.RegisterDirectly();
        });
        var host = builder.Build();
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<DurableTaskClient>();
            var result = new JsonObject
            {
                ["taskHub"] = taskHub, ["partitions"] = 4, ["maxQueuePollingIntervalSeconds"] = PollingInterval.TotalSeconds,
                ["lifecycles"] = settings.Lifecycles, ["warmUp"] = settings.WarmUp, ["concurrency"] = settings.Concurrency,
                ["immediateShare"] = Math.Round(1.0 / settings.ImmediateEvery, 2),
            };

            // Warm-up: leases acquired, queues and tables created, pollers running.
            var none = new Run();
            await RunManyAsync(client, applications, signals, prefix + "w", settings.WarmUp, settings.Concurrency, settings.ImmediateEvery, none);

            var run = new Run();
            var before = counter.Snapshot();
            var clock = Stopwatch.StartNew();
            await RunManyAsync(client, applications, signals, prefix + "m", settings.Lifecycles, settings.Concurrency, settings.ImmediateEvery, run);
            clock.Stop();
            var during = Delta(before, counter.Snapshot());
            var own = during.Where(o => applications.TableNames.Any(t => o.Key.Contains(t, StringComparison.Ordinal))).Sum(o => o.Value);
            var total = during.Values.Sum();
            result["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
            result["completed"] = run.Completed;
            result["lifecyclesPerSecond"] = Math.Round(run.Completed / clock.Elapsed.TotalSeconds, 2);
            result["requestsPerLifecycle"] = Math.Round((double)total / settings.Lifecycles, 2);
            result["providerRequestsPerLifecycle"] = Math.Round((double)(total - own) / settings.Lifecycles, 2);
            result["applicationTableRequestsPerLifecycle"] = Math.Round((double)own / settings.Lifecycles, 2);
            result["statusReads"] = "none in the window: start and completion are seen in-process at the provider's commit";
            result["byOperationPerLifecycle"] = PerUnit(during, settings.Lifecycles);
            result["provinceToCompletedMs"] = Lifecycles.Percentiles(run.ProvinceToCompleted);
            result["provinceToCompletedImmediateMs"] = Lifecycles.Percentiles(run.ProvinceToCompletedImmediate);

            // Stuck: not Completed 90 s after the last event. Their status is read after the window.
            var stuck = new JsonArray();
            foreach (var id in run.NotCompleted.Order())
            {
                var state = await client.GetInstanceAsync(id, getInputsAndOutputs: false);
                stuck.Add(new JsonObject { ["id"] = id, ["status"] = state?.RuntimeStatus.ToString() ?? "missing", ["immediate"] = run.Immediate.Contains(id) });
            }
            result["stuckInstances"] = stuck.Count;
            result["stuck"] = stuck;

            // Idle: one instance left waiting for the province, the pollers let back off to the
            // shipped interval, then what the idle task hub asks of storage; then that province
            // decision, to see the wake-up cost of an idle app.
            var sleeper = prefix + "idle";
            await applications.CreateAsync(sleeper);
            await client.ScheduleNewOrchestrationInstanceAsync(BaselineOrchestration.Name, sleeper, new StartOrchestrationOptions(sleeper));
            await signals.For(sleeper).AtCity.Task.WaitAsync(StuckAfter);
            await applications.CommitAsync(sleeper, "City", "approve");
            await client.RaiseEventAsync(sleeper, BaselineOrchestration.CityDecision, 1);
            await signals.For(sleeper).AtProvince.Task.WaitAsync(StuckAfter);
            await Task.Delay(TimeSpan.FromSeconds(settings.IdleSettleSeconds));
            var idleBefore = counter.Snapshot();
            await Task.Delay(TimeSpan.FromSeconds(settings.IdleSeconds));
            var idle = Delta(idleBefore, counter.Snapshot());
            result["idle"] = new JsonObject
            {
                ["settleSeconds"] = settings.IdleSettleSeconds, ["seconds"] = settings.IdleSeconds,
                ["requestsPerMinute"] = Math.Round(idle.Values.Sum() * 60.0 / settings.IdleSeconds, 1),
                ["byOperationPerMinute"] = PerUnit(idle, settings.IdleSeconds / 60.0),
            };
            await applications.CommitAsync(sleeper, "Province", "approve");
            var raised = Stopwatch.GetTimestamp();
            await client.RaiseEventAsync(sleeper, BaselineOrchestration.ProvinceDecision, 1);
            var done = await signals.For(sleeper).Completed.Task.WaitAsync(StuckAfter);
            result["provinceToCompletedAfterIdleMs"] = Math.Round(Stopwatch.GetElapsedTime(raised, done).TotalMilliseconds, 1);
            return result;
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stop.Token);
            host.Dispose();
            await sidecar.StopAsync(stop.Token);
            await sidecar.DisposeAsync();
        }
    }

    private sealed class Run
    {
        public readonly ConcurrentBag<double> ProvinceToCompleted = [];
        public readonly ConcurrentBag<double> ProvinceToCompletedImmediate = [];
        public readonly ConcurrentBag<string> NotCompleted = [];
        public readonly ConcurrentBag<string> Immediate = [];
        private int _completed;
        public int Completed => _completed;
        public void Complete() => Interlocked.Increment(ref _completed);
    }

    /// <summary>
    /// One lifecycle per client at a time: create the row, schedule the instance, commit the city's
    /// decision and raise it twice, commit the province's and raise it, wait for Completed. Every
    /// <paramref name="immediateEvery"/>-th raises its events right after scheduling; the others
    /// raise each decision once the orchestration has read the row and is waiting for it, as
    /// reviewers deciding later would.
    /// </summary>
    private static Task RunManyAsync(DurableTaskClient client, BaselineApplications applications, InstanceSignals signals, string idPrefix,
        int count, int concurrency, int immediateEvery, Run run) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var id = $"{idPrefix}-{i:D5}";
            var immediate = i % immediateEvery == immediateEvery - 1;
            if (immediate) run.Immediate.Add(id);
            var instance = signals.For(id);
            await applications.CreateAsync(id);
            await client.ScheduleNewOrchestrationInstanceAsync(BaselineOrchestration.Name, id, new StartOrchestrationOptions(id));
            if (!immediate) await WaitQuietlyAsync(instance.AtCity.Task);
            await applications.CommitAsync(id, "City", "approve");
            await client.RaiseEventAsync(id, BaselineOrchestration.CityDecision, 1);
            await client.RaiseEventAsync(id, BaselineOrchestration.CityDecision, 1); // the duplicate
            if (!immediate) await WaitQuietlyAsync(instance.AtProvince.Task);
            await applications.CommitAsync(id, "Province", "approve");
            var raised = Stopwatch.GetTimestamp();
            await client.RaiseEventAsync(id, BaselineOrchestration.ProvinceDecision, 1);
            try
            {
                var completed = await instance.Completed.Task.WaitAsync(StuckAfter);
                (immediate ? run.ProvinceToCompletedImmediate : run.ProvinceToCompleted).Add(Math.Max(0, Stopwatch.GetElapsedTime(raised, completed).TotalMilliseconds));
                run.Complete();
            }
            catch (TimeoutException)
            {
                run.NotCompleted.Add(id);
            }
        });

    /// <summary>Waits for the orchestration to reach a wait; if it never does, the lifecycle goes on (and will count as stuck).</summary>
    private static async Task WaitQuietlyAsync(Task reached)
    {
        try { await reached.WaitAsync(StuckAfter); }
        catch (TimeoutException) { }
    }

    private static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Select(a => (a.Key, Value: a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Value > 0).ToDictionary(a => a.Key, a => a.Value);

    private static JsonObject PerUnit(Dictionary<string, long> requests, double units)
    {
        var o = new JsonObject();
        foreach (var (operation, n) in requests.OrderByDescending(r => r.Value)) o[operation] = Math.Round(n / units, 2);
        return o;
    }
}
