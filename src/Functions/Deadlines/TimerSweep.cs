using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Applications;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>What one sweep did.</summary>
/// <param name="BucketsRead">Day buckets queried (one partition query each).</param>
/// <param name="Due">Timer rows found due.</param>
/// <param name="Failed">Of those, rows left for the next sweep because firing them failed.</param>
public sealed record SweepResult(int BucketsRead, int Due, int Failed);

/// <summary>
/// Fires the due timers: for each, the system's <see cref="ApplicationCommand.CheckDeadlines"/>
/// through <see cref="ApplicationWorkflow"/> (decider + ETag), so whatever fell due is recorded
/// once — a second sweep racing this one finds it recorded and records nothing. The same code
/// runs from the local background loop and from the Azure timer trigger.
/// </summary>
public sealed class TimerSweep(TimerIndex timers, ApplicationWorkflow workflow, DeadlinePolicy policy, IOptions<DeadlineOptions> options,
    TimeProvider clock, ILogger<TimerSweep> logger)
{
    /// <summary>Sweeps every bucket from the cursor up to now.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var settled = today.AddDays(-Math.Max(0, o.LateWriteGraceDays));
        var from = await timers.CursorAsync(cancellationToken) ?? today.AddDays(-o.InitialLookbackDays);
        DateOnly? oldestUnfinished = null;
        int buckets = 0, due = 0, failed = 0;
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            var rows = await timers.DueAsync(day, now, cancellationToken);
            buckets++;
            due += rows.Count;
            var failedHere = 0;
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, o.SweepParallelism), CancellationToken = cancellationToken },
                async (timer, token) => { if (!await FireAsync(timer, now, token)) Interlocked.Increment(ref failedHere); });
            failed += failedHere;
            if (failedHere > 0) oldestUnfinished ??= day;
        }
        var cursor = oldestUnfinished is { } unfinished && unfinished < settled ? unfinished : settled;
        if (cursor != from) await timers.SetCursorAsync(cursor, cancellationToken);
        if (due > 0) logger.LogInformation("Review clock: {Due} timers due in {Buckets} day buckets, {Failed} failed", due, buckets, failed);
        return new SweepResult(buckets, due, failed);
    }

    /// <summary>Records what fell due for one application; true when the timer is dealt with.</summary>
    private async Task<bool> FireAsync(TimerIndex.Timer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var result = await workflow.ExecuteAsync(timer.ApplicationId,
                _ => Task.FromResult<ApplicationCommand>(new ApplicationCommand.CheckDeadlines(policy, Actor.System, now)), null, cancellationToken);
            if (result.Refusal is { Kind: RefusalKind.NotFound })
            {
                await timers.RemoveAsync(timer, cancellationToken);
                return true;
            }
            if (result.Refusal is { } refusal)
            {
                logger.LogWarning("Review clock could not check {ApplicationId}: {Code}", timer.ApplicationId, refusal.Code);
                return false;
            }
            // The transition's projection has normally moved the timer already; this repairs a
            // row left stale by a lost race or a change of settings, so no timer is lost or loops.
            var current = timers.TimerOf(result.Application!.State);
            if (current != timer)
            {
                if (current is not null) await timers.PutAsync(current, cancellationToken);
                await timers.RemoveAsync(timer, cancellationToken);
            }
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Review clock failed for {ApplicationId}; retried at the next sweep", timer.ApplicationId);
            return false;
        }
    }
}
