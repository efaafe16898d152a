using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Deadlines;

/// <summary>Notices reviewers get by webhook: the review clock's, and an objection to a public notice.</summary>
public enum DeadlineNotice
{
    /// <summary>The stage falls due soon (the configured lead before its due time).</summary>
    DueSoon,
    /// <summary>The stage is overdue.</summary>
    Overdue,
    /// <summary>A city stage is overdue by more than the margin: the province is told.</summary>
    Escalated,
    /// <summary>Someone objected to an application under public notice: the reviewers of its last stop decide it.</summary>
    ObjectionReceived,
}

/// <summary>
/// The due time of the stage an application waits in. <paramref name="DueOn"/> is its last working
/// day; it is overdue from <paramref name="DueAt"/>, the end of that day (Beijing time).
/// </summary>
/// <param name="Stage">The stage.</param>
/// <param name="Since">When the application entered the stage: the clock starts the next day.</param>
/// <param name="WorkingDays">Working days the stage has, an extension granted in it included.</param>
/// <param name="DueOn">The last working day.</param>
/// <param name="DueAt">The instant it becomes overdue.</param>
/// <param name="RemindAt">When its reviewers are told it falls due soon; null when no lead is configured.</param>
/// <param name="EscalateAt">When a late city stage goes to the province; null for the province stage.</param>
public sealed record StageDeadline(ReviewStage Stage, DateTimeOffset Since, int WorkingDays, DateOnly DueOn, DateTimeOffset DueAt,
    DateTimeOffset? RemindAt, DateTimeOffset? EscalateAt)
{
    /// <summary>True from the due time on.</summary>
    public bool IsOverdue(DateTimeOffset now) => now >= DueAt;
}

/// <summary>
/// The statutory clock of the whole application: working days used in review so far (paused
/// while it is back with the applicant), of a limit that an extension raises.
/// </summary>
/// <param name="LimitWorkingDays">The statutory period with any extension.</param>
/// <param name="UsedWorkingDays">Working days spent in review up to now.</param>
/// <param name="Running">True while in review; false while returned (paused), before submission and once decided.</param>
/// <param name="DueOn">While running: the last working day.</param>
/// <param name="DueAt">While running: the instant it becomes overdue.</param>
public sealed record StatutoryDeadline(int LimitWorkingDays, int UsedWorkingDays, bool Running, DateOnly? DueOn, DateTimeOffset? DueAt)
{
    /// <summary>Working days left (negative when over the limit).</summary>
    public int RemainingWorkingDays => LimitWorkingDays - UsedWorkingDays;
}

/// <summary>
/// Due times as a pure function of the application and the calendar: nothing about them is
/// stored except what the clock itself records (reminders, escalation, extension). A stage's
/// clock starts when the application enters it; the statutory clock pauses while the
/// application is back with the applicant. What falls due is decided here and recorded through
/// the decider, so it happens once however many sweeps ask. The same clock purges the documents
/// of a closed application once its retention period has passed (<see cref="DocumentsPurgeAt"/>).
/// </summary>
public static class ReviewClock
{
    /// <summary>The due time of the stage the application waits in, or null when it waits in none.</summary>
    public static StageDeadline? StageDeadlineOf(ApplicationState state, DeadlinePolicy policy)
    {
        if (state.Status.Stage() is not { } stage) return null;
        var calendar = policy.Calendar;
        var workingDays = policy.WorkingDaysOf(stage) + state.StageClock.ExtensionWorkingDays;
        var dueOn = calendar.AddWorkingDays(BeijingTime.DateOf(state.StatusSince), workingDays);
        DateTimeOffset? remindAt = policy.ReminderLeadWorkingDays > 0
            ? BeijingTime.StartOf(calendar.AddWorkingDays(dueOn, 1 - policy.ReminderLeadWorkingDays))
            : null;
        DateTimeOffset? escalateAt = stage == ReviewStage.City
            ? BeijingTime.EndOf(calendar.AddWorkingDays(dueOn, policy.EscalateAfterWorkingDays))
            : null;
        return new StageDeadline(stage, state.StatusSince, workingDays, dueOn, BeijingTime.EndOf(dueOn), remindAt, escalateAt);
    }

    /// <summary>When a returned application not resubmitted is withdrawn; null when it is not returned, or when the province withdraws none (ResubmitWithinDays 0).</summary>
    public static DateTimeOffset? AutoWithdrawAt(ApplicationState state, DeadlinePolicy policy) =>
        state.Status.IsReturned() && policy.ResubmitWithinDays > 0
            ? state.StatusSince.AddDays(policy.ResubmitWithinDays)
            : null;

    /// <summary>
    /// When the documents of a closed (approved or withdrawn) application are purged: the configured
    /// retention in calendar days after it closed. Null while it is open, when it holds no document,
    /// once purged, and when retention is off (0: kept for ever).
    /// </summary>
    public static DateTimeOffset? DocumentsPurgeAt(ApplicationState state, DeadlinePolicy policy) =>
        policy.DocumentRetentionDays > 0 && state.Status.IsFinal() && state.DocumentsPurgedAt is null
        && (state.Documents.Count > 0 || state.EarlierDocuments.Count > 0)
            ? state.StatusSince.AddDays(policy.DocumentRetentionDays)
            : null;

