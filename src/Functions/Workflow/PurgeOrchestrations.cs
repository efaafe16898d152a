using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// Daily at 03:30 (UTC): purges the history of review orchestrations started more than
/// <see cref="DurableOptions.PurgeAfterDays"/> days ago that have completed, failed or been terminated
/// (Durable's purge filter is by creation time; a running one is never purged). The
/// application's record and its hash-chained history stay; the orchestration's history is no audit trail.
/// </summary>
public sealed class PurgeOrchestrations(ReviewOrchestrations orchestrations, IOptions<DurableOptions> options, TimeProvider clock, ILogger<PurgeOrchestrations> logger)
{
    /// <summary>The timer function.</summary>
    [Function(nameof(PurgeOrchestrations))]
    public async Task Run([TimerTrigger("0 30 3 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        orchestrations.Client ??= client;
        var purged = await orchestrations.PurgeEndedAsync(clock.GetUtcNow() - TimeSpan.FromDays(options.Value.PurgeAfterDays), cancellationToken);
        logger.LogInformation("Purged {Count} ended review orchestration instances started more than {Days} days ago", purged, options.Value.PurgeAfterDays);
    }
}
