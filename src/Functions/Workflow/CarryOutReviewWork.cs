using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// The review orchestration's activity: reads the application as committed and carries out the
/// side effects its transitions recorded (<see cref="OutboxDispatcher"/>: each idempotent, in
/// commit order, SMS through the configured gateway), then reports where the application stands.
/// A step that fails is not thrown back at the orchestration: the dispatcher has moved the
/// record's safety-net timer on with back-off, and its sweep wakes the orchestration again.
/// </summary>
public sealed class CarryOutReviewWork(ApplicationStore store, OutboxDispatcher dispatcher, TimerIndex timers, ReviewOrchestrations orchestrations,
    ILogger<CarryOutReviewWork> logger)
{
    /// <summary>The activity function; the input is the application id.</summary>
    [Function(nameof(CarryOutReviewWork))]
    public async Task<ReviewProgress> Run([ActivityTrigger] string applicationId)
    {
        var stored = await store.LoadAsync(applicationId);
        if (stored is null) return new ReviewProgress(0, ApplicationStatus.None, UnderReview: false, WorkLeft: false);
        var after = stored;
        var failed = false;
        if (stored.Outbox.Count > 0)
        {
            try
            {
                // Failures so far are counted on the safety-net timers (an operator hears after too many).
                var failures = await timers.FailuresOfAsync(stored.Outbox.Select(p => p.SafetyNet).OfType<string>());
                after = await dispatcher.DispatchAsync(stored, failures, CancellationToken.None);
                store.Remember(after);
            }
            catch (Exception e)
            {
                failed = true;
                logger.LogWarning(e, "Side effects of {ApplicationId} left to their safety-net timer", applicationId);
            }
        }
        orchestrations.Carried(after);
        return new ReviewProgress(after.State.Version, after.State.Status, after.State.Status.IsOpen(), failed || after.Outbox.Count > 0);
    }
}
