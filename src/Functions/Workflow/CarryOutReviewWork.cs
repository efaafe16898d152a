using FuncRegistry.Core.Applications;
using Microsoft.Azure.Functions.Worker;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// The review orchestration's activity: reads the application as committed, carries out the side
/// effects its transitions recorded (<see cref="ReviewWork"/>), tells a command waiting in this
/// process, and reports where the application stands.
/// </summary>
public sealed class CarryOutReviewWork(ReviewWork work, ReviewOrchestrations orchestrations, FuncRegistry.Functions.Storage.TimerIndex timers)
{
    /// <summary>The activity function; the input is the application id.</summary>
    [Function(nameof(CarryOutReviewWork))]
    public async Task<ReviewProgress> Run([ActivityTrigger] string applicationId)
    {
        if (await work.CarryOutAsync(applicationId) is not { } done)
            return new ReviewProgress(0, ApplicationStatus.None, UnderReview: false, WorkLeft: false);
        orchestrations.Carried(done.Application);
        var state = done.Application.State;
        return new ReviewProgress(state.Version, state.Status, state.Status.IsOpen(), done.WorkLeft, timers.TimerOf(state)?.DueAt);
    }
}
