using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Notifications;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestCalendar;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// The public notice (公示, ADR 0022): the province's approval starts it instead of taking effect; the review clock ends it
/// after its last working day; anyone objects while it runs; the province upholds (back to review, no effect) or dismisses.
/// </summary>
public class PublicNoticeTests
{
    private static readonly PublicNoticePolicy TwoDays = new(2, China);
    private const string Post = "施工员(土建施工)";
    private const string ObjectorPhone = "13700001111";
    private const string ObjectionReason = "该持证人证书原件由原单位保管，从未遗失，请核查";

    /// <summary>Friday 11 December 2026, 15:00 Beijing time.</summary>
    private static readonly DateTimeOffset Friday = Beijing("2026-12-11 15:00");

    private static ApplicationCommand.ApproveAtProvince Approve(DateTimeOffset at, PublicNoticePolicy? policy = null, Actor? by = null) =>
        new(by ?? ProvinceReviewer, at, PublicNotice: policy ?? TwoDays, Post: Post);

    private static ApplicationCommand.FileObjection Object(DateTimeOffset at, string reason = ObjectionReason, string phone = ObjectorPhone) =>
        new(reason, phone, Actor.Public, at);

    private static ApplicationCommand.DecideObjection Decide(string id, ObjectionDecision decision, DateTimeOffset at, Actor? by = null, string note = "经核查，异议所述情况属实") =>
        new(id, decision, note, by ?? ProvinceReviewer, at);

    private static Decision Run(ApplicationState state, ApplicationCommand command) => ApplicationDecider.Decide(command, state);

    private static ApplicationState After(ApplicationState state, ApplicationCommand command)
    {
        var decision = Run(state, command);
        Assert.Null(decision.Refusal);
        Assert.NotEmpty(decision.Events);
        return decision.Events.Aggregate(state, ApplicationState.Evolve);
    }

    private static IReadOnlyList<SideEffect> Effects(ApplicationState state, ApplicationCommand command) =>
        ApplicationReactions.ForTransition(state, Run(state, command).Events, Settings);

    /// <summary>A name change waiting for the province.</summary>
    private static ApplicationState AtProvince(ApplicationKind kind = ApplicationKind.Change) =>
        StateAfter(LeadingTo(ApplicationStatus.PendingProvinceReview, kind));

    /// <summary>A name change the province approved on <see cref="Friday"/>, under a 2-day notice (Monday and Tuesday).</summary>
    private static ApplicationState UnderNotice() => After(AtProvince(), Approve(Friday));

    private static Decision Clock(ApplicationState state, DateTimeOffset at) =>
        ApplicationDecider.Decide(new ApplicationCommand.CheckDeadlines(Policy, Actor.System, at), state);

    // ── Starting ────────────────────────────────────────────────────────────────────────

    [Fact]
    public void The_provinces_approval_of_a_change_starts_the_notice_instead_of_taking_effect()
    {
        var state = AtProvince();
        var approved = Assert.IsType<ApplicationEvent.ProvinceReviewApproved>(Assert.Single(Run(state, Approve(Friday)).Events));

        Assert.Equal(new PublicNoticeTerms(2, Beijing("2026-12-16 00:00"), Post), approved.Notice);
        var after = ApplicationState.Evolve(state, approved);
        Assert.Equal(ApplicationStatus.UnderPublicNotice, after.Status);
        Assert.Equal("公示中", after.Status.Label());
        Assert.True(after.Status.IsOpen()); // it keeps the certificate's claim
        Assert.Null(after.Status.Stage()); // and no reviewer's queue holds it

        // No register write, no approval SMS: the applicant is told of the notice.
        var sms = Assert.IsType<SideEffect.SendSms>(Assert.Single(Effects(state, Approve(Friday))));
        Assert.Equal(SmsTemplate.PublicNoticeStarted, sms.Message.Template);
        Assert.Equal($"【甘肃住建】您的证书变更申请（{ApplicationNumber}）已通过审核，现予公示至2026年12月15日，公示期满无异议后生效。", sms.Message.Text);
    }

    [Theory]
    // Friday → Monday and Tuesday.
    [InlineData("2026-12-11 15:00", "2026-12-16 00:00")]
    // Late on Friday in Beijing is still Friday (15:30 UTC).
    [InlineData("2026-12-11 23:30", "2026-12-16 00:00")]
    // Thursday before New Year's Day: Friday 1 January is a holiday, then the weekend: Monday 4 and Tuesday 5 January.
    [InlineData("2026-12-31 10:00", "2027-01-06 00:00")]
    // Friday before the National Day: Sunday 20 September 2026 is a make-up working day (调休), Monday the second.
    [InlineData("2026-09-18 10:00", "2026-09-22 00:00")]
    public void The_notice_runs_for_working_days_on_the_review_clocks_calendar(string approvedAt, string endsAt)
    {
        var approved = Assert.IsType<ApplicationEvent.ProvinceReviewApproved>(Assert.Single(Run(AtProvince(), Approve(Beijing(approvedAt))).Events));

        Assert.Equal(Beijing(endsAt), approved.Notice!.EndsAt);
    }

