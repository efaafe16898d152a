using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// What a rebuild did: applications looked at, those whose rows it rewrote, the failed SMS it (re)listed and
/// the rows it took off that list because their SMS is no longer parked.
/// </summary>
public sealed record IndexRebuildResult(int Applications, int Rebuilt, int FailedSms, int FailedSmsUnlisted);

/// <summary>
/// Brings every application's list, queue and timer rows and its review counters in line with what
/// this version writes (ADR 0024): an application whose rows were written by an earlier version (the
/// reviewers' queue families it did not have yet, a head that counts nothing) keeps them until it
/// moves again. An admin runs this once after deploying a version that adds rows: one pass over the
/// registry; each application whose rows differ is re-projected in one transaction with no event,
/// conditional on its head's ETag — a concurrent transition wins and it is tried again — so its
/// counter delta is written once, however often the rebuild runs. Each SMS parked as failed gets its
/// row in the admin's failure list (ADR 0026) again, idempotently and not once resent meanwhile; then the
/// list's rows whose SMS is no longer parked are deleted.
/// </summary>
public sealed class IndexRebuild(ApplicationStore applications, ApplicationIndex lists, TimerIndex timers, SmsFailureIndex failures, ILogger<IndexRebuild> logger)
{
    private const int MaxAttempts = 3;

    /// <summary>Runs the rebuild.</summary>
    public async Task<IndexRebuildResult> RunAsync(CancellationToken cancellationToken = default)
    {
        int seen = 0, rebuilt = 0, failedSms = 0;
        await foreach (var id in applications.ApplicationIdsAsync(cancellationToken))
        {
            seen++;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var stored = await applications.LoadAsync(id, cancellationToken);
                if (attempt == 0 && stored is not null) failedSms += await failures.EnsureAsync(stored.Sms, cancellationToken);
                if (stored is null || stored.State.Status == ApplicationStatus.None || IsCurrent(stored)) break;
                if (await applications.TryAppendAsync(stored, [], [], cancellationToken: cancellationToken) is not null)
                {
                    rebuilt++;
                    break;
                }
            }
        }
        var unlisted = await failures.PruneAsync(cancellationToken);
        logger.LogInformation("Index rebuild: {Rebuilt} of {Applications} applications had rows of an earlier version; {FailedSms} failed SMS listed, {Unlisted} no longer parked unlisted",
            rebuilt, seen, failedSms, unlisted);
        return new IndexRebuildResult(seen, rebuilt, failedSms, unlisted);
    }

    private bool IsCurrent(StoredApplication stored) =>
        stored.Counted == ReviewCounters.KeyOf(stored.State)
        && lists.RowsOf(stored.State).Concat(timers.RowsOf(stored.State)).Select(r => r.RowKey).SequenceEqual(stored.Projected);
}
