using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Workflow;

/// <summary>What carrying out an application's recorded side effects left: the application as it now stands, and whether a step failed.</summary>
public sealed record WorkDone(StoredApplication Application, bool Failed)
{
    /// <summary>Side effects still waiting (an SMS retry not yet due) or failed.</summary>
    public bool WorkLeft => Failed || Application.Outbox.Count > 0;
}

/// <summary>
/// Carries out the side effects an application's transitions recorded, on the record as it is
/// stored (<see cref="OutboxDispatcher"/>: each idempotent, in commit order, SMS through the
/// configured gateway). Run by the review orchestration's activity while the application is under
/// review, and by the command itself outside review (a draft, a closed application), where no
/// orchestration runs. A failed step is not thrown: the dispatcher has moved the record's
/// safety-net timer on with back-off, and its sweep comes back.
/// </summary>
public sealed class ReviewWork(ApplicationStore store, OutboxDispatcher dispatcher, TimerIndex timers, ILogger<ReviewWork> logger)
{
    /// <summary>Reads the application and carries out what it asks for; null when it does not exist (any more).</summary>
    public async Task<WorkDone?> CarryOutAsync(string applicationId)
    {
        var stored = await store.LoadAsync(applicationId);
        return stored is null ? null : await CarryOutAsync(stored);
    }

    /// <summary>Carries out what <paramref name="stored"/> asks for.</summary>
    public async Task<WorkDone> CarryOutAsync(StoredApplication stored)
    {
        if (stored.Outbox.Count == 0) return new WorkDone(stored, Failed: false);
        try
        {
            // Failures so far are counted on the safety-net timers (an operator hears after too many).
            var failures = await timers.FailuresOfAsync(stored.Outbox.Select(p => p.SafetyNet).OfType<string>());
            var after = await dispatcher.DispatchAsync(stored, failures, CancellationToken.None);
            store.Remember(after);
            return new WorkDone(after, Failed: false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Side effects of {ApplicationId} left to their safety-net timer", stored.State.Id);
            return new WorkDone(stored, Failed: true);
        }
    }
}
