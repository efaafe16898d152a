using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Enterprises;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// A transfer filed by the receiving enterprise (seed 001 "接收企业所在市主管部门审核变更信息"; seed 004
/// "新单位发起"): one Given/When/Then per rule of <see cref="TransferRules"/>.
/// </summary>
public class TransferTests
{
    /// <summary>嘉峪关 enterprise receiving 张三's certificate from a 兰州 one.</summary>
    private static readonly Enterprise Receiving = new("91620200MA71YQ3N4K", "嘉峪关宏达建设工程有限公司", "620200");
    private static readonly Actor ReceivingUser = new(Role.Enterprise, "ent-0202", "嘉峪关宏达建设工程有限公司经办人", Org: Receiving.Uscc);
    private static readonly Actor JiayuguanReviewer = new(Role.CityReviewer, "city-0202", "嘉峪关市审核员", City: "620200");
    private static readonly ApplicationDetails Details = new(Phone);

    private static ApplicationCommand.Create File(Certificate? certificate = null, Actor? by = null, string holderIdNumber = HolderIdNumber,
        Enterprise? receiving = null, ApplicationDetails? details = null) =>
        new(ApplicationNumber, ApplicationKind.Transfer, certificate ?? ValidCertificate, details ?? Details, ExtensionWindow.Default, by ?? ReceivingUser, Now,
            new TransferFiling(receiving ?? Receiving, holderIdNumber));

    private static ApplicationState Filed(ApplicationCommand.Create? create = null) =>
        ApplicationState.Evolve(ApplicationState.Initial, ApplicationDecider.Decide(create ?? File(), ApplicationState.Initial).Events.Single());

    private static ApplicationCommand.Submit Submit(Certificate? certificate = null) =>
        new(certificate ?? ValidCertificate, DocumentPolicy.NothingRequired, ExtensionWindow.Default, ReceivingUser, Now,
            CommitmentVersion: Accepted(ApplicationKind.Transfer));

    [Fact]
    public void Given_the_holders_id_number_When_the_receiving_enterprise_files_Then_the_draft_moves_the_certificate_to_it_and_its_city_reviews()
    {
        var state = Filed();

        Assert.Equal(ApplicationStatus.Draft, state.Status);
        Assert.Equal("620200", state.CityCode);
        Assert.Equal(EmployerCode, state.EmployerCode);
        Assert.Equal(new CertificateChange(Employer: Receiving.Name, EmployerCode: Receiving.Uscc, CityCode: "620200"), state.Details.Changes);
        Assert.True(AccessRules.IsFiler(ReceivingUser, state));
    }

    [Fact]
    public void Given_a_wrong_id_number_When_filed_Then_it_reads_like_an_unknown_certificate()
    {
        var refusal = Given().When(File(holderIdNumber: "620102198507150016")).ThenRefused(RefusalKind.RuleViolated, "certificate_not_found");

        Assert.Equal("证书编号与持证人身份证号不符或证书不存在，请核对", refusal.Message);
    }

    [Fact]
    public void Given_the_certificates_own_employer_or_the_holder_When_filing_a_transfer_Then_it_is_refused()
    {
        var ownEmployer = new Actor(Role.Enterprise, "ent-0001", "甘肃建工集团有限公司", Org: EmployerCode);
        Given().When(File(by: ownEmployer, receiving: Receiving with { Uscc = EmployerCode })).ThenRefused(RefusalKind.RuleViolated, "transfer_to_current_employer");
        Given().When(File(by: Applicant)).ThenRefused(RefusalKind.Forbidden, "transfer_by_receiving_enterprise");
    }

    [Fact]
    public void Given_an_enterprise_the_register_does_not_know_When_filing_Then_it_is_told_to_register_first()
    {
        var create = File() with { Transfer = new TransferFiling(null, HolderIdNumber) };

        Given().When(create).ThenRefused(RefusalKind.RuleViolated, "enterprise_not_registered");
    }

    [Fact]
    public void Given_a_submitted_transfer_When_the_holder_confirms_Then_the_receiving_citys_reviewers_decide_it()
    {
        var draft = Filed();
        var submitted = ApplicationState.Evolve(draft, ApplicationDecider.Decide(Submit(), draft).Events.Single());
        Assert.Equal(ApplicationStatus.PendingConfirmation, submitted.Status);
        Assert.Equal(["confirm"], ApplicationDecider.AllowedActions(Applicant, submitted));

        var confirmed = ApplicationState.Evolve(submitted, ApplicationDecider.Decide(new ApplicationCommand.Confirm(true, Applicant, Now), submitted).Events.Single());

        Assert.Equal(ApplicationStatus.PendingCityReview, confirmed.Status);
        Assert.Contains("cityApprove", ApplicationDecider.AllowedActions(JiayuguanReviewer, confirmed));
        Assert.DoesNotContain("cityApprove", ApplicationDecider.AllowedActions(CityReviewer, confirmed));
    }

