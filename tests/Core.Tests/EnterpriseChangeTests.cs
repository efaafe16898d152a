using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using EnterpriseRecord = FuncRegistry.Core.Enterprises.Enterprise;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Core.Province;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Enterprise information change (seed 001 "变更完成后企业下所有证书显示新企业名称"; "调出市…初次审核，然后到调入地市…二次审核").
/// </summary>
public class EnterpriseChangeTests
{
    private const string OldName = "甘肃建工集团有限公司";
    private const string NewName = "甘肃建工集团股份有限公司";
    private const string NewCity = "620500";
    private static readonly EnterpriseRecord Current = new(EmployerCode, OldName, CityCode);
    private static readonly ApplicationDetails Details = new(Phone);

    private static ApplicationCommand.CreateEnterpriseChange File(string? newName, string? newCity = null, Actor? by = null) =>
        new(ApplicationNumber, Current, newName, newCity, ProvinceProfile.Gansu, Details, by ?? TestData.Enterprise, Now);

    private static ApplicationEvent.Created Filed(string? newName, string? newCity = null) =>
        new(ApplicationNumber, ApplicationKind.EnterpriseChange, "", CityCode, "", "", EmployerCode, DateOnly.MaxValue, Details, Ref(TestData.Enterprise), Now,
            new EnterpriseChange(EmployerCode, OldName, CityCode, newName, newCity));

    private static ApplicationCommand.Submit Submit(ApplicationState state, WorkflowPolicy? policy = null) =>
        new(EnterpriseChangeRules.Subject(state), DocumentPolicy.NothingRequired, ExtensionWindow.Default, TestData.Enterprise, Now, policy ?? WorkflowPolicy.Default,
            CommitmentVersion: TestData.Accepted(ApplicationKind.EnterpriseChange));

    private static ApplicationState Submitted(ApplicationEvent.Created filed)
    {
        var state = ApplicationState.From([filed]);
        var submitted = Given(filed).When(Submit(state)).ThenSingle<ApplicationEvent.Submitted>();
        return ApplicationState.From([filed, submitted]);
    }

    [Fact]
    public void Given_nothing_When_the_enterprise_files_a_rename_Then_it_is_created_about_the_enterprise_with_the_old_and_new_name()
    {
        var created = Given().When(File($" {NewName} ")).ThenSingle<ApplicationEvent.Created>();

        Assert.Equal(new EnterpriseChange(EmployerCode, OldName, CityCode, NewName, null), created.Enterprise);
        Assert.Equal(("", "", "", EmployerCode, CityCode), (created.CertificateNumber, created.HolderName, created.HolderIdNumber, created.EmployerCode, created.CityCode));
    }

    [Fact]
    public void Given_nothing_When_anyone_but_the_enterprise_files_it_Then_it_is_refused()
    {
        var other = new Actor(Role.Enterprise, "ent-0002", "兰州另一建设有限公司", Org: "91620100MA74XW8K2B");
        Given().When(File(NewName, by: other)).ThenRefused(RefusalKind.Forbidden, "not_the_enterprise");
        Given().When(File(NewName, by: Applicant)).ThenRefused(RefusalKind.Forbidden, "not_the_enterprise");
    }

    [Theory]
    [InlineData(null, null, "newName")]
    [InlineData(OldName, null, "newName")]
    [InlineData(null, CityCode, "newCityCode")]
    [InlineData(null, "110100", "newCityCode")]
    public void Given_nothing_When_the_change_changes_nothing_or_names_an_unknown_city_Then_it_is_invalid(string? newName, string? newCity, string field)
    {
        var refusal = Given().When(File(newName, newCity)).ThenRefused(RefusalKind.Invalid, "validation_failed");

        Assert.Contains(field, refusal.Errors!.Keys);
    }

    [Fact]
    public void Given_a_rename_When_submitted_Then_its_city_reviews_it_then_the_province()
    {
        var state = Submitted(Filed(NewName));

        Assert.Equal([new ReviewStop(ReviewStage.City, CityCode), new ReviewStop(ReviewStage.Province)], state.Route);
        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
    }

    [Fact]
    public void Given_a_move_When_the_old_city_approves_Then_the_new_city_reviews_it_and_its_approval_approves_it_without_the_province()
    {
        var filed = Filed(null, NewCity);
        var state = Submitted(filed);
        Assert.Equal([new ReviewStop(ReviewStage.City, CityCode), new ReviewStop(ReviewStage.City, NewCity)], state.Route);

        var newCityReviewer = new Actor(Role.CityReviewer, "city-620500-1", "王磊", City: NewCity);
        Given(filed, state.LastEvent!).When(new ApplicationCommand.ApproveAtCity(newCityReviewer, Now)).ThenRefused(RefusalKind.Forbidden);
        var afterOld = ApplicationState.Evolve(state, new ApplicationEvent.CityReviewApproved(Ref(CityReviewer), Now));
        Assert.Equal((ApplicationStatus.PendingCityReview, NewCity), (afterOld.Status, afterOld.ReviewCityCode));

        var approved = ApplicationState.Evolve(afterOld, new ApplicationEvent.CityReviewApproved(Ref(newCityReviewer), Now));
        Assert.Equal(ApplicationStatus.Approved, approved.Status);
    }

