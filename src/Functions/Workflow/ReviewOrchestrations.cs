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
/// The commands' side of the review orchestration: after a commit, wake the application's
/// instance with the event the transition raises (starting it on the first submission), then wait,
/// bounded by <see cref="DurableOptions.EffectWait"/>, for it to carry out the side effects, so the
/// answer shows them done as before. A command never depends on the event arriving: the
/// orchestration reads the record, and the safety-net timer committed with the side effects wakes
/// it again if the event is lost.
/// </summary>
public sealed class ReviewOrchestrations(ApplicationStore store, IOptions<DurableOptions> options, ILogger<ReviewOrchestrations> logger)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StoredApplication>> _carried = new(StringComparer.Ordinal);

    /// <summary>
    /// The Durable client: bound by the Functions host into each function that commits
    /// (<c>[DurableClient]</c>), registered at start by the development host. The same for every
    /// invocation of one app, so the first one is kept (a test may swap it to inject a fault).
    /// </summary>
    public DurableTaskClient? Client { get; set; }

    /// <summary>
    /// Wakes the orchestration after <paramref name="committed"/> was committed from
    /// <paramref name="before"/>, and waits for the side effects. Returns the application as it
    /// then stands (its SMS still pending if the wait ran out).
    /// </summary>
    public async Task<StoredApplication> AfterCommitAsync(ApplicationState before, IReadOnlyList<ApplicationEvent> events, StoredApplication committed)
    {
        var after = committed.State;
        var reviewed = before.Status.IsOpen() || after.Status.IsOpen();
        if (!reviewed && committed.Outbox.Count == 0) return committed; // a draft's edit: no orchestration
        var waiting = Expect(committed);
        try
        {
            if (before.Status.IsOpen()) await RaiseAsync(after.Id, ReviewEvents.For(before, events), after.Version);
            else await EnsureRunningAsync(after.Id, after.Version); // first submission, or effects of a draft or a closed application
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Committed is committed: the safety-net timer committed with the side effects wakes the orchestration.
            logger.LogWarning(e, "Could not wake the review orchestration of {ApplicationId} (v{Version}); its safety-net timer will", after.Id, after.Version);
        }
        return waiting is null ? committed : await WaitAsync(committed, waiting);
    }

    /// <summary>
    /// Makes sure the application's instance runs and looks at the record: raise
    /// <see cref="ReviewEvents.WorkDue"/> to a running instance, start one where none runs. The
    /// repair path (a safety-net timer fell due) and commands on applications not under review.
    /// </summary>
    public async Task EnsureRunningAsync(string applicationId, int version, CancellationToken cancellationToken = default)
    {
        var client = Client ?? throw new InvalidOperationException("no Durable client: the review orchestration cannot be reached");
        var instance = await client.GetInstanceAsync(applicationId, getInputsAndOutputs: false, cancellationToken);
        if (instance is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
        {
            await client.RaiseEventAsync(applicationId, ReviewEvents.WorkDue, version, cancellationToken);
            return;
        }
        // An ended instance (its review over, or failed) is purged and started afresh: the provider
        // does not reliably take a new start under the id of an ended one, and its history is no
        // audit trail (the record is).
        if (instance is not null) await client.PurgeInstanceAsync(applicationId, cancellationToken);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ReviewOrchestration), 0, new StartOrchestrationOptions(applicationId), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Started meanwhile by another command or sweep: it reads the record first anyway.
            logger.LogInformation(e, "Review orchestration {ApplicationId} was started concurrently; raising instead", applicationId);
            await client.RaiseEventAsync(applicationId, ReviewEvents.WorkDue, version, cancellationToken);
        }
    }

    /// <summary>
    /// Wakes the instance for side effects of <paramref name="stored"/> (a resend, a sweep) and
    /// waits for them like a command does.
    /// </summary>
    public async Task<StoredApplication> WakeAndWaitAsync(StoredApplication stored, CancellationToken cancellationToken = default)
    {
        var waiting = Expect(stored);
        await EnsureRunningAsync(stored.State.Id, stored.State.Version, cancellationToken);
        return waiting is null ? stored : await WaitAsync(stored, waiting);
    }

    /// <summary>The application's instance, or null when it has none (never submitted, or purged).</summary>
    public Task<OrchestrationMetadata?> InstanceAsync(string applicationId, CancellationToken cancellationToken = default) =>
        (Client ?? throw new InvalidOperationException("no Durable client: the review orchestration cannot be reached"))
            .GetInstanceAsync(applicationId, getInputsAndOutputs: true, cancellationToken);

    /// <summary>Purges the instances created before <paramref name="createdBefore"/> that have completed, failed or been terminated; returns how many.</summary>
    public async Task<int> PurgeEndedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        var client = Client ?? throw new InvalidOperationException("no Durable client: the review orchestration cannot be reached");
        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedFrom: null, CreatedTo: createdBefore,
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]), cancellationToken);
        return result.PurgedInstanceCount;
    }

    private async Task RaiseAsync(string applicationId, string name, int version)
    {
        var client = Client ?? throw new InvalidOperationException("no Durable client: the review orchestration cannot be reached");
        await client.RaiseEventAsync(applicationId, name, version);
    }

    /// <summary>Called by the activity once it has carried out the side effects of an application (in this process).</summary>
    public void Carried(StoredApplication after)
    {
        if (_carried.TryRemove(after.State.Id, out var waiter)) waiter.TrySetResult(after);
    }

    private TaskCompletionSource<StoredApplication>? Expect(StoredApplication committed)
    {
        if (committed.Outbox.Count == 0) return null;
        return _carried.AddOrUpdate(committed.State.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously), (_, existing) => existing);
    }

    /// <summary>
    /// Waits for the activity to report the side effects carried out: in this process, signalled
    /// at once; run by another instance of the app, seen by reading the record every second (the
    /// safety-net timers the commit wrote are gone or moved once the dispatch ran).
    /// </summary>
    private async Task<StoredApplication> WaitAsync(StoredApplication committed, TaskCompletionSource<StoredApplication> carried)
    {
        var covering = committed.Outbox.Select(p => p.SafetyNet).Where(s => s is not null).ToHashSet(StringComparer.Ordinal);
        // A bound on latency, not business time: the real clock, whatever the app's TimeProvider.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var latest = committed;
        while (waited.Elapsed < options.Value.EffectWait)
        {
            var signalled = await Task.WhenAny(carried.Task, Task.Delay(TimeSpan.FromSeconds(1)));
            if (signalled == carried.Task)
            {
                if (carried.Task.Result.State.Version >= committed.State.Version) return carried.Task.Result;
                carried = Expect(committed)!; // an earlier version's run: wait for the next
                continue;
            }
            latest = await store.LoadAsync(committed.State.Id) ?? latest;
            if (!latest.Outbox.Any(p => p.SafetyNet is not null && covering.Contains(p.SafetyNet))) return latest;
            // Still not done: an event raised as the instance ended is dropped by the provider.
            // If it has ended, start it again (the same as the safety net would, only sooner).
            try
            {
                if (Client is { } client && await client.GetInstanceAsync(committed.State.Id) is not ({ IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending }))
                    await EnsureRunningAsync(committed.State.Id, committed.State.Version);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not reach the review orchestration of {ApplicationId}; its safety-net timer will", committed.State.Id);
                break;
            }
        }
        logger.LogInformation("Side effects of {ApplicationId} v{Version} not carried out within {Wait}; answering with them pending",
            committed.State.Id, committed.State.Version, options.Value.EffectWait);
        return latest;
    }
}
