using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>What an approved application does to the register, applied once however often it is delivered.</summary>
public class CertificateEffectsTests
{
    private static readonly DateOnly ApprovedOn = new(2026, 12, 1);

    /// <summary>The ApplyToCertificate message a province approval of this kind leaves in the outbox.</summary>
    private static SideEffect.ApplyToCertificate ApprovalOf(ApplicationKind kind, ApplicationDetails? details = null)
    {
        ApplicationEvent[] history = [Created(kind, details), Submitted(), CityApproved(), ProvinceApproved()];
        return ApplicationReactions.For(history[^1], ApplicationState.From(history), Settings).OfType<SideEffect.ApplyToCertificate>().Single();
    }

    private static (Certificate Updated, Certificate? Issued) Apply(SideEffect.ApplyToCertificate effect, Certificate? current = null) =>
        CertificateEffects.Apply(current ?? ValidCertificate, effect, ApprovedOn) ?? throw new Xunit.Sdk.XunitException("expected the approval to apply");

    [Fact]
    public void Name_change_updates_the_name_and_endorses_it()
    {
        var (updated, issued) = Apply(ApprovalOf(ApplicationKind.Change, new(Phone, Changes: new CertificateChange(HolderName: "张叁"))));

        Assert.Null(issued);
        Assert.Equal("张叁", updated.HolderName);
        var endorsement = Assert.Single(updated.Endorsements);
        Assert.Equal(new Endorsement(ApplicationNumber, ApprovedOn, "姓名由“张三”变更为“张叁”"), endorsement);
        // Nothing else changes (the endorsement lists are compared above: records compare lists by reference).
        Assert.Equal(ValidCertificate with { HolderName = "张叁" }, updated with { Endorsements = ValidCertificate.Endorsements });
    }

    [Fact]
    public void Shown_to_others_a_name_change_says_only_that_the_name_changed()
    {
        var renamed = Assert.Single(Apply(ApprovalOf(ApplicationKind.Change, new(Phone, Changes: new CertificateChange(HolderName: "张叁")))).Updated.Endorsements);
        var extended = Assert.Single(Apply(ApprovalOf(ApplicationKind.Extension)).Updated.Endorsements);

        Assert.Equal(renamed with { Text = "姓名变更" }, CertificateEffects.MaskedForOthers(renamed));
        Assert.Equal(extended, CertificateEffects.MaskedForOthers(extended));
    }

    [Fact]
    public void Id_number_change_updates_the_holder_id_number()
    {
        var (updated, issued) = Apply(ApprovalOf(ApplicationKind.Change, new(Phone, Changes: new CertificateChange(HolderIdNumber: "440524188001010014"))));

        Assert.Null(issued);
        Assert.Equal("440524188001010014", updated.HolderIdNumber);
        Assert.Equal(ApplicationNumber, Assert.Single(updated.Endorsements).ApplicationId);
    }

    [Fact]
    public void Employer_change_updates_the_employer_and_remembers_when()
    {
        var change = new CertificateChange(Employer: "兰州新区建设有限公司", EmployerCode: "91350100M000100Y43");
        var (updated, issued) = Apply(ApprovalOf(ApplicationKind.Change, new(Phone, Changes: change)));

        Assert.Null(issued);
        Assert.Equal("兰州新区建设有限公司", updated.Employer);
        Assert.Equal("91350100M000100Y43", updated.EmployerCode);
        Assert.Equal(ApprovedOn, updated.EmployerChangedOn);
        Assert.Equal("工作单位由“甘肃建工集团有限公司”变更为“兰州新区建设有限公司”", Assert.Single(updated.Endorsements).Text);
    }

