using FuncRegistry.Functions.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>Every minute: fires what fell due (<see cref="TimerSweep"/>). Locally the same sweep runs from <see cref="ReviewClockLoop"/>.</summary>
public sealed class ReviewClockTimer(TimerSweep sweep, ReviewOrchestrations orchestrations, ILogger<ReviewClockTimer> logger)
{
    /// <summary>The timer function.</summary>
    [Function(nameof(ReviewClockTimer))]
    public async Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        orchestrations.Client ??= client; // a safety net that fell due wakes the review orchestration
        var result = await sweep.SweepAsync(cancellationToken);
        if (timer.IsPastDue || result.Failed > 0)
            logger.LogInformation("Review clock swept: {Due} timers due, {Failed} failed{PastDue}", result.Due, result.Failed, timer.IsPastDue ? " (trigger past due)" : "");
    }
}
