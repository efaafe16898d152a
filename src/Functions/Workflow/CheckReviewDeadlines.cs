using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Applications;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// The review orchestration's activity when its durable timer for the statutory clock fires:
/// records whatever fell due (reminders, escalation, the automatic withdrawal of a returned
/// application) through the decider, as the review clock's sweep does. What it records is decided
/// on the app's clock and committed once (ETag), however often it runs; the orchestration reads the
/// record next and carries out the side effects.
/// </summary>
public sealed class CheckReviewDeadlines(ApplicationWorkflow workflow, DeadlinePolicy policy, TimeProvider clock)
{
    /// <summary>The activity function; the input is the application id. True when something fell due.</summary>
    [Function(nameof(CheckReviewDeadlines))]
    public async Task<bool> Run([ActivityTrigger] string applicationId)
    {
        using var inOrchestration = ReviewOrchestrations.CommittingFromTheOrchestration();
        var before = await workflow.ExecuteAsync(applicationId,
            _ => Task.FromResult<ApplicationCommand>(new ApplicationCommand.CheckDeadlines(policy, Actor.System, clock.GetUtcNow())));
        return before.Refusal is null;
    }
}