    [Fact]
    public void Employer_changed_by_an_approval_cannot_change_again_within_three_months()
    {
        var (updated, _) = Apply(ApprovalOf(ApplicationKind.Change,
            new(Phone, Changes: new CertificateChange(Employer: "兰州新区建设有限公司", EmployerCode: "91350100M000100Y43"))));
        var back = new ApplicationDetails(Phone, Changes: new CertificateChange(Employer: ValidCertificate.Employer, EmployerCode: ValidCertificate.EmployerCode));
        updated = updated with { ValidUntil = new DateOnly(2029, 12, 31) }; // extended meanwhile: still valid in March 2027

        var twoMonthsLater = ApplicationDecider.Decide(
            new ApplicationCommand.Create("SQ20270201000001", ApplicationKind.Change, updated, back, ExtensionWindow.Default, Applicant, new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.FromHours(8))),
            ApplicationState.Initial);
        var threeMonthsLater = ApplicationDecider.Decide(
            new ApplicationCommand.Create("SQ20270301000001", ApplicationKind.Change, updated, back, ExtensionWindow.Default, Applicant, new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(8))),
            ApplicationState.Initial);

        Assert.Equal("employer_change_too_soon", twoMonthsLater.Refusal?.Code);
        Assert.Null(threeMonthsLater.Refusal);
    }

    [Fact]
    public void Reissue_voids_the_old_certificate_and_issues_a_new_one_that_points_back()
    {
        var (old, issued) = Apply(ApprovalOf(ApplicationKind.Reissue));

        Assert.Equal(CertificateStatus.Voided, old.Status);
        Assert.Equal("BF20261123000042", old.ReplacedBy);
        Assert.Equal("补发新证书BF20261123000042，本证书作废", Assert.Single(old.Endorsements).Text);

        Assert.NotNull(issued);
        Assert.Equal("BF20261123000042", issued.Number);
        Assert.Equal(CertificateStatus.Valid, issued.Status);
        Assert.Equal(ValidCertificate.Number, issued.Replaces);
        Assert.Null(issued.ReplacedBy);
        Assert.Equal(ApprovedOn, issued.IssuedOn);
        Assert.Equal(ValidCertificate.ValidUntil, issued.ValidUntil);
        Assert.Equal((ValidCertificate.HolderName, ValidCertificate.HolderIdNumber, ValidCertificate.EmployerCode, ValidCertificate.CityCode),
            (issued.HolderName, issued.HolderIdNumber, issued.EmployerCode, issued.CityCode));
        Assert.Equal(new Endorsement(ApplicationNumber, ApprovedOn, $"补发，原证书{ValidCertificate.Number}作废"), Assert.Single(issued.Endorsements));
    }

    [Fact]
    public void Cancellation_cancels_the_certificate()
    {
        var (updated, issued) = Apply(ApprovalOf(ApplicationKind.Cancellation));

        Assert.Null(issued);
        Assert.Equal(CertificateStatus.Cancelled, updated.Status);
        Assert.Equal("证书注销", Assert.Single(updated.Endorsements).Text);
    }

    [Fact]
    public void Extension_moves_valid_until_by_three_years_from_the_date_when_filed()
    {
        var (updated, issued) = Apply(ApprovalOf(ApplicationKind.Extension));

        Assert.Null(issued);
        Assert.Equal(new DateOnly(2029, 12, 31), updated.ValidUntil);
        Assert.Equal("有效期由2026-12-31延至2029-12-31", Assert.Single(updated.Endorsements).Text);
    }

    // An enterprise change is no one certificate's effect (EnterpriseChangeTests covers its effect on each); a batch reissue's
    // effects are one Reissue per line (BatchReissueTests).
    public static TheoryData<ApplicationKind> Kinds() =>
        [.. Enum.GetValues<ApplicationKind>().Where(k => k is not ApplicationKind.EnterpriseChange and not ApplicationKind.BatchReissue)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Applying_the_same_approval_twice_changes_nothing_the_second_time(ApplicationKind kind)
    {
        var effect = ApprovalOf(kind);
        var (updated, _) = Apply(effect);

        Assert.Null(CertificateEffects.Apply(updated, effect, ApprovedOn.AddDays(1)));
    }

    [Fact]
    public void Reissued_certificate_already_carries_the_approval()
    {
        var effect = ApprovalOf(ApplicationKind.Reissue);
        var (_, issued) = Apply(effect);

        Assert.Null(CertificateEffects.Apply(issued!, effect, ApprovedOn));
    }

    [Fact]
    public void Endorsements_accumulate_oldest_first()
    {
        var (renamed, _) = Apply(ApprovalOf(ApplicationKind.Change));
        var extension = ApprovalOf(ApplicationKind.Extension) with { ApplicationId = "SQ20261201000007" };

        var (extended, _) = Apply(extension, renamed);

        Assert.Equal(new[] { ApplicationNumber, "SQ20261201000007" }, extended.Endorsements.Select(e => e.ApplicationId));
        Assert.Equal("张叁", extended.HolderName);
    }

    [Fact]
    public void Extension_drafted_before_another_extension_was_approved_is_refused_at_submit_until_its_window_opens_again()
    {
        var extended = ValidCertificate with { ValidUntil = new DateOnly(2029, 12, 31) };
        var submitted = ApplicationDecider.Decide(new ApplicationCommand.Submit(extended, FuncRegistry.Core.Documents.DocumentPolicy.NothingRequired, ExtensionWindow.Default, Applicant, Now, TestData.ReviewOnly,
            CommitmentVersion: TestData.Accepted(ApplicationKind.Extension)),
            ApplicationState.From([Created(ApplicationKind.Extension)]));

        Assert.Equal("extension_not_open", submitted.Refusal?.Code);
        Assert.Contains("2029-10-02", submitted.Refusal!.Message);
    }

    [Fact]
    public void Extension_approved_before_expiry_extends_from_valid_until()
    {
        Assert.Equal(new DateOnly(2029, 12, 31), CertificateEffects.ExtendedValidUntil(new DateOnly(2026, 12, 31), new DateOnly(2026, 12, 20), 3));
    }

    [Fact]
    public void Extension_approved_after_expiry_extends_from_the_approval_day_never_into_the_past()
    {
        Assert.Equal(new DateOnly(2030, 1, 15), CertificateEffects.ExtendedValidUntil(new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 15), 3));
    }
}
