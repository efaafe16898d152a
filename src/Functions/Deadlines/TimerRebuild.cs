using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>What a rebuild did: applications looked at, and those whose timer it rewrote.</summary>
public sealed record TimerRebuildResult(int Applications, int Rebuilt);

/// <summary>
/// Brings every application's review-clock timer in line with the settings of today. A timer is
/// written by each transition from the settings of its moment; after the settings change — document
/// retention switched on, stage lengths changed — an application that does not move again keeps the
/// timer it had (or none). An admin runs this once after such a change: it reads every application
/// (one pass over the registry) and rewrites, in one transaction each, those whose timer differs.
/// </summary>
public sealed class TimerRebuild(ApplicationStore applications, TimerIndex timers, ILogger<TimerRebuild> logger)
{
    private const int MaxAttempts = 3;

    /// <summary>Runs the rebuild.</summary>
    public async Task<TimerRebuildResult> RunAsync(CancellationToken cancellationToken = default)
    {
        int seen = 0, rebuilt = 0;
        await foreach (var id in applications.ApplicationIdsAsync(cancellationToken))
        {
            seen++;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var stored = await applications.LoadAsync(id, cancellationToken);
                if (stored is null || stored.State.Status == ApplicationStatus.None) break;
                var wanted = timers.RowsOf(stored.State).Select(r => r.RowKey);
                var written = stored.Projected.Where(TimerIndex.IsTimerRow);
                if (wanted.SequenceEqual(written)) break;
                // No events: only the rows projected from the state are rewritten (a concurrent transition wins and is tried again).
                if (await applications.TryAppendAsync(stored, [], [], cancellationToken: cancellationToken) is not null)
                {
                    rebuilt++;
                    break;
                }
            }
        }
        logger.LogInformation("Timer rebuild: {Rebuilt} of {Applications} applications had a timer from other settings", rebuilt, seen);
        return new TimerRebuildResult(seen, rebuilt);
    }
}
