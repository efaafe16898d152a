using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>The due time of the stage an application waits in, as of now.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="DueOn">Its last working day.</param>
/// <param name="DueAt">When it becomes overdue: the end of <paramref name="DueOn"/>, Beijing time.</param>
/// <param name="Overdue">True from <paramref name="DueAt"/> on.</param>
/// <param name="RemainingWorkingDays">Working days left after today (0 on the last day; negative = working days overdue).</param>
/// <param name="Escalated">A late city stage was reported to the province.</param>
public sealed record StageDeadlineView(ReviewStage Stage, DateOnly DueOn, DateTimeOffset DueAt, bool Overdue, int RemainingWorkingDays, bool Escalated);

/// <summary>The statutory clock of the whole application (行政许可法 Art. 42), paused while it is back with the applicant.</summary>
/// <param name="LimitWorkingDays">20, or 30 once extended.</param>
/// <param name="UsedWorkingDays">Working days spent in review so far.</param>
/// <param name="RemainingWorkingDays">Working days left.</param>
/// <param name="Paused">Back with the applicant: the clock stands still.</param>
/// <param name="DueOn">While in review: the last working day.</param>
/// <param name="DueAt">While in review: when it becomes overdue.</param>
/// <param name="Overdue">In review past <paramref name="DueAt"/>.</param>
public sealed record StatutoryDeadlineView(int LimitWorkingDays, int UsedWorkingDays, int RemainingWorkingDays, bool Paused,
    DateOnly? DueOn, DateTimeOffset? DueAt, bool Overdue);

/// <summary>The extension granted.</summary>
public sealed record DeadlineExtensionView(string Reason, int WorkingDays, DateTimeOffset At);

/// <summary>An application's deadlines (办理时限) as <c>GET /api/applications/{id}</c> shows them.</summary>
/// <param name="Stage">The stage it waits in, or null.</param>
/// <param name="Statutory">The whole application's clock.</param>
/// <param name="Extension">The extension, once granted.</param>
/// <param name="AutoWithdrawAt">While returned: when it is withdrawn unless resubmitted.</param>
/// <param name="DocumentsPurgeAt">Once closed, while retention is on and documents are kept: when they are purged.</param>
public sealed record DeadlineView(StageDeadlineView? Stage, StatutoryDeadlineView Statutory, DeadlineExtensionView? Extension, DateTimeOffset? AutoWithdrawAt,
    DateTimeOffset? DocumentsPurgeAt = null);

/// <summary>A list line's stage due time.</summary>
public sealed record ListDeadline(DateOnly DueOn, DateTimeOffset DueAt, bool Overdue, int RemainingWorkingDays);

/// <summary>Shows the review clock's due times as of now (<see cref="ReviewClock"/> computes them).</summary>
public sealed class ReviewDeadlines(DeadlinePolicy policy, TimeProvider clock)
{
    /// <summary>The deadlines of a submitted application; null for a draft.</summary>
    public DeadlineView? ViewOf(StoredApplication stored)
    {
        var s = stored.State;
        if (s.Round == 0) return null;
        var now = clock.GetUtcNow();
        var today = BeijingTime.DateOf(now);
        var stage = ReviewClock.StageDeadlineOf(s, policy) is { } d
            ? new StageDeadlineView(d.Stage, d.DueOn, Beijing(d.DueAt), d.IsOverdue(now), ReviewClock.RemainingWorkingDays(d.DueOn, today, policy.Calendar), s.StageClock.Escalated)
            : null;
        var st = ReviewClock.Statutory(stored.History, policy, now);
        var statutory = new StatutoryDeadlineView(st.LimitWorkingDays, st.UsedWorkingDays, st.RemainingWorkingDays,
            Paused: s.Status.IsReturned(),
            st.DueOn, st.DueAt is { } due ? Beijing(due) : null, st.Running && st.DueAt <= now);
        var extension = s.Extension is { } x ? new DeadlineExtensionView(x.Reason, x.WorkingDays, Beijing(x.At)) : null;
        var withdrawAt = ReviewClock.AutoWithdrawAt(s, policy);
        var purgeAt = ReviewClock.DocumentsPurgeAt(s, policy);
        return new DeadlineView(stage, statutory, extension, withdrawAt is { } w ? Beijing(w) : null, purgeAt is { } p ? Beijing(p) : null);
    }

    /// <summary>The stage due time a list line carries (stored with it by the projection), as of now.</summary>
    public ListDeadline? Of(ApplicationSummary summary)
    {
        if (summary.DueAt is not { } dueAt || summary.Status.Stage() is null) return null;
        var now = clock.GetUtcNow();
        var dueOn = BeijingTime.DayEndingAt(dueAt);
        return new ListDeadline(dueOn, Beijing(dueAt), now >= dueAt, ReviewClock.RemainingWorkingDays(dueOn, BeijingTime.DateOf(now), policy.Calendar));
    }

    /// <summary>The stage due time the projection stores with a list line.</summary>
    public DateTimeOffset? StageDueAt(ApplicationState state) => ReviewClock.StageDeadlineOf(state, policy)?.DueAt;

    private static DateTimeOffset Beijing(DateTimeOffset at) => at.ToOffset(BeijingTime.Offset);
}
