using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Notifications;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Review routes per kind (<see cref="WorkflowPolicy"/>) and the other party's confirmation (seed 004
/// "个人发起注销 企业进行确认…企业发起注销,个人点确认。主管部门不参审核").
/// </summary>
public class RouteTests
{
    private static ApplicationCommand.Submit Submit(WorkflowPolicy? policy = null, Actor? by = null) =>
        new(ValidCertificate, DocumentPolicy.NothingRequired, Certificates.ExtensionWindow.Default, by ?? Applicant, Now, policy ?? WorkflowPolicy.Default,
            CommitmentVersion: Accepted(ApplicationKind.Cancellation));

    private static WorkflowPolicy Configured(ApplicationKind kind, KindWorkflow workflow) =>
        WorkflowPolicy.Default with { Kinds = new Dictionary<ApplicationKind, KindWorkflow>(WorkflowPolicy.Default.Kinds) { [kind] = workflow } };

    private static readonly Actor OtherEnterprise = new(Role.Enterprise, "ent-0002", "兰州另一建设有限公司", Org: "91620100MA74XW8K2B");

    [Fact]
    public void Given_a_holders_cancellation_When_submitted_Then_it_waits_for_the_employers_confirmation()
    {
        var state = Given(Created(ApplicationKind.Cancellation)).When(Submit()).Then(Submitted() with { AwaitsConfirmation = true });

        Assert.Equal(ApplicationStatus.PendingConfirmation, state.Status);
        Assert.True(state.Status.IsOpen());
        Assert.Equal(["confirm"], ApplicationDecider.AllowedActions(Enterprise, state));
        Assert.DoesNotContain("confirm", ApplicationDecider.AllowedActions(Applicant, state));
        Assert.Empty(ApplicationDecider.AllowedActions(CityReviewer, state));
    }

    [Fact]
    public void Given_an_employers_cancellation_When_submitted_Then_the_holder_confirms_it_and_city_review_starts()
    {
        var history = new ApplicationEvent[] { Created(ApplicationKind.Cancellation, by: Enterprise), Submitted(by: Enterprise) with { AwaitsConfirmation = true } };

        Given(history).When(new ApplicationCommand.Confirm(true, Enterprise, Now)).ThenRefused(RefusalKind.Forbidden, "not_confirming_party");
        var state = Given(history).When(new ApplicationCommand.Confirm(true, Applicant, Now)).Then(new ApplicationEvent.ConfirmationGiven(Ref(Applicant), Now));

        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
    }

    [Fact]
    public void Given_a_pending_confirmation_When_someone_else_confirms_Then_it_is_refused_or_unseen()
    {
        var history = LeadingTo(ApplicationStatus.PendingConfirmation);

        Given(history).When(new ApplicationCommand.Confirm(true, Applicant, Now)).ThenRefused(RefusalKind.Forbidden, "not_confirming_party");
        Given(history).When(new ApplicationCommand.Confirm(true, CityReviewer, Now)).ThenRefused(RefusalKind.Forbidden, "not_confirming_party");
        Given(history).When(new ApplicationCommand.Confirm(true, OtherEnterprise, Now)).ThenRefused(RefusalKind.NotFound);
    }

    [Fact]
    public void Given_a_pending_confirmation_When_the_other_party_refuses_Then_it_is_withdrawn_the_claim_released_and_the_filer_texted()
    {
        var refused = new ApplicationEvent.ConfirmationRefused(Ref(Enterprise), Now);
        var state = Given(LeadingTo(ApplicationStatus.PendingConfirmation)).When(new ApplicationCommand.Confirm(false, Enterprise, Now)).Then(refused);

        Assert.Equal(ApplicationStatus.Withdrawn, state.Status);
        var effects = ApplicationReactions.For(refused, state, Settings);
        var sms = Assert.IsType<SideEffect.SendSms>(effects[0]);
        Assert.Equal(SmsTemplate.ConfirmationRefused, sms.Message.Template);
        Assert.Equal($"【甘肃住建】您的注销申请（{ApplicationNumber}）未获所在单位确认，已撤回。", sms.Message.Text);
        Assert.Equal(new SideEffect.ReleaseCertificateClaim(ApplicationNumber, ValidCertificate.Number), effects[1]);
        // The same answer again changes nothing; the other answer is too late.
        Given([.. LeadingTo(ApplicationStatus.PendingConfirmation), refused]).When(new ApplicationCommand.Confirm(false, Enterprise, Now)).ThenNothingHappens();
        Given([.. LeadingTo(ApplicationStatus.PendingConfirmation), refused]).When(new ApplicationCommand.Confirm(true, Enterprise, Now))
            .ThenRefused(RefusalKind.Conflict, "not_awaiting_confirmation");
    }

