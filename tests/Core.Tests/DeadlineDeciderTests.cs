using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Notifications;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// The two commands of the review clock in the decider: a province reviewer's ExtendDeadline
/// (once, with a reason the applicant is texted) and the system's CheckDeadlines.
/// </summary>
public class DeadlineDeciderTests
{
    private static readonly DeadlinePolicy Policy = TestCalendar.Policy;
    private static ApplicationCommand.ExtendDeadline Extend(string reason = "需赴现场核查", Actor? by = null) => new(reason, 10, by ?? ProvinceReviewer, Now);
    private static ApplicationCommand.CheckDeadlines Check(DateTimeOffset at, Actor? by = null) => new(Policy, by ?? Actor.System, at);

    // ── The cells of the table ──────────────────────────────────────────────────────────

    public enum Outcome { Accepted, Unchanged, Conflict, NotFound }

    public static TheoryData<ApplicationStatus, Outcome> ExtendCells() => new()
    {
        { ApplicationStatus.None, Outcome.NotFound }, { ApplicationStatus.Draft, Outcome.NotFound }, { ApplicationStatus.PendingCityReview, Outcome.Accepted }, { ApplicationStatus.CityReturned, Outcome.Conflict },
        { ApplicationStatus.PendingProvinceReview, Outcome.Accepted }, { ApplicationStatus.ProvinceReturned, Outcome.Conflict }, { ApplicationStatus.Approved, Outcome.Conflict }, { ApplicationStatus.Withdrawn, Outcome.Conflict },
    };

    [Theory]
    [MemberData(nameof(ExtendCells))]
    public void ExtendDeadline_in_status_is_decided_as_the_table_says(ApplicationStatus status, Outcome expected) =>
        AssertOutcome(Given(LeadingTo(status)).When(Extend()), expected, typeof(ApplicationEvent.DeadlineExtended));

    /// <summary>
    /// Long after every due time, with documents and a 30-day retention: whatever the status can
    /// have due, is (a closed application's documents are purged).
    /// </summary>
    public static TheoryData<ApplicationStatus, Outcome> CheckCells() => new()
    {
        { ApplicationStatus.None, Outcome.NotFound }, { ApplicationStatus.Draft, Outcome.Unchanged }, { ApplicationStatus.PendingCityReview, Outcome.Accepted }, { ApplicationStatus.CityReturned, Outcome.Accepted },
        { ApplicationStatus.PendingProvinceReview, Outcome.Accepted }, { ApplicationStatus.ProvinceReturned, Outcome.Accepted }, { ApplicationStatus.Approved, Outcome.Accepted }, { ApplicationStatus.Withdrawn, Outcome.Accepted },
    };

    private static ApplicationCommand.CheckDeadlines CheckWithRetention(DateTimeOffset at) => Check(at) with { Policy = Policy with { DocumentRetentionDays = 30 } };

    [Theory]
    [MemberData(nameof(CheckCells))]
    public void CheckDeadlines_in_status_is_decided_as_the_table_says(ApplicationStatus status, Outcome expected) =>
        AssertOutcome(Given(WithDocument(LeadingTo(status))).When(CheckWithRetention(Now.AddDays(60))), expected, null);

    [Theory]
    [MemberData(nameof(CheckCells))]
    public void CheckDeadlines_before_anything_is_due_changes_nothing(ApplicationStatus status, Outcome table)
    {
        var outcome = Given(WithDocument(LeadingTo(status))).When(CheckWithRetention(Now.AddHours(1)));
        if (table == Outcome.NotFound) outcome.ThenRefused(RefusalKind.NotFound);
        else outcome.ThenNothingHappens();
    }

    private static void AssertOutcome(DeciderOutcome outcome, Outcome expected, Type? eventType)
    {
        switch (expected)
        {
            case Outcome.Accepted:
                Assert.Null(outcome.Decision.Refusal);
                Assert.NotEmpty(outcome.Decision.Events);
                if (eventType is not null) Assert.IsType(eventType, Assert.Single(outcome.Decision.Events));
                break;
            case Outcome.Unchanged: outcome.ThenNothingHappens(); break;
            case Outcome.Conflict: outcome.ThenRefused(RefusalKind.Conflict); break;
            case Outcome.NotFound: outcome.ThenRefused(RefusalKind.NotFound, "application_not_found"); break;
        }
    }

    // ── ExtendDeadline ──────────────────────────────────────────────────────────────────

    [Fact]
    public void Province_reviewer_extends_the_deadline_once_with_a_reason()
    {
        var extended = Given(LeadingTo(ApplicationStatus.PendingProvinceReview))
            .When(Extend("  需赴现场核查  "))
            .ThenSingle<ApplicationEvent.DeadlineExtended>();

        Assert.Equal(("需赴现场核查", 10, Ref(ProvinceReviewer)), (extended.Reason, extended.WorkingDays, extended.By));
    }

    [Fact]
    public void A_second_extension_is_refused_even_in_the_next_stage()
    {
        var first = new ApplicationEvent.DeadlineExtended("需赴现场核查", 10, Ref(ProvinceReviewer), Now);

        Given([.. LeadingTo(ApplicationStatus.PendingProvinceReview), first]).When(Extend("另需补充核查", ProvinceColleague))
            .ThenRefused(RefusalKind.Conflict, "deadline_already_extended");
        Given([Created(), Submitted(), first, CityApproved()]).When(Extend("另需补充核查"))
            .ThenRefused(RefusalKind.Conflict, "deadline_already_extended");
    }

