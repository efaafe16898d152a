using FuncRegistry.Core.Applications;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// One application's review, from its submission: the orchestration waits for the city's
/// decision, then the province's, as external events; a return waits for the resubmission and
/// starts again at the city. It is the one place that says what happens next: before every wait
/// it runs <see cref="CarryOutReviewWork"/>, which reads the application as committed and carries
/// out what it asks for (apply the approval to the certificate, text the applicant, release the
/// claim, delete unseen documents). Instance id = application id; input = the last version handled.
/// </summary>
/// <remarks>
/// The Table record stays the truth (ADR 0013). A command commits first and raises its event
/// after, with the committed version. So an event raised before the instance runs, lost by the
/// provider, or raised twice cannot leave the review stuck or apply anything twice: the first read
/// sees every committed decision, and an event of a version already handled is ignored. A crash
/// between commit and raise leaves the record's safety-net timer, whose sweep wakes (or starts)
/// the instance. Opposite decisions racing are settled by the Table's ETag before any event exists.
/// </remarks>
public static class ReviewOrchestration
{
    /// <summary>Events taken per execution before the history is trimmed by continuing as new.</summary>
    private const int TurnsPerExecution = 100;

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <summary>The orchestrator function.</summary>
    [Function(nameof(ReviewOrchestration))]
    public static async Task<ApplicationStatus> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var handled = context.GetInput<int>();
        var waits = new Dictionary<string, Task<int>>(StringComparer.Ordinal);
        ReviewProgress? progress = null;
        for (var turn = 0; turn < TurnsPerExecution; turn++)
        {
            if (progress is null)
            {
                progress = await context.CallActivityAsync<ReviewProgress>(nameof(CarryOutReviewWork), context.InstanceId, ActivityRetry);
                handled = Math.Max(handled, progress.Version);
                context.SetCustomStatus(new ReviewStatus(progress.Status, handled, Awaiting(progress.Status)));
                // Not under review (approved, withdrawn, a draft, deleted) and nothing left to do: done.
                // With work left (an SMS retry, a failing step) it waits on: the record's safety-net
                // timer wakes it (WorkDue), or starts it again should it have ended.
                if (!progress.UnderReview && !progress.WorkLeft) return progress.Status;
            }

            // One outstanding wait per event name, kept across turns: an event arriving while
            // another name's wait won is still taken by its own wait, never by a later one.
            foreach (var eventName in ReviewEvents.All)
                if (!waits.ContainsKey(eventName)) waits[eventName] = context.WaitForExternalEvent<int>(eventName);

            // The statutory clock: a durable timer races the events. Decided by which task won,
            // never by comparing clocks (timers fire up to a second early; the activity decides on
            // the app's clock what is due). A time already past is left to the review clock's sweep.
            using var timerCancel = new CancellationTokenSource();
            Task? timer = progress.NextCheckAt is { } at && at.UtcDateTime > context.CurrentUtcDateTime
                ? context.CreateTimer(at.UtcDateTime, timerCancel.Token) : null;
            if (timer is not null) context.SetCustomStatus(new ReviewStatus(progress.Status, handled, Awaiting(progress.Status), progress.NextCheckAt));
            var woke = await Task.WhenAny(timer is null ? waits.Values : [.. waits.Values, timer]);
            if (woke == timer)
            {
                await context.CallActivityAsync<bool>(nameof(CheckReviewDeadlines), context.InstanceId, ActivityRetry);
                progress = null; // read what it recorded
                continue;
            }
            timerCancel.Cancel();
            var name = waits.First(w => w.Value == woke).Key;
            waits.Remove(name);
            var version = await (Task<int>)woke;
            // Something new, work due, or a wake-up while work is left: read again. A duplicate or
            // an earlier round's decision (a version already handled) is ignored.
            if (version > handled || name == ReviewEvents.WorkDue || progress.WorkLeft) progress = null;
        }
        context.ContinueAsNew(handled, preserveUnprocessedEvents: true);
        return ApplicationStatus.None;
    }

    private static string? Awaiting(ApplicationStatus status) => status switch
    {
        ApplicationStatus.PendingCityReview => ReviewEvents.CityDecision,
        ApplicationStatus.PendingProvinceReview => ReviewEvents.ProvinceDecision,
        ApplicationStatus.CityReturned or ApplicationStatus.ProvinceReturned => ReviewEvents.Resubmitted,
        ApplicationStatus.PendingConfirmation => ReviewEvents.Changed,
        // Under public notice: an objection or a decision on one (Changed), or the notice's end (its durable timer).
        ApplicationStatus.UnderPublicNotice => ReviewEvents.Changed,
        _ => null,
    };
}