    [Theory]
    [InlineData(ApplicationKind.Change)]
    [InlineData(ApplicationKind.Reissue)]
    [InlineData(ApplicationKind.Extension)]
    [InlineData(ApplicationKind.Transfer)]
    public void Changes_reissues_extensions_and_transfers_go_under_notice(ApplicationKind kind) =>
        Assert.Equal(ApplicationStatus.UnderPublicNotice, After(AtProvince(kind), Approve(Friday)).Status);

    [Fact]
    public void A_cancellation_takes_effect_at_once_even_with_the_notice_on()
    {
        var state = AtProvince(ApplicationKind.Cancellation);

        Assert.Equal(ApplicationStatus.Approved, After(state, Approve(Friday)).Status);
        Assert.Contains(Effects(state, Approve(Friday)), e => e is SideEffect.ApplyToCertificate);
    }

    [Fact]
    public void With_the_notice_off_an_approval_takes_effect_at_once()
    {
        Assert.Equal(ApplicationStatus.Approved, After(AtProvince(), Approve(Friday, PublicNoticePolicy.Off)).Status);
        Assert.Equal(ApplicationStatus.Approved, After(AtProvince(), new ApplicationCommand.ApproveAtProvince(ProvinceReviewer, Friday)).Status);
    }

    [Fact]
    public void The_same_approval_again_while_under_notice_changes_nothing()
    {
        var decision = Run(UnderNotice(), Approve(Friday.AddMinutes(1)));

        Assert.Null(decision.Refusal);
        Assert.Empty(decision.Events);
    }

    // ── Ending ──────────────────────────────────────────────────────────────────────────

    [Fact]
    public void The_review_clock_ends_the_notice_after_its_last_working_day_and_the_approval_then_takes_effect()
    {
        var state = UnderNotice();
        Assert.Equal(Beijing("2026-12-16 00:00"), ReviewClock.NextCheckAt(state, Policy));

        Assert.Empty(Clock(state, Beijing("2026-12-15 23:59:59")).Events);
        var ended = Clock(state, Beijing("2026-12-16 00:00"));
        Assert.IsType<ApplicationEvent.PublicNoticeEnded>(Assert.Single(ended.Events));
        Assert.Equal(ApplicationStatus.Approved, ended.Events.Aggregate(state, ApplicationState.Evolve).Status);

        var effects = ApplicationReactions.ForTransition(state, ended.Events, Settings);
        // Dated on the approval's day (Friday), as without a notice.
        Assert.Equal(new SideEffect.ApplyToCertificate(ApplicationNumber, ValidCertificate.Number, ApplicationKind.Change, new CertificateChange(HolderName: "张叁"),
            null, null, new DateOnly(2026, 12, 11)), effects[0]);
        Assert.Equal(SmsTemplate.ChangeApproved, Assert.IsType<SideEffect.SendSms>(effects[1]).Message.Template);
        Assert.Equal(2, effects.Count);
    }

    [Fact]
    public void The_notice_ends_exactly_when_the_timer_says_and_once()
    {
        var history = new List<ApplicationEvent>([.. LeadingTo(ApplicationStatus.PendingProvinceReview, ApplicationKind.Change)]);
        history.AddRange(Run(StateAfter([.. history]), Approve(Friday)).Events);

        var recorded = RunClock(history, Policy, "2026-12-11 16:00", "2026-12-17 12:00");

        var ended = Assert.IsType<ApplicationEvent.PublicNoticeEnded>(Assert.Single(recorded));
        Assert.Equal(Beijing("2026-12-16 00:00"), ended.At);
    }

    [Fact]
    public void An_extension_under_notice_extends_from_the_approval_day()
    {
        var state = After(AtProvince(ApplicationKind.Extension), Approve(Friday));
        var effects = ApplicationReactions.ForTransition(state, Clock(state, Beijing("2026-12-16 09:00")).Events, Settings);

        var apply = Assert.IsType<SideEffect.ApplyToCertificate>(effects[0]);
        Assert.Equal(new DateOnly(2029, 12, 31), apply.NewValidUntil);
        Assert.Equal(new DateOnly(2026, 12, 11), apply.ApprovedOn);
    }

