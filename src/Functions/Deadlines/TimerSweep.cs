using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Workflow;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>What one sweep did.</summary>
/// <param name="Due">Timer rows found due.</param>
/// <param name="Failed">Of those, rows left for the next sweep because firing them failed.</param>
public sealed record SweepResult(int Due, int Failed);

/// <summary>
/// Fires the due timers. A review-clock timer runs the system's
/// <see cref="ApplicationCommand.CheckDeadlines"/> through <see cref="ApplicationWorkflow"/>
/// (decider + ETag), so whatever fell due is recorded once — a second sweep racing this one finds
/// it recorded and records nothing. A safety-net timer wakes the review orchestration for side
/// effects left undone (it starts the instance again if it has completed). The same code runs from the local background loop and from the Azure timer trigger.
/// </summary>
public sealed class TimerSweep(TimerIndex timers, ApplicationStore applications, ApplicationWorkflow workflow, ReviewOrchestrations orchestrations, DeadlinePolicy policy,
    IOptions<DeadlineOptions> options, TimeProvider clock, ILogger<TimerSweep> logger)
{
    /// <summary>Timers one sweep takes on; the rest wait for the next sweep.</summary>
    public const int MaxTimersPerSweep = 1000;

    /// <summary>Fires every timer due by now: one range query, then one transition per application.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var rows = await timers.DueAsync(now, MaxTimersPerSweep, cancellationToken);
        var failed = 0;
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SweepParallelism), CancellationToken = cancellationToken },
            async (timer, token) => { if (!await FireAsync(timer, now, token)) Interlocked.Increment(ref failed); });
        if (rows.Count > 0) logger.LogInformation("Review clock: {Due} timers due, {Failed} failed", rows.Count, failed);
        return new SweepResult(rows.Count, failed);
    }

    /// <summary>Records what fell due for one application; true when the timer is dealt with.</summary>
    private async Task<bool> FireAsync(TimerIndex.Timer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            if (timer.OutboxVersion is not null)
            {
                // A safety net fell due: side effects are left (the process died after the commit, a
                // step failed, an SMS retry is due). The orchestration carries them out; wake it.
                var covered = await applications.LoadAsync(timer.ApplicationId, cancellationToken);
                if (covered is null || covered.Outbox.All(p => p.SafetyNet != timer.RowKey))
                {
                    await timers.RemoveAsync(timer, cancellationToken); // nothing left to cover
                    return true;
                }
                await orchestrations.WakeAndWaitAsync(covered, cancellationToken);
                return true;
            }
            var result = await workflow.ExecuteAsync(timer.ApplicationId,
                _ => Task.FromResult<ApplicationCommand>(new ApplicationCommand.CheckDeadlines(policy, Actor.System, now)), null, cancellationToken);
            if (result.Refusal is { Kind: RefusalKind.NotFound })
            {
                await timers.RemoveAsync(timer, cancellationToken); // cannot happen by construction; never fires again if it did
                return true;
            }
            if (result.Refusal is { } refusal)
            {
                logger.LogWarning("Review clock could not check {ApplicationId}: {Code}", timer.ApplicationId, refusal.Code);
                return false;
            }
            // A transition moves the timer in its own transaction. With nothing due (the settings
            // changed since the row was written) the row is brought in line here, so it cannot loop.
            var stored = result.Application!;
            if (stored.Projected.Contains(timer.RowKey) && timers.TimerOf(stored.State) != timer)
                await applications.TryAppendAsync(stored, [], [], cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Review clock failed for {ApplicationId}; retried at the next sweep", timer.ApplicationId);
            return false;
        }
    }
}