    [Fact]
    public void Given_an_employer_change_two_months_ago_When_filed_without_the_exception_Then_the_3_month_rule_refuses_it()
    {
        var recent = ValidCertificate with { EmployerChangedOn = Today.AddMonths(-2) };

        var refusal = Given().When(File(certificate: recent)).ThenRefused(RefusalKind.RuleViolated, "employer_change_too_soon");

        Assert.Contains("socialInsuranceException", refusal.Message);
    }

    [Fact]
    public void Given_the_social_insurance_exception_When_filed_Then_the_proof_is_required_and_the_city_records_the_condition_met()
    {
        var recent = ValidCertificate with { EmployerChangedOn = Today.AddMonths(-2) };
        var draft = Filed(File(certificate: recent, details: Details with { SocialInsuranceException = true }));
        Assert.Contains(DocumentType.SocialInsuranceProof, DocumentPolicy.Default.MissingFor(draft));
        Assert.DoesNotContain(DocumentType.SocialInsuranceProof, DocumentPolicy.Default.MissingFor(Filed()));

        var history = new ApplicationEvent[]
        {
            new ApplicationEvent.Created(ApplicationNumber, ApplicationKind.Transfer, recent.Number, "620200", HolderIdNumber, recent.HolderName, EmployerCode,
                recent.ValidUntil, draft.Details, Ref(ReceivingUser), Now),
            new ApplicationEvent.Submitted(1, recent.ValidUntil, Ref(ReceivingUser), Now, AwaitsConfirmation: true),
            new ApplicationEvent.ConfirmationGiven(Ref(Applicant), Now),
        };
        Given(history).When(new ApplicationCommand.ApproveAtCity(JiayuguanReviewer, Now)).ThenRefused(RefusalKind.Invalid, "validation_failed");
        var approved = Given(history).When(new ApplicationCommand.ApproveAtCity(JiayuguanReviewer, Now, SocialInsuranceCondition.NewEmployer3Months))
            .ThenSingle<ApplicationEvent.CityReviewApproved>();
        Assert.Equal(SocialInsuranceCondition.NewEmployer3Months, approved.ConditionMet);
    }

    [Fact]
    public void Given_a_transfer_without_the_exception_When_the_city_names_a_condition_Then_it_is_refused()
    {
        var history = new ApplicationEvent[]
        {
            new ApplicationEvent.Created(ApplicationNumber, ApplicationKind.Transfer, ValidCertificate.Number, "620200", HolderIdNumber, "张三", EmployerCode,
                ValidCertificate.ValidUntil, Filed().Details, Ref(ReceivingUser), Now),
            new ApplicationEvent.Submitted(1, ValidCertificate.ValidUntil, Ref(ReceivingUser), Now, AwaitsConfirmation: true),
            new ApplicationEvent.ConfirmationGiven(Ref(Applicant), Now),
        };

        Given(history).When(new ApplicationCommand.ApproveAtCity(JiayuguanReviewer, Now, SocialInsuranceCondition.OldEmployer3MonthsPlusNew1Month))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");
    }

    [Fact]
    public void Given_an_approved_transfer_When_applied_Then_the_certificate_moves_employer_code_and_city_with_an_endorsement()
    {
        var change = new CertificateChange(Employer: Receiving.Name, EmployerCode: Receiving.Uscc, CityCode: "620200");
        var effect = new SideEffect.ApplyToCertificate(ApplicationNumber, ValidCertificate.Number, ApplicationKind.Transfer, change, null, null, Today);

        var (moved, issued) = CertificateEffects.Apply(ValidCertificate, effect, Today)!.Value;

        Assert.Null(issued);
        Assert.Equal((Receiving.Name, Receiving.Uscc, "620200", (DateOnly?)Today), (moved.Employer, moved.EmployerCode, moved.CityCode, moved.EmployerChangedOn));
        Assert.Equal($"调入：工作单位由“{ValidCertificate.Employer}”变更为“{Receiving.Name}”", moved.Endorsements.Single().Text);
        Assert.Null(CertificateEffects.Apply(moved, effect, Today));
    }

    [Fact]
    public void A_transfer_is_always_confirmed_by_the_holder()
    {
        Assert.Contains("cannot be false", WorkflowPolicy.Problem(ApplicationKind.Transfer, new KindWorkflow([ReviewStage.City, ReviewStage.Province], false)));
        Assert.True(WorkflowPolicy.Default.For(ApplicationKind.Transfer).ConfirmedByOtherParty);
    }
}