    [Fact]
    public void Given_no_review_stage_configured_When_the_employer_confirms_Then_the_cancellation_takes_effect()
    {
        var policy = Configured(ApplicationKind.Cancellation, new KindWorkflow([], ConfirmedByOtherParty: true));
        var submitted = Given(Created(ApplicationKind.Cancellation)).When(Submit(policy))
            .Then(Submitted() with { Route = [], AwaitsConfirmation = true });
        var confirmed = new ApplicationEvent.ConfirmationGiven(Ref(Enterprise), Now);

        var state = ApplicationState.Evolve(submitted, confirmed);

        Assert.Equal(ApplicationStatus.Approved, state.Status);
        var effects = ApplicationReactions.For(confirmed, state, Settings);
        Assert.Equal(ApplicationKind.Cancellation, Assert.IsType<SideEffect.ApplyToCertificate>(effects[0]).Kind);
        Assert.Equal(SmsTemplate.CancellationApproved, Assert.IsType<SideEffect.SendSms>(effects[1]).Message.Template);
    }

    [Fact]
    public void Given_a_province_only_route_When_submitted_Then_the_province_decides_and_its_approval_takes_effect()
    {
        var policy = Configured(ApplicationKind.Extension, new KindWorkflow([ReviewStage.Province], ConfirmedByOtherParty: false));
        var submitted = Given(Created(ApplicationKind.Extension)).When(Submit(policy))
            .Then(Submitted() with { Route = [new ReviewStop(ReviewStage.Province)] });
        Assert.Equal(ApplicationStatus.PendingProvinceReview, submitted.Status);
        Assert.Empty(ApplicationDecider.AllowedActions(CityReviewer, submitted));
        Given(Created(ApplicationKind.Extension), Submitted() with { Route = [new ReviewStop(ReviewStage.Province)] })
            .When(new ApplicationCommand.ApproveAtCity(CityReviewer, Now)).ThenRefused(RefusalKind.Conflict, "not_in_review_stage");

        var approved = ApplicationState.Evolve(submitted, ProvinceApproved());

        Assert.Equal(ApplicationStatus.Approved, approved.Status);
    }

    [Fact]
    public void Given_a_confirmed_application_returned_by_the_city_When_resubmitted_Then_nobody_is_asked_to_confirm_again()
    {
        var history = new ApplicationEvent[] { Created(ApplicationKind.Cancellation), Submitted() with { AwaitsConfirmation = true }, Confirmed(), CityReturned() };

        var state = Given(history).When(Submit()).Then(Submitted(round: 2));

        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
    }

    [Fact]
    public void Given_a_route_through_two_cities_When_the_first_approves_Then_the_second_citys_reviewers_decide_with_a_fresh_stage_clock()
    {
        var route = new ReviewStop[] { new(ReviewStage.City, "620100"), new(ReviewStage.City, "620200") };
        var later = Now.AddDays(3);
        var state = ApplicationState.From([Created(), Submitted() with { Route = route }, new ApplicationEvent.CityReviewApproved(Ref(CityReviewer), later)]);
        var jiayuguan = new Actor(Role.CityReviewer, "city-0202", "嘉峪关市审核员", City: "620200");

        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
        Assert.Equal(later, state.StatusSince);
        Assert.True(AccessRules.CanReview(jiayuguan, state, ReviewStage.City));
        Assert.False(AccessRules.CanReview(CityReviewer, state, ReviewStage.City));
        Assert.True(AccessRules.CanView(CityReviewer, state));
        Assert.Equal(ApplicationStatus.Approved, ApplicationState.Evolve(state, new ApplicationEvent.CityReviewApproved(Ref(jiayuguan), later)).Status);
    }

    [Theory]
    [InlineData(new ReviewStage[0], true, null)]
    [InlineData(new[] { ReviewStage.Province }, false, null)]
    [InlineData(new[] { ReviewStage.City, ReviewStage.Province }, true, null)]
    [InlineData(new[] { ReviewStage.City }, false, "must be")]
    [InlineData(new[] { ReviewStage.Province, ReviewStage.City }, false, "must be")]
    [InlineData(new ReviewStage[0], false, "nobody confirms")]
    public void Configured_routes_are_checked_at_start(ReviewStage[] stages, bool confirmed, string? problem)
    {
        var found = WorkflowPolicy.Problem(ApplicationKind.Cancellation, new KindWorkflow(stages, confirmed));

        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }

    [Fact]
    public void Given_a_holders_draft_whose_certificate_moved_to_another_employer_since_When_submitted_Then_it_is_refused_so_the_new_employer_confirms_a_new_one()
    {
        var moved = ValidCertificate with { Employer = "嘉峪关宏达建设工程有限公司", EmployerCode = "91620200MA71YQ3N4K" };

        Given(Created(ApplicationKind.Cancellation)).When(Submit() with { Certificate = moved })
            .ThenRefused(RefusalKind.Conflict, "employer_changed_since_filing");
    }

    [Fact]
    public void A_transfer_is_always_reviewed_by_the_receiving_city_then_the_province_and_nobody_confirms_an_enterprises_own_batch()
    {
        Assert.Contains("must be [\"city\",\"province\"]", WorkflowPolicy.Problem(ApplicationKind.Transfer, new KindWorkflow([], true)));
        Assert.Contains("must be [\"city\",\"province\"]", WorkflowPolicy.Problem(ApplicationKind.Transfer, new KindWorkflow([ReviewStage.Province], true)));
        Assert.Contains("cannot be true", WorkflowPolicy.Problem(ApplicationKind.BatchReissue, new KindWorkflow([ReviewStage.City, ReviewStage.Province], true)));
    }
}
