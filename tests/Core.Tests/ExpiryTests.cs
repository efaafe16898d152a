using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Expiry: a certificate is expired from the day after its valid-until date (Beijing dates), read
/// from the date and never recorded; what may still be filed for it; how far an extension reaches.
/// </summary>
public class ExpiryTests
{
    /// <summary>ValidCertificate is valid until 2026-12-31.</summary>
    private static readonly DateOnly ValidUntil = ValidCertificate.ValidUntil;

    private static DateTimeOffset On(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    private static ApplicationCommand.Create Create(ApplicationKind kind, DateTimeOffset at, ExtensionWindow? window = null) =>
        new(ApplicationNumber, kind, ValidCertificate, DetailsFor(kind), window ?? ExtensionWindow.Default, Applicant, at);

    // ── The status as of today ──────────────────────────────────────────────────────────

    [Fact]
    public void Certificate_is_valid_through_its_valid_until_date_and_expired_the_day_after()
    {
        Assert.Equal(CertificateStatus.Valid, ValidCertificate.StatusOn(ValidUntil));
        Assert.Equal(CertificateStatus.Expired, ValidCertificate.StatusOn(ValidUntil.AddDays(1)));
        Assert.Equal("已过期", CertificateStatus.Expired.Label());
    }

    [Theory]
    [InlineData(CertificateStatus.Cancelled)]
    [InlineData(CertificateStatus.Voided)]
    public void Cancelled_and_voided_certificates_keep_their_status_after_valid_until(CertificateStatus status) =>
        Assert.Equal(status, (ValidCertificate with { Status = status }).StatusOn(ValidUntil.AddYears(1)));

    // ── Change and reissue of an expired certificate ────────────────────────────────────

    [Theory]
    [InlineData(ApplicationKind.Change)]
    [InlineData(ApplicationKind.Reissue)]
    public void Change_or_reissue_of_an_expired_certificate_is_refused_and_says_to_apply_anew(ApplicationKind kind)
    {
        var refusal = Given().When(Create(kind, On(2027, 1, 1))).ThenRefused(RefusalKind.RuleViolated, "certificate_expired");
        Assert.Contains("已于2026-12-31到期", refusal.Message);
        Assert.Contains("请重新申请取得证书", refusal.Message);
    }

    [Fact]
    public void Change_of_an_expired_certificate_still_in_the_extension_window_says_to_file_an_extension_first()
    {
        var refusal = Given().When(Create(ApplicationKind.Change, On(2027, 1, 10), new ExtensionWindow(90, 30)))
            .ThenRefused(RefusalKind.RuleViolated, "certificate_expired");
        Assert.Contains("请先在2027-01-30前申请延期（延续）", refusal.Message);
    }

    [Fact]
    public void Draft_change_whose_certificate_expired_meanwhile_cannot_be_submitted()
    {
        Given(Created(ApplicationKind.Change))
            .When(new ApplicationCommand.Submit(ValidCertificate, Documents.DocumentPolicy.NothingRequired, ExtensionWindow.Default, Applicant, On(2027, 1, 1), TestData.ReviewOnly,
                CommitmentVersion: TestData.Accepted(ApplicationKind.Change)))
            .ThenRefused(RefusalKind.RuleViolated, "certificate_expired");
    }

    [Theory]
    [InlineData(ApplicationKind.Change, ApplicationStatus.PendingCityReview)]
    [InlineData(ApplicationKind.Reissue, ApplicationStatus.PendingProvinceReview)]
    public void Change_or_reissue_whose_certificate_expired_during_review_cannot_be_approved(ApplicationKind kind, ApplicationStatus status)
    {
        ApplicationCommand approve = status == ApplicationStatus.PendingCityReview
            ? new ApplicationCommand.ApproveAtCity(CityReviewer, On(2027, 1, 1))
            : new ApplicationCommand.ApproveAtProvince(ProvinceReviewer, On(2027, 1, 1));
        var refusal = Given(LeadingTo(status, kind)).When(approve).ThenRefused(RefusalKind.RuleViolated, "certificate_expired");
        Assert.Contains("已于2026-12-31到期", refusal.Message);
        Assert.Contains("请退回申请", refusal.Message);
    }

    [Fact]
    public void Change_whose_certificate_expired_during_review_can_still_be_returned() =>
        Given(LeadingTo(ApplicationStatus.PendingCityReview, ApplicationKind.Change))
            .When(new ApplicationCommand.ReturnAtCity("证书已过期，请撤回后先办理延期", CityReviewer, On(2027, 1, 1)))
            .ThenSingle<ApplicationEvent.CityReviewReturned>();

    [Fact]
    public void Extension_filed_in_its_window_and_returned_can_be_resubmitted_after_the_window_closed() =>
        Given(LeadingTo(ApplicationStatus.CityReturned, ApplicationKind.Extension))
            .When(new ApplicationCommand.Submit(ValidCertificate, Documents.DocumentPolicy.NothingRequired, ExtensionWindow.Default, Applicant, On(2027, 1, 10), TestData.ReviewOnly,
                CommitmentVersion: TestData.Accepted(ApplicationKind.Extension)))
            .ThenSingle<ApplicationEvent.Submitted>();

    [Fact]
    public void Change_on_the_valid_until_date_is_accepted() =>
        Given().When(Create(ApplicationKind.Change, On(2026, 12, 31))).ThenSingle<ApplicationEvent.Created>();

    [Fact]
    public void Expired_certificate_can_still_be_cancelled() =>
        Given().When(Create(ApplicationKind.Cancellation, On(2027, 6, 1))).ThenSingle<ApplicationEvent.Created>();

    // ── The extension window ────────────────────────────────────────────────────────────

    [Fact]
    public void Extension_opens_90_days_before_valid_until()
    {
        Given().When(Create(ApplicationKind.Extension, On(2026, 10, 1))).ThenRefused(RefusalKind.RuleViolated, "extension_not_open");
        Given().When(Create(ApplicationKind.Extension, On(2026, 10, 2))).ThenSingle<ApplicationEvent.Created>();
    }

    [Fact]
    public void Early_extension_is_told_the_day_it_may_be_filed()
    {
        var refusal = Given().When(Create(ApplicationKind.Extension, On(2026, 6, 1))).ThenRefused(RefusalKind.RuleViolated, "extension_not_open");
        Assert.Contains("延期申请自2026-10-02起方可提出", refusal.Message);
    }

    [Fact]
    public void Extension_closes_on_valid_until_by_default()
    {
        Given().When(Create(ApplicationKind.Extension, On(2026, 12, 31))).ThenSingle<ApplicationEvent.Created>();
        var refusal = Given().When(Create(ApplicationKind.Extension, On(2027, 1, 1))).ThenRefused(RefusalKind.RuleViolated, "extension_window_closed");
        Assert.Contains("请重新申请取得证书", refusal.Message);
    }

    [Fact]
    public void Extension_of_an_expired_certificate_is_accepted_while_the_configured_days_after_last()
    {
        var window = new ExtensionWindow(30, 60);
        Given().When(Create(ApplicationKind.Extension, On(2027, 3, 1), window)).ThenSingle<ApplicationEvent.Created>();
        Given().When(Create(ApplicationKind.Extension, On(2027, 3, 2), window)).ThenRefused(RefusalKind.RuleViolated, "extension_window_closed");
        Given().When(Create(ApplicationKind.Extension, On(2026, 12, 1), window)).ThenSingle<ApplicationEvent.Created>();
        Given().When(Create(ApplicationKind.Extension, On(2026, 11, 30), window)).ThenRefused(RefusalKind.RuleViolated, "extension_not_open");
    }

    [Fact]
    public void Extension_window_is_judged_by_the_beijing_date()
    {
        // 2027-01-01 00:30 in Beijing is still 2026-12-31 in UTC: the Beijing date decides.
        var justAfterMidnight = new DateTimeOffset(2026, 12, 31, 16, 30, 0, TimeSpan.Zero);
        Given().When(Create(ApplicationKind.Extension, justAfterMidnight)).ThenRefused(RefusalKind.RuleViolated, "extension_window_closed");
    }

    // ── How far an approved extension reaches ───────────────────────────────────────────

    [Fact]
    public void Extension_approved_after_the_certificate_expired_runs_from_the_approval_day()
    {
        var approvedOn = On(2027, 1, 15);
        var history = LeadingTo(ApplicationStatus.PendingProvinceReview, ApplicationKind.Extension);
        var approval = new ApplicationEvent.ProvinceReviewApproved(Ref(ProvinceReviewer), approvedOn);

        var effects = ApplicationReactions.For(approval, ApplicationState.From([.. history, approval]), Settings);

        Assert.Equal(new DateOnly(2030, 1, 15), Assert.Single(effects.OfType<SideEffect.ApplyToCertificate>()).NewValidUntil);
        Assert.Contains("证书有效期延至2030年1月15日。", Assert.Single(effects.OfType<SideEffect.SendSms>()).Message.Text);
    }
}
