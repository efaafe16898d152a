using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestCalendar;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Due times as a pure function of the history and the calendar: stage due times, the statutory
/// clock that pauses while the application is back with the applicant, extension, and what the
/// clock records when (reminders once each, escalation, withdrawal).
/// </summary>
public class ReviewClockTests
{
    private static readonly ActorRef System = ActorRef.Of(Actor.System);

    private static ApplicationEvent At(ApplicationEvent e, string beijing) => e with { At = Beijing(beijing) };

    private static ApplicationState StateOf(params ApplicationEvent[] history) => ApplicationState.From(history);

    /// <summary>Submitted on Monday 23 November 2026 at 10:00, waiting for the city.</summary>
    private static ApplicationEvent[] WaitingForCity() => [At(Created(), "2026-11-23 09:00"), At(Submitted(), "2026-11-23 10:00")];

    // ── Stage due times ─────────────────────────────────────────────────────────────────

    [Fact]
    public void City_stage_falls_due_five_working_days_after_the_day_of_submission()
    {
        var deadline = ReviewClock.StageDeadlineOf(StateOf(WaitingForCity()), Policy)!;

        Assert.Equal(ReviewStage.City, deadline.Stage);
        Assert.Equal(D("2026-11-30"), deadline.DueOn);
        Assert.Equal(Beijing("2026-12-01 00:00"), deadline.DueAt);
        Assert.Equal(Beijing("2026-11-30 00:00"), deadline.RemindAt);  // one working day ahead
        Assert.Equal(Beijing("2026-12-03 00:00"), deadline.EscalateAt); // overdue by more than 2 working days
    }

    [Fact]
    public void Due_date_skips_the_National_Day_holiday_and_counts_its_make_up_Saturday()
    {
        var state = StateOf(At(Created(), "2026-09-30 09:00"), At(Submitted(), "2026-09-30 16:00"));

        var deadline = ReviewClock.StageDeadlineOf(state, Policy)!;

        // 8, 9, 10 (Saturday, a working day), 12 and 13 October.
        Assert.Equal(D("2026-10-13"), deadline.DueOn);
        Assert.Equal(Beijing("2026-10-13 00:00"), deadline.RemindAt);
    }

    [Fact]
    public void A_submission_on_a_weekend_starts_counting_on_Monday()
    {
        var state = StateOf(At(Created(), "2026-11-28 09:00"), At(Submitted(), "2026-11-28 10:00"));
        Assert.Equal(D("2026-12-04"), ReviewClock.StageDeadlineOf(state, Policy)!.DueOn);
    }

    [Fact]
    public void Province_stage_has_ten_working_days_from_the_city_approval_and_never_escalates()
    {
        var state = StateOf([.. WaitingForCity(), At(CityApproved(), "2026-11-24 15:00")]);

        var deadline = ReviewClock.StageDeadlineOf(state, Policy)!;

        Assert.Equal(ReviewStage.Province, deadline.Stage);
        Assert.Equal(D("2026-12-08"), deadline.DueOn);
        Assert.Null(deadline.EscalateAt);
    }

    [Theory]
    [InlineData(ApplicationStatus.Draft)]
    [InlineData(ApplicationStatus.CityReturned)]
    [InlineData(ApplicationStatus.ProvinceReturned)]
    [InlineData(ApplicationStatus.Approved)]
    [InlineData(ApplicationStatus.Withdrawn)]
    public void Outside_review_there_is_no_stage_due_time(ApplicationStatus status) =>
        Assert.Null(ReviewClock.StageDeadlineOf(StateOf(LeadingTo(status)), Policy));

    [Fact]
    public void Extension_adds_its_working_days_to_the_stage_it_was_granted_in_and_to_the_whole_application()
    {
        ApplicationEvent[] history =
        [
            .. WaitingForCity(), At(CityApproved(), "2026-11-24 15:00"),
            At(new ApplicationEvent.DeadlineExtended("需现场核查", 10, TestData.Ref(TestData.ProvinceReviewer), default), "2026-12-01 09:00"),
        ];

        Assert.Equal(D("2026-12-22"), ReviewClock.StageDeadlineOf(ApplicationState.From(history), Policy)!.DueOn);
        Assert.Equal(30, ReviewClock.Statutory(history, Policy, Beijing("2026-12-01 09:00")).LimitWorkingDays);
    }

    // ── The statutory clock pauses while returned ───────────────────────────────────────