    [Fact]
    public void Given_a_rename_and_move_When_submitted_Then_the_old_city_the_new_city_and_the_province_review_it()
    {
        var state = Submitted(Filed(NewName, NewCity));

        Assert.Equal([new ReviewStop(ReviewStage.City, CityCode), new ReviewStop(ReviewStage.City, NewCity), new ReviewStop(ReviewStage.Province)], state.Route);
    }

    [Fact]
    public void Configured_stages_for_an_enterprise_change_are_refused_at_start()
    {
        Assert.NotNull(WorkflowPolicy.Problem(ApplicationKind.EnterpriseChange, new KindWorkflow([ReviewStage.Province], false)));
        Assert.Contains("cannot be configured", WorkflowPolicy.Problem(ApplicationKind.EnterpriseChange, new KindWorkflow([], true)));
    }

    [Fact]
    public void Given_a_rename_at_the_province_When_approved_Then_it_applies_to_the_enterprise_and_texts_the_filer()
    {
        var state = ApplicationState.Evolve(Submitted(Filed(NewName)), new ApplicationEvent.CityReviewApproved(Ref(CityReviewer), Now));
        var effects = ApplicationReactions.ForTransition(state, [new ApplicationEvent.ProvinceReviewApproved(Ref(ProvinceReviewer), Now)], Settings);

        Assert.Equal(new SideEffect.ApplyToEnterprise(ApplicationNumber, EmployerCode, OldName, NewName, null, Today), effects[0]);
        var sms = Assert.IsType<SideEffect.SendSms>(effects[1]);
        Assert.Equal((Phone, SmsTemplate.EnterpriseChangeApproved), (sms.Phone, sms.Message.Template));
        Assert.Contains("企业信息变更", sms.Message.Text);
        Assert.Equal(2, effects.Count);
    }

    [Fact]
    public void Given_an_enterprise_change_under_review_When_withdrawn_Then_the_enterprises_claim_is_released()
    {
        var state = Submitted(Filed(NewName));
        var effects = ApplicationReactions.ForTransition(state, [new ApplicationEvent.Withdrawn(Ref(TestData.Enterprise), Now)], Settings);

        Assert.Equal([new SideEffect.ReleaseEnterpriseClaim(ApplicationNumber, EmployerCode)], effects);
    }

    private static readonly SideEffect.ApplyToEnterprise Rename = new(ApplicationNumber, EmployerCode, OldName, NewName, null, Today);

    [Fact]
    public void A_rename_gives_a_valid_certificate_the_new_name_and_one_endorsement_and_a_second_run_changes_nothing()
    {
        var renamed = EnterpriseChangeRules.Apply(ValidCertificate, Rename)!;

        Assert.Equal(NewName, renamed.Employer);
        var endorsement = Assert.Single(renamed.Endorsements);
        Assert.Equal(new Endorsement(ApplicationNumber, Today, $"企业名称由“{OldName}”变更为“{NewName}”"), endorsement);
        Assert.Null(EnterpriseChangeRules.Apply(renamed, Rename));
    }

    [Fact]
    public void A_rename_leaves_cancelled_certificates_and_those_of_another_employer_alone()
    {
        Assert.Null(EnterpriseChangeRules.Apply(ValidCertificate with { Status = CertificateStatus.Cancelled }, Rename));
        Assert.Null(EnterpriseChangeRules.Apply(ValidCertificate with { EmployerCode = "91620100MA74XW8K2B" }, Rename));
    }

    [Fact]
    public void A_move_changes_the_certificates_city_without_endorsement_and_a_second_run_changes_nothing()
    {
        var move = Rename with { NewName = null, NewCityCode = NewCity };
        var moved = EnterpriseChangeRules.Apply(ValidCertificate, move)!;

        Assert.Equal(NewCity, moved.CityCode);
        Assert.Empty(moved.Endorsements);
        Assert.Null(EnterpriseChangeRules.Apply(moved, move));
    }

    [Fact]
    public void Given_a_draft_move_When_the_enterprise_was_renamed_meanwhile_Then_submitting_it_is_refused()
    {
        var filed = Filed(null, NewCity);
        var renamedMeanwhile = EnterpriseChangeRules.Subject(Current with { Name = NewName });

        Given(filed).When(Submit(ApplicationState.From([filed])) with { Certificate = renamedMeanwhile })
            .ThenRefused(RefusalKind.Conflict, "enterprise_changed_since_filing");
    }
}
