using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Phones;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>What a submission accepts (the commitment in force) and where its results go (a verified phone).</summary>
public class SubmissionTermsTests
{
    private static ApplicationCommand.Submit Submit(string? commitment, PhoneCheck? phone = null, Actor? by = null, DateTimeOffset? at = null) =>
        new(ValidCertificate, DocumentPolicy.NothingRequired, ExtensionWindow.Default, by ?? Applicant, at ?? Now, ReviewOnly, CommitmentVersion: commitment, Phone: phone);

    [Fact]
    public void Submission_records_the_commitment_version_the_applicant_accepted()
    {
        var current = Commitments.Current(ApplicationKind.Cancellation);
        var state = Given(Created()).When(Submit(current.Version)).Then(Submitted());
        Assert.Equal(current.Version, state.CommitmentVersion);
        Assert.Equal(current.Version, Assert.IsType<ApplicationEvent.Submitted>(state.LastEvent).CommitmentVersion);
    }

    [Theory]
    [InlineData(null, "commitment_required")]
    [InlineData("  ", "commitment_required")]
    [InlineData("1999.1", "commitment_unknown")]
    public void Submission_without_the_commitment_in_force_is_refused_naming_the_current_version(string? given, string code)
    {
        var refusal = Given(Created()).When(Submit(given)).ThenRefused(RefusalKind.RuleViolated, code);
        var current = Commitments.Current(ApplicationKind.Cancellation).Version;
        Assert.Contains(current, refusal.Message);
        Assert.Equal(current, refusal.Extensions!["currentCommitmentVersion"]);
    }

    [Fact]
    public void An_earlier_wording_of_the_commitment_is_outdated()
    {
        var current = new Commitments.Commitment(ApplicationKind.Reissue, "2027.1", "本人承诺：新的措辞。");
        var refusal = SubmissionTerms.JudgeCommitment(current, "2026.1", knownVersion: true);
        Assert.Equal("commitment_outdated", refusal?.Code);
        Assert.Contains("2027.1", refusal!.Message);
        Assert.Contains("2026.1", refusal.Message);
        Assert.Null(SubmissionTerms.JudgeCommitment(current, "2027.1", knownVersion: true));
    }

    [Fact]
    public void Each_kind_is_judged_against_its_own_wording_in_force()
    {
        foreach (var kind in Enum.GetValues<ApplicationKind>())
        {
            Assert.Null(SubmissionTerms.CheckCommitment(kind, Commitments.Current(kind).Version));
            Assert.Null(SubmissionTerms.CheckCommitment(kind, " " + Commitments.Current(kind).Version + " "));
            Assert.Equal("commitment_unknown", SubmissionTerms.CheckCommitment(kind, Commitments.Current(kind).Version + ".9")?.Code);
        }
    }

    [Fact]
    public void A_resubmission_after_a_return_accepts_the_commitment_again()
    {
        Given(LeadingTo(ApplicationStatus.CityReturned)).When(Submit(null)).ThenRefused(RefusalKind.RuleViolated, "commitment_required");
        var resubmitted = Given(LeadingTo(ApplicationStatus.CityReturned)).When(Submit(Accepted())).ThenSingle<ApplicationEvent.Submitted>();
        Assert.Equal(2, resubmitted.Round);
        Assert.Equal(Accepted(), resubmitted.CommitmentVersion);
    }

    [Fact]
    public void A_repeated_submission_is_answered_as_done_without_asking_again() =>
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Submit(null)).ThenNothingHappens();

    [Fact]
    public void The_documents_are_named_before_the_commitment() =>
        Given(Created()).When(Submit(null) with { DocumentPolicy = DocumentPolicy.Default }).ThenRefused(RefusalKind.RuleViolated, "missing_documents");

    [Fact]
    public void An_old_submission_without_a_commitment_still_folds()
    {
        var state = StateAfter(Created(), Submitted() with { CommitmentVersion = null });
        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
        Assert.Null(state.CommitmentVersion);
    }

    private static readonly PhoneCheck VerifiedByApplicant = new(true, new VerifiedPhone(Phone, Role.Applicant, HolderIdNumber, Now.AddMinutes(-10)));

    [Fact]
    public void With_verification_required_the_notification_phone_must_be_verified_by_the_submitter()
    {
        Given(Created()).When(Submit(Accepted(), new PhoneCheck(true, null))).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");
        Given(Created()).When(Submit(Accepted(), VerifiedByApplicant)).ThenSingle<ApplicationEvent.Submitted>();
        Given(Created()).When(Submit(Accepted(), VerifiedByApplicant, at: Now.AddMinutes(21))).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");
    }

    [Fact]
    public void A_verification_of_an_earlier_phone_does_not_cover_the_one_the_application_now_has() =>
        Given(Created(), Edited(CancellationDetails with { NotificationPhone = "13900001111" }))
            .When(Submit(Accepted(), VerifiedByApplicant)).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");

    [Fact]
    public void An_enterprise_filer_verifies_the_phone_on_the_application_itself()
    {
        var filed = Created(by: Enterprise);
        var byEnterprise = new PhoneCheck(true, new VerifiedPhone(Phone, Role.Enterprise, Enterprise.Subject, Now));
        Given(filed).When(Submit(Accepted(), VerifiedByApplicant, by: Enterprise)).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");
        Given(filed).When(Submit(Accepted(), byEnterprise, by: Enterprise)).ThenSingle<ApplicationEvent.Submitted>();
    }
}