    [Fact]
    public void Statutory_clock_runs_from_submission_through_both_stages()
    {
        ApplicationEvent[] history = [.. WaitingForCity(), At(CityApproved(), "2026-11-25 15:00")];

        var clock = ReviewClock.Statutory(history, Policy, Beijing("2026-11-26 09:00"));

        Assert.True(clock.Running);
        Assert.Equal(20, clock.LimitWorkingDays);
        Assert.Equal(3, clock.UsedWorkingDays);
        Assert.Equal(D("2026-12-21"), clock.DueOn);
    }

    [Fact]
    public void Statutory_clock_pauses_while_the_application_is_back_with_the_applicant()
    {
        ApplicationEvent[] returned = [.. WaitingForCity(), At(CityReturned(), "2026-11-25 11:00")];

        var paused = ReviewClock.Statutory(returned, Policy, Beijing("2026-12-04 09:00"));
        Assert.False(paused.Running);
        Assert.Equal(2, paused.UsedWorkingDays);           // 24 and 25 November
        Assert.Equal(18, paused.RemainingWorkingDays);     // nine working days later, still 18
        Assert.Null(paused.DueAt);

        ApplicationEvent[] resubmitted = [.. returned, At(Submitted(round: 2), "2026-12-07 10:00")];
        var running = ReviewClock.Statutory(resubmitted, Policy, Beijing("2026-12-08 09:00"));
        Assert.True(running.Running);
        Assert.Equal(3, running.UsedWorkingDays);
        Assert.Equal(D("2026-12-31"), running.DueOn);      // 18 working days after 7 December
        // The stage clock starts afresh with the new round.
        Assert.Equal(D("2026-12-14"), ReviewClock.StageDeadlineOf(ApplicationState.From(resubmitted), Policy)!.DueOn);
    }

    [Fact]
    public void Statutory_due_date_skips_New_Years_Day()
    {
        ApplicationEvent[] history = [.. WaitingForCity(), At(CityReturned(), "2026-11-24 11:00"), At(Submitted(round: 2), "2026-12-07 10:00")];

        // One working day used, 19 left from 7 December: 31 December, then 1 January is a holiday and 2-3 a weekend.
        Assert.Equal(D("2027-01-04"), ReviewClock.Statutory(history, Policy, Beijing("2026-12-07 10:00")).DueOn);
    }

    // ── What the clock records, and when ────────────────────────────────────────────────

    [Fact]
    public void Reviewers_are_reminded_once_before_the_due_time_once_when_overdue_and_a_late_city_stage_escalates_once()
    {
        var history = WaitingForCity().ToList();
        ApplicationEvent[] Check(string at) => ReviewClock.DueEvents(ApplicationState.From(history), Policy, System, Beijing(at)).ToArray();

        Assert.Empty(Check("2026-11-29 23:59"));
        var dueSoon = Assert.IsType<ApplicationEvent.ReviewReminderSent>(Assert.Single(Check("2026-11-30 00:00")));
        Assert.Equal((ReviewStage.City, DeadlineNotice.DueSoon, Beijing("2026-12-01 00:00")), (dueSoon.Stage, dueSoon.Kind, dueSoon.DueAt));
        history.Add(dueSoon);
        Assert.Empty(Check("2026-11-30 18:00"));

        var overdue = Assert.IsType<ApplicationEvent.ReviewReminderSent>(Assert.Single(Check("2026-12-01 00:00")));
        Assert.Equal(DeadlineNotice.Overdue, overdue.Kind);
        history.Add(overdue);
        Assert.Empty(Check("2026-12-02 23:59"));

        var escalated = Assert.IsType<ApplicationEvent.StageEscalated>(Assert.Single(Check("2026-12-03 00:00")));
        history.Add(escalated);
        Assert.Empty(Check("2027-06-01 00:00"));
        Assert.Null(ReviewClock.NextCheckAt(ApplicationState.From(history), Policy));
    }

    [Fact]
    public void A_clock_that_was_not_running_skips_the_due_soon_reminder_and_records_everything_due_at_once()
    {
        var state = StateOf(WaitingForCity());

        var late = ReviewClock.DueEvents(state, Policy, System, Beijing("2026-12-01 09:00"));
        Assert.Equal(DeadlineNotice.Overdue, Assert.IsType<ApplicationEvent.ReviewReminderSent>(Assert.Single(late)).Kind);

        var veryLate = ReviewClock.DueEvents(state, Policy, System, Beijing("2026-12-10 09:00"));
        Assert.Collection(veryLate,
            e => Assert.Equal(DeadlineNotice.Overdue, Assert.IsType<ApplicationEvent.ReviewReminderSent>(e).Kind),
            e => Assert.IsType<ApplicationEvent.StageEscalated>(e));
    }

