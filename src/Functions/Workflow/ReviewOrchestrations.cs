using System.Collections.Concurrent;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Workflow;

/// <summary>Durable settings of the app (host.json holds the task hub's own).</summary>
public sealed class DurableOptions
{
    /// <summary>How long a command waits for the orchestration to carry out its side effects before it answers with them still pending.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan EffectWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Days after which a completed, failed or terminated orchestration instance is purged (its application's record and audit chain stay).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int PurgeAfterDays { get; set; } = 90;
}

/// <summary>
/// The commands' side of the review orchestration. After a commit under review, wake the
/// application's instance with the event the transition raises (starting it on the submission),
/// then wait, bounded by <see cref="DurableOptions.EffectWait"/>, for it to carry out the side
/// effects, so the answer shows them done as before. Outside review (a draft, a closed
/// application) no orchestration runs: the command carries out its side effects itself, with the
/// same code (<see cref="ReviewWork"/>). A command never depends on its event arriving: the
/// orchestration reads the record, and the safety-net timer committed with the side effects wakes
/// it again if the event is lost.
/// </summary>
public sealed class ReviewOrchestrations(ApplicationStore store, ReviewWork work, IOptions<DurableOptions> options, ILogger<ReviewOrchestrations> logger)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StoredApplication>> _carried = new(StringComparer.Ordinal);

    /// <summary>One start or restart of an instance at a time per application (in this process): check, purge and schedule are not atomic.</summary>
    private readonly SemaphoreSlim[] _starting = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// The Durable client: bound by the Functions host into each function that commits
    /// (<c>[DurableClient]</c>), registered at start by the development host. The same for every
    /// invocation of one app, so the first one is kept (a test may swap it to inject a fault).
    /// </summary>
    public DurableTaskClient? Client { get; set; }

    private static readonly AsyncLocal<bool> InOrchestration = new();

    /// <summary>
    /// While disposed of not, a commit is the orchestration's own (its deadline activity): it
    /// neither wakes the orchestration nor waits for it, which reads the record right after.
    /// </summary>
    public static IDisposable CommittingFromTheOrchestration()
    {
        InOrchestration.Value = true;
        return new Reset();
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => InOrchestration.Value = false;
    }

    /// <summary>Reads of the record by the orchestration's activity in this process, per application (tests count them).</summary>
    internal ConcurrentDictionary<string, int> Reads { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// After <paramref name="committed"/> was committed from <paramref name="before"/> by
    /// <paramref name="events"/>: wake the orchestration and wait for the side effects (under
    /// review), or carry them out (outside review). Returns the application as it then stands (its
    /// SMS still pending if the wait ran out). Never throws for what happens after the commit.
    /// </summary>
    public async Task<StoredApplication> AfterCommitAsync(ApplicationState before, IReadOnlyList<ApplicationEvent> events, StoredApplication committed)
    {
        var after = committed.State;
        // A reading (a reviewer opening a document) asks nothing of the review; the orchestration's
        // own commit (a deadline it checked) is read by it next.
        if (events.All(e => e is ApplicationEvent.DocumentOpened) || InOrchestration.Value) return committed;
        if (!before.Status.IsOpen() && !after.Status.IsOpen())
            return committed.Outbox.Count == 0 ? committed : (await work.CarryOutAsync(committed)).Application;

        var waiting = Expect(committed);
        using var bound = new CancellationTokenSource(options.Value.EffectWait);
        try
        {
            if (before.Status.IsOpen()) await Durable().RaiseEventAsync(after.Id, ReviewEvents.For(before, events), after.Version, bound.Token);
            else await EnsureRunningAsync(after.Id, after.Version, bound.Token); // the submission starts the review
        }
        catch (Exception e)
        {
            // Committed is committed: the safety-net timer committed with the side effects wakes the orchestration.
            logger.LogWarning(e, "Could not wake the review orchestration of {ApplicationId} (v{Version}); its safety-net timer will", after.Id, after.Version);
            if (waiting is not null) Forget(after.Id, waiting);
            return committed;
        }
        return waiting is null ? committed : await WaitAsync(committed, waiting);
    }

    /// <summary>
    /// Side effects of <paramref name="stored"/> are due outside a transition (a safety-net timer
    /// fell due, an admin resent an SMS): under review, wake the orchestration (starting it again if
    /// it has ended) and wait for it like a command does; outside review, carry them out here.
    /// </summary>
    public async Task<StoredApplication> WakeAndWaitAsync(StoredApplication stored, CancellationToken cancellationToken = default)
    {
        if (!stored.State.Status.IsOpen() && !await RunsAsync(stored.State.Id, cancellationToken)) return (await work.CarryOutAsync(stored)).Application;
        var waiting = Expect(stored);
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(options.Value.EffectWait);
            await EnsureRunningAsync(stored.State.Id, stored.State.Version, bound.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not wake the review orchestration of {ApplicationId}; its safety-net timer will again", stored.State.Id);
            if (waiting is not null) Forget(stored.State.Id, waiting);
            return stored;
        }
        return waiting is null ? stored : await WaitAsync(stored, waiting);
    }

    /// <summary>
    /// Makes sure the review instance of an application under review runs and reads the record:
    /// raise <see cref="ReviewEvents.WorkDue"/> to a running instance; purge an ended one (failed,
    /// terminated, or completed) and start it afresh (the provider does not reliably take a new
    /// start under an ended instance's id, and its history is no audit trail: the record is).
    /// </summary>
    public async Task EnsureRunningAsync(string applicationId, int version, CancellationToken cancellationToken = default)
    {
        var client = Durable();
        var gate = _starting[(int)((uint)StringComparer.Ordinal.GetHashCode(applicationId) % (uint)_starting.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            var instance = await client.GetInstanceAsync(applicationId, getInputsAndOutputs: false, cancellationToken);
            if (IsLive(instance))
            {
                await client.RaiseEventAsync(applicationId, ReviewEvents.WorkDue, version, cancellationToken);
                return;
            }
            if (instance is not null) await client.PurgeInstanceAsync(applicationId, cancellationToken);
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ReviewOrchestration), 0, new StartOrchestrationOptions(applicationId), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Whether the application's instance is running (one whose review ended with work left still is): it is then the one to carry the work out.</summary>
    private async Task<bool> RunsAsync(string applicationId, CancellationToken cancellationToken)
    {
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(TimeSpan.FromSeconds(5));
            return IsLive(await Durable().GetInstanceAsync(applicationId, getInputsAndOutputs: false, bound.Token));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not read the review orchestration of {ApplicationId}; carrying out its side effects here", applicationId);
            return false;
        }
    }

    /// <summary>The application's instance, or null when it has none (never submitted, or purged).</summary>
    public Task<OrchestrationMetadata?> InstanceAsync(string applicationId, CancellationToken cancellationToken = default) =>
        Durable().GetInstanceAsync(applicationId, getInputsAndOutputs: true, cancellationToken);

    /// <summary>
    /// Purges the instances created before <paramref name="createdBefore"/> that have completed or
    /// been terminated; returns how many. A failed instance is kept as evidence until an admin
    /// restarts it (a restart purges it).
    /// </summary>
    public async Task<int> PurgeEndedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        var result = await Durable().PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.MinValue, CreatedTo: createdBefore,
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Terminated]), cancellationToken);
        return result.PurgedInstanceCount;
    }

    /// <summary>An instance that will read an event raised to it: running, or scheduled and not yet started. An ended one drops events.</summary>
    private static bool IsLive(OrchestrationMetadata? instance) =>
        instance is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending };

    private DurableTaskClient Durable() => Client ?? throw new InvalidOperationException("no Durable client: the review orchestration cannot be reached");

    /// <summary>Called by the activity once it has carried out the side effects of an application (in this process).</summary>
    public void Carried(StoredApplication after)
    {
        Reads.AddOrUpdate(after.State.Id, 1, (_, n) => n + 1);
        if (_carried.TryRemove(after.State.Id, out var waiter)) waiter.TrySetResult(after);
    }

    private TaskCompletionSource<StoredApplication>? Expect(StoredApplication committed)
    {
        if (committed.Outbox.Count == 0) return null;
        return _carried.GetOrAdd(committed.State.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private void Forget(string applicationId, TaskCompletionSource<StoredApplication> waiter) =>
        _carried.TryRemove(new KeyValuePair<string, TaskCompletionSource<StoredApplication>>(applicationId, waiter));

    /// <summary>
    /// Waits for the activity to report the side effects carried out: in this process, signalled
    /// at once; run by another instance of the app, seen by reading the record every second (the
    /// safety-net timers the commit wrote are gone or moved once the dispatch ran). An instance
    /// that has ended meanwhile (an event raised as it ended is dropped) is started again.
    /// </summary>
    private async Task<StoredApplication> WaitAsync(StoredApplication committed, TaskCompletionSource<StoredApplication> carried)
    {
        var id = committed.State.Id;
        var covering = committed.Outbox.Select(p => p.SafetyNet).Where(s => s is not null).ToHashSet(StringComparer.Ordinal);
        // A bound on latency, not business time: the real clock, whatever the app's TimeProvider.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var latest = committed;
        try
        {
            while (waited.Elapsed < options.Value.EffectWait)
            {
                var signalled = await Task.WhenAny(carried.Task, Task.Delay(TimeSpan.FromSeconds(1)));
                if (signalled == carried.Task)
                {
                    var after = carried.Task.Result;
                    if (after.State.Version == committed.State.Version) return after;
                    // Another command committed meanwhile: its state is not this command's answer.
                    if (after.State.Version > committed.State.Version) return committed with { Sms = after.Sms, Outbox = after.Outbox.Where(p => p.Version <= committed.State.Version).ToList() };
                    carried = Expect(committed)!; // an earlier version's run: wait for the next
                    continue;
                }
                try
                {
                    var stored = await store.LoadAsync(id);
                    if (stored is null) return committed; // deleted with its side effects (a draft)
                    latest = stored;
                    if (!latest.Outbox.Any(p => p.SafetyNet is not null && covering.Contains(p.SafetyNet))) return latest;
                    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    if (!IsLive(await Durable().GetInstanceAsync(id, getInputsAndOutputs: false, bound.Token)))
                        await EnsureRunningAsync(id, committed.State.Version, bound.Token);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Could not follow the side effects of {ApplicationId}; its safety-net timer will", id);
                    return latest;
                }
            }
            logger.LogInformation("Side effects of {ApplicationId} v{Version} not carried out within {Wait}; answering with them pending",
                id, committed.State.Version, options.Value.EffectWait);
            return latest;
        }
        finally
        {
            Forget(id, carried);
        }
    }
}