    // ── Objecting ───────────────────────────────────────────────────────────────────────

    [Fact]
    public void Anyone_may_object_while_the_notice_runs_and_the_applicant_and_the_province_are_told()
    {
        var state = UnderNotice();
        var received = Assert.IsType<ApplicationEvent.ObjectionReceived>(Assert.Single(Run(state, Object(Beijing("2026-12-14 09:00"), "  " + ObjectionReason + " ", "+86" + ObjectorPhone)).Events));

        Assert.Equal(new ApplicationEvent.ObjectionReceived("YY01", ObjectionReason, ObjectorPhone, ActorRef.Of(Actor.Public), Beijing("2026-12-14 09:00")), received);
        var after = ApplicationState.Evolve(state, received);
        Assert.Equal(ApplicationStatus.UnderPublicNotice, after.Status);
        Assert.Equal(ObjectionStatus.Pending, PublicNoticeRules.StatusOf(Assert.Single(after.Objections), after));

        var effects = ApplicationReactions.For(received, after, Settings);
        Assert.Equal(SmsTemplate.ObjectionReceived, Assert.IsType<SideEffect.SendSms>(effects[0]).Message.Template);
        Assert.Equal(Phone, ((SideEffect.SendSms)effects[0]).Phone); // the applicant's phone, never the objector's
        var notice = Assert.IsType<SideEffect.NotifyReviewers>(effects[1]).Notice;
        Assert.Equal(new ReviewerNotice(DeadlineNotice.ObjectionReceived, ReviewStage.Province, CityCode, Beijing("2026-12-16 00:00"), 1), notice);
        Assert.True(notice.ToProvince);
    }

    [Fact]
    public void An_undecided_objection_holds_the_effect_past_the_end_of_the_notice()
    {
        var state = After(UnderNotice(), Object(Beijing("2026-12-14 09:00")));

        Assert.Null(ReviewClock.NextCheckAt(state, Policy));
        Assert.Empty(Clock(state, Beijing("2026-12-21 09:00")).Events);
        Assert.Equal(ApplicationStatus.UnderPublicNotice, state.Status);
    }

    [Fact]
    public void An_objections_fields_are_checked_all_at_once()
    {
        var refusal = Run(UnderNotice(), Object(Beijing("2026-12-14 09:00"), " ", "12345")).Refusal!;

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal(["contactPhone", "reason"], refusal.Errors!.Keys.Order());
        Assert.Contains("手机号码", refusal.Errors["contactPhone"][0]);
        Assert.Equal(RefusalKind.Invalid, Run(UnderNotice(), Object(Beijing("2026-12-14 09:00"), "不同意")).Refusal!.Kind);
        Assert.Contains("不能超过500字", Run(UnderNotice(), Object(Beijing("2026-12-14 09:00"), new string('查', 501))).Refusal!.Errors!["reason"][0]);
    }

    public static TheoryData<ApplicationStatus> NotUnderNotice() =>
        new(Enum.GetValues<ApplicationStatus>().Where(s => s != ApplicationStatus.UnderPublicNotice));

    [Theory]
    [MemberData(nameof(NotUnderNotice))]
    public void An_objection_to_an_application_not_under_notice_reads_as_unknown(ApplicationStatus status)
    {
        var refusal = Run(StateAfter(LeadingTo(status, ApplicationKind.Change)), Object(Now)).Refusal!;

        Assert.Equal(RefusalKind.NotFound, refusal.Kind);
        Assert.Equal("public_notice_not_found", refusal.Code);
    }

    [Fact]
    public void An_objection_after_the_period_is_refused_like_an_unknown_notice() =>
        Assert.Equal("public_notice_not_found", Run(UnderNotice(), Object(Beijing("2026-12-16 00:00"))).Refusal!.Code);

    [Fact]
    public void The_same_objection_again_is_a_repeat_and_a_flood_is_cut_off()
    {
        var state = After(UnderNotice(), Object(Beijing("2026-12-14 09:00")));
        Assert.Empty(Run(state, Object(Beijing("2026-12-14 09:05"))).Events);
        Assert.Null(Run(state, Object(Beijing("2026-12-14 09:05"))).Refusal);

        for (var n = 2; n <= PublicNoticeRules.MaxObjectionsPerNotice; n++)
            state = After(state, Object(Beijing("2026-12-14 10:00"), ObjectionReason + n));
        Assert.Equal("YY10", state.Objections[^1].Id);
        Assert.Equal("objection_limit_reached", Run(state, Object(Beijing("2026-12-14 11:00"), ObjectionReason + "再次")).Refusal!.Code);
    }