    [Fact]
    public void The_same_extension_again_by_the_same_reviewer_changes_nothing()
    {
        var first = new ApplicationEvent.DeadlineExtended("需赴现场核查", 10, Ref(ProvinceReviewer), Now);
        Given([.. LeadingTo(ApplicationStatus.PendingProvinceReview), first]).When(Extend("需赴现场核查")).ThenNothingHappens();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_extension_needs_a_reason(string reason)
    {
        var refusal = Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Extend(reason)).ThenRefused(RefusalKind.Invalid, "validation_failed");
        Assert.Contains("reason", refusal.Errors!.Keys);
    }

    [Fact]
    public void Only_a_province_reviewer_extends()
    {
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Extend(by: CityReviewer)).ThenRefused(RefusalKind.Forbidden, "not_province_reviewer");
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Extend(by: Applicant)).ThenRefused(RefusalKind.Forbidden, "not_province_reviewer");
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Extend(by: ForeignCityReviewer)).ThenRefused(RefusalKind.NotFound, "application_not_found");
    }

    [Fact]
    public void Extension_texts_the_applicant_the_working_days_and_the_reason()
    {
        ApplicationEvent[] history = [.. LeadingTo(ApplicationStatus.PendingProvinceReview), new ApplicationEvent.DeadlineExtended("需赴现场核查", 10, Ref(ProvinceReviewer), Now)];

        var effects = ApplicationReactions.For(history[^1], ApplicationState.From(history), Settings);

        var sms = Assert.IsType<SideEffect.SendSms>(Assert.Single(effects));
        Assert.Equal(SmsTemplate.DeadlineExtended, sms.Message.Template);
        Assert.Equal($"【甘肃住建】您的注销申请（{ApplicationNumber}）办理期限延长10个工作日，原因：需赴现场核查。", sms.Message.Text);
    }

    // ── CheckDeadlines ──────────────────────────────────────────────────────────────────

    [Fact]
    public void Only_the_system_runs_the_clock()
    {
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Check(Now.AddDays(60), new Actor(Role.Admin, "admin-1", "管理员")))
            .ThenRefused(RefusalKind.Forbidden, "system_only");
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Check(Now.AddDays(60), ProvinceReviewer))
            .ThenRefused(RefusalKind.Forbidden, "system_only");
    }

    [Fact]
    public void Asking_again_after_a_reminder_was_recorded_changes_nothing()
    {
        var at = TestCalendar.Beijing("2026-11-30 09:00");
        var reminder = Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Check(at)).ThenSingle<ApplicationEvent.ReviewReminderSent>();

        Given([.. LeadingTo(ApplicationStatus.PendingCityReview), reminder]).When(Check(at)).ThenNothingHappens();
    }

    [Fact]
    public void Reminders_notify_the_reviewers_of_the_stage_and_an_escalation_the_province()
    {
        var by = Ref(Actor.System);
        var dueAt = TestCalendar.Beijing("2026-12-01 00:00");
        ApplicationEvent[] city = [.. LeadingTo(ApplicationStatus.PendingCityReview), new ApplicationEvent.ReviewReminderSent(ReviewStage.City, DeadlineNotice.DueSoon, dueAt, by, Now)];
        ApplicationEvent[] escalated = [.. city, new ApplicationEvent.StageEscalated(ReviewStage.City, dueAt, by, Now)];
        ApplicationEvent[] province = [.. LeadingTo(ApplicationStatus.PendingProvinceReview), new ApplicationEvent.ReviewReminderSent(ReviewStage.Province, DeadlineNotice.Overdue, dueAt, by, Now)];

        SideEffect.NotifyReviewers NoticeOf(ApplicationEvent[] h) =>
            Assert.IsType<SideEffect.NotifyReviewers>(Assert.Single(ApplicationReactions.For(h[^1], ApplicationState.From(h), Settings)));

        Assert.Equal(new ReviewerNotice(DeadlineNotice.DueSoon, ReviewStage.City, CityCode, dueAt, 1), NoticeOf(city).Notice);
        Assert.False(NoticeOf(city).Notice.ToProvince);
        Assert.Equal(DeadlineNotice.Escalated, NoticeOf(escalated).Notice.Kind);
        Assert.True(NoticeOf(escalated).Notice.ToProvince);
        Assert.True(NoticeOf(province).Notice.ToProvince);
    }

    [Fact]
    public void Auto_withdrawal_texts_the_applicant_and_frees_the_certificate()
    {
        ApplicationEvent[] history = [.. LeadingTo(ApplicationStatus.CityReturned), new ApplicationEvent.AutoWithdrawn(30, Ref(Actor.System), Now.AddDays(30))];

        var effects = ApplicationReactions.For(history[^1], ApplicationState.From(history), Settings);

        Assert.Collection(effects,
            e => Assert.Equal($"【甘肃住建】您的注销申请（{ApplicationNumber}）退回后30日内未重新提交，已自动撤回；如需办理请重新申请。",
                Assert.IsType<SideEffect.SendSms>(e).Message.Text),
            e => Assert.IsType<SideEffect.ReleaseCertificateClaim>(e));
        // The applicant cannot withdraw it again, nor resubmit it.
        Given(history).When(new ApplicationCommand.Withdraw(Applicant, Now)).ThenRefused(RefusalKind.Conflict, "application_closed");
        Given(history).When(new ApplicationCommand.Submit(ValidCertificate, FuncRegistry.Core.Documents.DocumentPolicy.NothingRequired, ExtensionWindow.Default, Applicant, Now, TestData.ReviewOnly,
            CommitmentVersion: TestData.Accepted())).ThenRefused(RefusalKind.Conflict);
    }
}