    [Fact]
    public void Province_stage_is_reminded_but_not_escalated()
    {
        var state = StateOf([.. WaitingForCity(), At(CityApproved(), "2026-11-24 15:00")]);

        var events = ReviewClock.DueEvents(state, Policy, System, Beijing("2027-02-01 09:00"));

        Assert.Equal(DeadlineNotice.Overdue, Assert.IsType<ApplicationEvent.ReviewReminderSent>(Assert.Single(events)).Kind);
    }

    [Fact]
    public void A_returned_application_not_resubmitted_within_thirty_days_is_withdrawn()
    {
        ApplicationEvent[] returned = [.. WaitingForCity(), At(CityReturned(), "2026-11-25 11:00")];
        var state = StateOf(returned);

        Assert.Equal(Beijing("2026-12-25 11:00"), ReviewClock.NextCheckAt(state, Policy));
        Assert.Empty(ReviewClock.DueEvents(state, Policy, System, Beijing("2026-12-25 10:59")));
        var withdrawn = Assert.IsType<ApplicationEvent.AutoWithdrawn>(Assert.Single(ReviewClock.DueEvents(state, Policy, System, Beijing("2026-12-25 11:00"))));
        Assert.Equal(30, withdrawn.AfterDays);
        Assert.Equal(ApplicationStatus.Withdrawn, ApplicationState.Evolve(state, withdrawn).Status);

        var resubmitted = StateOf([.. returned, At(Submitted(round: 2), "2026-12-20 10:00")]);
        Assert.DoesNotContain(ReviewClock.DueEvents(resubmitted, Policy, System, Beijing("2026-12-26 09:00")), e => e is ApplicationEvent.AutoWithdrawn);
    }

    [Fact]
    public void A_province_that_sets_no_resubmission_period_withdraws_nothing()
    {
        var state = StateOf([.. WaitingForCity(), At(CityReturned(), "2026-11-25 11:00")]);
        var never = Policy with { ResubmitWithinDays = 0 };

        Assert.Empty(never.Problems());
        Assert.Null(ReviewClock.NextCheckAt(state, never));
        Assert.Empty(ReviewClock.DueEvents(state, never, System, Beijing("2027-11-25 11:00")));
        Assert.NotEmpty((Policy with { ResubmitWithinDays = -1 }).Problems());
    }

    [Fact]
    public void Reminders_of_an_earlier_stage_do_not_carry_over_to_the_next()
    {
        var history = WaitingForCity().ToList();
        history.AddRange(ReviewClock.DueEvents(ApplicationState.From(history), Policy, System, Beijing("2026-12-04 09:00")));
        history.Add(At(CityApproved(), "2026-12-04 10:00"));

        var state = ApplicationState.From(history);

        Assert.Equal(StageClockMarks.None, state.StageClock);
        Assert.Equal(DeadlineNotice.DueSoon,
            Assert.IsType<ApplicationEvent.ReviewReminderSent>(Assert.Single(ReviewClock.DueEvents(state, Policy, System, Beijing("2026-12-18 09:00")))).Kind);
    }

    /// <summary>
    /// The timer index keeps <see cref="ReviewClock.NextCheckAt"/>; a sweep at that time must find
    /// something to record, and nothing before it — hour by hour through a whole review.
    /// </summary>
    [Theory]
    [InlineData(ApplicationStatus.PendingCityReview)]
    [InlineData(ApplicationStatus.PendingProvinceReview)]
    [InlineData(ApplicationStatus.CityReturned)]
    public void Something_falls_due_exactly_from_the_next_check_time_on(ApplicationStatus status)
    {
        var history = LeadingTo(status).Select(e => At(e, "2026-11-23 10:00")).ToList();
        var recorded = TestCalendar.RunClock(history, Policy, "2026-11-23 10:00", "2027-01-31 00:00").Count;
        Assert.Equal(status switch { ApplicationStatus.PendingCityReview => 3, ApplicationStatus.PendingProvinceReview => 2, _ => 1 }, recorded);
    }

    [Fact]
    public void Remaining_working_days_count_after_today_are_zero_on_the_last_day_and_negative_when_late()
    {
        Assert.Equal(5, ReviewClock.RemainingWorkingDays(D("2026-11-30"), D("2026-11-23"), China));
        Assert.Equal(0, ReviewClock.RemainingWorkingDays(D("2026-11-30"), D("2026-11-30"), China));
        Assert.Equal(-2, ReviewClock.RemainingWorkingDays(D("2026-11-30"), D("2026-12-02"), China));
    }
}