    /// <summary>
    /// The earliest instant at which <see cref="DueEvents"/> has something to record, or null when
    /// nothing will fall due without another event first. What the timer index keeps per application.
    /// </summary>
    public static DateTimeOffset? NextCheckAt(ApplicationState state, DeadlinePolicy policy)
    {
        if (state.Status == ApplicationStatus.UnderPublicNotice) return PublicNoticeRules.EndCheckAt(state);
        if (DocumentsPurgeAt(state, policy) is { } purgeAt) return purgeAt;
        if (AutoWithdrawAt(state, policy) is { } withdrawAt) return withdrawAt;
        if (StageDeadlineOf(state, policy) is not { } deadline) return null;
        var marks = state.StageClock;
        if (!marks.OverdueReminded)
            return !marks.DueSoonReminded && deadline.RemindAt is { } remindAt ? remindAt : deadline.DueAt;
        return !marks.Escalated ? deadline.EscalateAt : null;
    }

    /// <summary>
    /// What falls due at <paramref name="at"/> and has not been recorded yet: at most the most
    /// advanced reminder (a due-soon reminder is skipped once the stage is overdue), the
    /// escalation of a late city stage, the withdrawal of a returned application, or the purge of
    /// a closed application's documents. Empty when nothing is due, so asking again records nothing twice.
    /// </summary>
    public static IReadOnlyList<ApplicationEvent> DueEvents(ApplicationState state, DeadlinePolicy policy, ActorRef by, DateTimeOffset at)
    {
        // Under public notice the review is decided: only the notice's end can fall due.
        if (state.Status == ApplicationStatus.UnderPublicNotice) return PublicNoticeRules.DueEvents(state, by, at);
        if (DocumentsPurgeAt(state, policy) is { } purgeAt)
            return at >= purgeAt
                ? [new ApplicationEvent.DocumentsPurged(policy.DocumentRetentionDays,
                    state.Documents.Concat(state.EarlierDocuments).Select(d => d.ToReference()).ToList(), by, at)]
                : [];
        if (AutoWithdrawAt(state, policy) is { } withdrawAt)
            return at >= withdrawAt ? [new ApplicationEvent.AutoWithdrawn(policy.ResubmitWithinDays, by, at)] : [];
        if (StageDeadlineOf(state, policy) is not { } deadline) return [];
        var marks = state.StageClock;
        var events = new List<ApplicationEvent>();
        if (!marks.OverdueReminded && deadline.IsOverdue(at))
            events.Add(new ApplicationEvent.ReviewReminderSent(deadline.Stage, DeadlineNotice.Overdue, deadline.DueAt, by, at));
        else if (!marks.OverdueReminded && !marks.DueSoonReminded && deadline.RemindAt is { } remindAt && at >= remindAt)
            events.Add(new ApplicationEvent.ReviewReminderSent(deadline.Stage, DeadlineNotice.DueSoon, deadline.DueAt, by, at));
        if (!marks.Escalated && deadline.EscalateAt is { } escalateAt && at >= escalateAt)
            events.Add(new ApplicationEvent.StageEscalated(deadline.Stage, deadline.DueAt, by, at));
        return events;
    }

    /// <summary>The statutory clock of an application's history as of <paramref name="now"/>.</summary>
    public static StatutoryDeadline Statutory(IEnumerable<ApplicationEvent> history, DeadlinePolicy policy, DateTimeOffset now)
    {
        var calendar = policy.Calendar;
        var state = ApplicationState.Initial;
        var used = 0;
        var limit = policy.TotalWorkingDays;
        DateOnly? runningSince = null;
        foreach (var e in history)
        {
            var next = ApplicationState.Evolve(state, e);
            if (e is ApplicationEvent.DeadlineExtended extended) limit += extended.WorkingDays;
            var wasInReview = state.Status.Stage() is not null;
            var isInReview = next.Status.Stage() is not null;
            if (!wasInReview && isInReview) runningSince = BeijingTime.DateOf(e.At);
            if (wasInReview && !isInReview && runningSince is { } since)
            {
                used += calendar.WorkingDaysBetween(since, BeijingTime.DateOf(e.At));
                runningSince = null;
            }
            state = next;
        }
        if (runningSince is not { } start) return new StatutoryDeadline(limit, used, false, null, null);
        var dueOn = calendar.AddWorkingDays(start, limit - used);
        var usedNow = used + Math.Max(0, calendar.WorkingDaysBetween(start, BeijingTime.DateOf(now)));
        return new StatutoryDeadline(limit, usedNow, true, dueOn, BeijingTime.EndOf(dueOn));
    }

    /// <summary>
    /// Working days left until the end of <paramref name="dueOn"/> after today: 0 on the last day;
    /// once past it, minus the working days overdue.
    /// </summary>
    public static int RemainingWorkingDays(DateOnly dueOn, DateOnly today, WorkingCalendar calendar) =>
        calendar.WorkingDaysBetween(today, dueOn);
}