    // ── Deciding ────────────────────────────────────────────────────────────────────────

    [Fact]
    public void An_upheld_objection_ends_the_notice_without_effect_and_sends_it_back_to_the_province()
    {
        var state = After(After(UnderNotice(), Object(Beijing("2026-12-14 09:00"))), Object(Beijing("2026-12-14 10:00"), "另一件异议：该人已调离本单位"));
        var decision = Run(state, Decide("YY01", ObjectionDecision.Uphold, Beijing("2026-12-14 15:00")));
        var after = decision.Events.Aggregate(state, ApplicationState.Evolve);

        Assert.IsType<ApplicationEvent.ObjectionUpheld>(Assert.Single(decision.Events));
        Assert.Equal(ApplicationStatus.PendingProvinceReview, after.Status);
        Assert.Equal(ReviewStage.Province, after.CurrentStop!.Stage);
        Assert.Equal(ObjectionStatus.Upheld, PublicNoticeRules.StatusOf(after.Objections[0], after));
        Assert.Equal(ObjectionStatus.Closed, PublicNoticeRules.StatusOf(after.Objections[1], after));
        var effects = ApplicationReactions.ForTransition(state, decision.Events, Settings);
        Assert.Equal(SmsTemplate.ObjectionUpheld, Assert.IsType<SideEffect.SendSms>(Assert.Single(effects)).Message.Template);
        // The province's stage clock runs again; the notice's end falls due no more.
        Assert.Equal(ReviewClock.StageDeadlineOf(after, Policy)!.RemindAt, ReviewClock.NextCheckAt(after, Policy));
        Assert.Empty(Clock(after, Beijing("2026-12-16 09:00")).Events.OfType<ApplicationEvent.PublicNoticeEnded>());

        // Approved again, it goes under a notice of its own.
        var again = After(after, Approve(Beijing("2026-12-15 10:00")));
        Assert.Equal(ApplicationStatus.UnderPublicNotice, again.Status);
        Assert.Equal(2, again.PublicNotice!.Number);
        Assert.Equal(Beijing("2026-12-18 00:00"), again.PublicNotice.Terms.EndsAt);
        Assert.Equal(ObjectionStatus.Upheld, PublicNoticeRules.StatusOf(again.Objections[0], again));
        Assert.Equal(ObjectionStatus.Closed, PublicNoticeRules.StatusOf(again.Objections[1], again)); // of the first notice, never decided
    }

    [Fact]
    public void A_dismissed_objection_lets_the_notice_run_to_its_end()
    {
        var state = After(After(UnderNotice(), Object(Beijing("2026-12-14 09:00"))), Decide("YY01", ObjectionDecision.Dismiss, Beijing("2026-12-14 15:00"), note: "异议人未提供证据，经核查不成立"));

        Assert.Equal(ApplicationStatus.UnderPublicNotice, state.Status);
        Assert.Equal(ObjectionStatus.Dismissed, PublicNoticeRules.StatusOf(state.Objections[0], state));
        Assert.Equal(Beijing("2026-12-16 00:00"), ReviewClock.NextCheckAt(state, Policy));
        Assert.IsType<ApplicationEvent.PublicNoticeEnded>(Assert.Single(Clock(state, Beijing("2026-12-16 00:00")).Events));
    }

    [Fact]
    public void Dismissing_the_last_objection_after_the_period_takes_effect_at_once()
    {
        var state = After(After(UnderNotice(), Object(Beijing("2026-12-14 09:00"))), Object(Beijing("2026-12-15 09:00"), "第二件异议：学历证明存疑"));
        state = After(state, Decide("YY01", ObjectionDecision.Dismiss, Beijing("2026-12-17 09:00")));
        Assert.Equal(ApplicationStatus.UnderPublicNotice, state.Status); // YY02 is still undecided

        var decision = Run(state, Decide("YY02", ObjectionDecision.Dismiss, Beijing("2026-12-17 10:00")));
        Assert.Collection(decision.Events, e => Assert.IsType<ApplicationEvent.ObjectionDismissed>(e), e => Assert.IsType<ApplicationEvent.PublicNoticeEnded>(e));
        Assert.Equal(ApplicationStatus.Approved, decision.Events.Aggregate(state, ApplicationState.Evolve).Status);
        var effects = ApplicationReactions.ForTransition(state, decision.Events, Settings);
        Assert.Equal([typeof(SideEffect.SendSms), typeof(SideEffect.ApplyToCertificate), typeof(SideEffect.SendSms)], effects.Select(e => e.GetType()));
        Assert.Equal(new DateOnly(2026, 12, 11), ((SideEffect.ApplyToCertificate)effects[1]).ApprovedOn);
    }

    [Fact]
    public void Only_the_province_decides_objections()
    {
        var state = After(UnderNotice(), Object(Beijing("2026-12-14 09:00")));
        var at = Beijing("2026-12-14 15:00");

        Assert.Equal("not_objection_reviewer", Run(state, Decide("YY01", ObjectionDecision.Dismiss, at, CityReviewer)).Refusal!.Code);
        Assert.Equal("not_objection_reviewer", Run(state, Decide("YY01", ObjectionDecision.Dismiss, at, Applicant)).Refusal!.Code);
        Assert.Equal("application_not_found", Run(state, Decide("YY01", ObjectionDecision.Dismiss, at, OtherApplicant)).Refusal!.Code);
        Assert.Null(Run(state, Decide("YY01", ObjectionDecision.Dismiss, at, ProvinceColleague)).Refusal);
        Assert.Contains("decideObjection", ApplicationDecider.AllowedActions(ProvinceColleague, state));
        Assert.DoesNotContain("decideObjection", ApplicationDecider.AllowedActions(CityReviewer, state));
    }

    [Fact]
    public void An_objection_is_decided_once_with_a_note()
    {
        var at = Beijing("2026-12-14 15:00");
        var state = After(UnderNotice(), Object(Beijing("2026-12-14 09:00")));

        Assert.Equal("objection_not_found", Run(state, Decide("YY09", ObjectionDecision.Dismiss, at)).Refusal!.Code);
        Assert.Equal(RefusalKind.Invalid, Run(state, Decide("YY01", ObjectionDecision.Dismiss, at, note: "  ")).Refusal!.Kind);
        var dismissed = After(state, Decide("YY01", ObjectionDecision.Dismiss, at));
        Assert.Empty(Run(dismissed, Decide("YY01", ObjectionDecision.Dismiss, at.AddMinutes(1))).Events);
        Assert.Null(Run(dismissed, Decide("YY01", ObjectionDecision.Dismiss, at.AddMinutes(1))).Refusal);
        Assert.Equal("objection_already_decided", Run(dismissed, Decide("YY01", ObjectionDecision.Uphold, at.AddMinutes(1))).Refusal!.Code);
    }

    [Fact]
    public void Withdrawing_under_notice_ends_it_and_closes_its_objections()
    {
        var state = After(After(UnderNotice(), Object(Beijing("2026-12-14 09:00"))), new ApplicationCommand.Withdraw(Applicant, Beijing("2026-12-14 12:00")));

        Assert.Equal(ApplicationStatus.Withdrawn, state.Status);
        Assert.Equal(ObjectionStatus.Closed, PublicNoticeRules.StatusOf(state.Objections[0], state));
        Assert.Equal("public_notice_not_running", Run(state, Decide("YY01", ObjectionDecision.Dismiss, Beijing("2026-12-14 15:00"))).Refusal!.Code);
        Assert.Null(PublicNoticeRules.Publication(state));
    }

    // ── What the public sees ────────────────────────────────────────────────────────────

    [Theory]
    [InlineData(ApplicationKind.Change, "姓名变更为张*")]
    [InlineData(ApplicationKind.Transfer, "调入嘉峪关宏达建设工程有限公司")]
    [InlineData(ApplicationKind.Reissue, "遗失补办：补发新证书，原证书作废")]
    [InlineData(ApplicationKind.Extension, "延期：延续证书有效期")]
    public void The_public_sees_the_certificate_the_masked_name_and_what_changes(ApplicationKind kind, string change)
    {
        var published = PublicNoticeRules.Publication(After(AtProvince(kind), Approve(Friday)))!;

        Assert.Equal(new NoticePublication(ApplicationNumber, kind, ValidCertificate.Number, "张*", Post, change, CityCode, Friday, Beijing("2026-12-16 00:00")), published);
    }

    [Fact]
    public void A_new_id_number_is_never_published()
    {
        var newId = "440524188001010014";
        var state = StateAfter([Created(ApplicationKind.Change, new ApplicationDetails(Phone, Changes: new CertificateChange(HolderIdNumber: newId))), Submitted(), CityApproved()]);

        var published = PublicNoticeRules.Publication(After(state, Approve(Friday)))!;

        Assert.Equal("身份证号码变更（号码不公示）", published.Change);
        Assert.DoesNotContain(newId, published.ToString());
        Assert.DoesNotContain(HolderIdNumber, published.ToString());
        Assert.DoesNotContain("张三", published.ToString());
    }
}
