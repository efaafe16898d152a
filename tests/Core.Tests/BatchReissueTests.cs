using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Tests;

/// <summary>批量补办: the rules of <see cref="BatchReissue"/>, one test each, Given/When/Then.</summary>
public sealed class BatchReissueTests
{
    private const string Id = TestData.ApplicationNumber;

    private static Certificate Cert(string number, string name, string id, string? employer = null, DateOnly? validUntil = null,
        CertificateStatus status = CertificateStatus.Valid) =>
        TestData.ValidCertificate with
        {
            Number = number, HolderName = name, HolderIdNumber = id, EmployerCode = employer ?? TestData.EmployerCode,
            ValidUntil = validUntil ?? new DateOnly(2028, 6, 30), Status = status,
        };

    private static readonly Certificate Wang = Cert("甘建安C（2025）0100001", "王磊", "620102198503120013");
    private static readonly Certificate Li = Cert("甘建安C（2025）0100002", "李娜", "62010219900718002X");
    private static readonly Certificate Zhao = Cert("甘建安C（2025）0100003", "赵强", "620102199211050038");

    private static readonly ApplicationDetails Details = new(TestData.Phone, ReissueReason: ReissueReason.Lost);

    private static IReadOnlyList<BatchCandidate> Candidates(params Certificate[] certificates) =>
        certificates.Select(c => new BatchCandidate(c.Number, c, null)).ToList();

    private static ApplicationCommand.Create Create(IReadOnlyList<BatchCandidate> batch, Actor? by = null) =>
        new(Id, ApplicationKind.BatchReissue, batch[0].Certificate!, Details, ExtensionWindow.Default, by ?? TestData.Enterprise, TestData.Now, Batch: batch);

    private static ApplicationEvent.Created Created() =>
        DeciderSpec.Given().When(Create(Candidates(Wang, Li, Zhao))).ThenSingle<ApplicationEvent.Created>();

    private static ApplicationEvent.DocumentAttached Photo(Certificate c, string documentId) =>
        new(new AttachedDocument(documentId, DocumentType.Photo, "照片.png", DocumentFormat.Png, 2048, History.Sha(documentId), TestData.Now) { CertificateNumber = c.Number },
            TestData.Ref(TestData.Enterprise), TestData.Now);

    private static ApplicationEvent.DocumentAttached Commitment() =>
        new(new AttachedDocument("0190f0a1b2c34d5e8f9a0b1c2d3e4f99", DocumentType.EnterpriseCommitment, "承诺书.pdf", DocumentFormat.Pdf, 4096,
            History.Sha("c"), TestData.Now), TestData.Ref(TestData.Enterprise), TestData.Now);

    private static ApplicationEvent.Submitted Submitted() => new(1, Wang.ValidUntil, TestData.Ref(TestData.Enterprise), TestData.Now);

    private static ApplicationEvent[] UnderCityReview() => [Created(), Commitment(), Photo(Wang, "p1"), Photo(Li, "p2"), Photo(Zhao, "p3"), Submitted()];

    private static ApplicationEvent.CityReviewApproved CityApproved(params LineStrike[] struck) =>
        new(TestData.Ref(TestData.CityReviewer), TestData.Now, Struck: struck.Length == 0 ? null : struck);

    [Fact]
    public void Creating_records_every_line_with_the_first_certificate_as_the_application_s_own()
    {
        var created = Created();
        Assert.Equal([Wang.Number, Li.Number, Zhao.Number], created.Lines!.Select(l => l.CertificateNumber));
        Assert.Equal(("王磊", "施工员"), (created.Lines![0].HolderName, created.Lines[0].Post));
        Assert.Equal((Wang.Number, TestData.CityCode, TestData.EmployerCode), (created.CertificateNumber, created.CityCode, created.EmployerCode));
    }

    [Fact]
    public void Create_is_refused_with_every_bad_number_listed_and_its_reason()
    {
        var expired = Cert("甘建安C（2020）0100004", "刘洋", "62010219880101004X", validUntil: new DateOnly(2026, 1, 31));
        var voided = Cert("甘建安C（2021）0100005", "陈静", "440524188001010014", status: CertificateStatus.Voided);
        var foreign = Cert("甘建安C（2022）0100006", "周杰", "11010519491231002X", employer: "91620100MA74ABCD1X");
        var batch = new List<BatchCandidate>
        {
            new(Wang.Number, Wang, null), new("甘建安C（2025）9999999", null, null), new(expired.Number, expired, null),
            new(voided.Number, voided, null), new(foreign.Number, foreign, null), new(Li.Number, Li, "SQ20261120000007"),
            new("甘建安c(2025)0100001", Wang, null),
        };

        var refusal = DeciderSpec.Given().When(Create(batch)).ThenRefused(RefusalKind.RuleViolated, "batch_certificates_refused");

        var refused = Assert.IsType<RefusedLine[]>(refusal.Extensions!["refused"]);
        Assert.Equal(
        [
            ("甘建安C（2025）9999999", "certificate_not_found"), (expired.Number, "certificate_expired"), (voided.Number, "certificate_not_valid"),
            (foreign.Number, "certificate_not_yours"), (Li.Number, "certificate_has_open_application"), ("甘建安c(2025)0100001", "duplicate"),
        ], refused.Select(r => (r.CertificateNumber, r.Code)));
        Assert.All(refused, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
    }

    [Fact]
    public void Only_an_enterprise_files_a_batch_reissue() =>
        DeciderSpec.Given().When(Create(Candidates(Wang), TestData.Applicant)).ThenRefused(RefusalKind.Forbidden, "enterprise_only");

    [Fact]
    public void Submission_names_the_numbers_that_still_lack_a_photo()
    {
        var refusal = DeciderSpec.Given(Created(), Commitment(), Photo(Li, "p2"))
            .When(new ApplicationCommand.Submit(Wang, DocumentPolicy.Default, ExtensionWindow.Default, TestData.Enterprise, TestData.Now, null, Candidates(Wang, Li, Zhao),
                TestData.Accepted(ApplicationKind.BatchReissue)))
            .ThenRefused(RefusalKind.RuleViolated, "missing_documents");
        Assert.Equal([Wang.Number, Zhao.Number], (string[])refusal.Extensions!["missingPhotos"]);
        Assert.Equal(["photo"], (string[])refusal.Extensions["missingDocumentTypes"]);
    }

    [Fact]
    public void Submission_checks_every_line_again()
    {
        var cancelled = Li with { Status = CertificateStatus.Cancelled };
        var refusal = DeciderSpec.Given(UnderCityReview()[..^1])
            .When(new ApplicationCommand.Submit(Wang, DocumentPolicy.Default, ExtensionWindow.Default, TestData.Enterprise, TestData.Now, null,
                [new(Wang.Number, Wang, null), new(Li.Number, cancelled, null), new(Zhao.Number, Zhao, null)], TestData.Accepted(ApplicationKind.BatchReissue)))
            .ThenRefused(RefusalKind.RuleViolated, "batch_certificates_refused");
        Assert.Equal([Li.Number], ((RefusedLine[])refusal.Extensions!["refused"]).Select(r => r.CertificateNumber));
    }

    [Fact]
    public void A_photo_names_a_line_of_the_batch() =>
        DeciderSpec.Given(Created())
            .When(new ApplicationCommand.AttachDocument(History.Upload(DocumentType.Photo) with { CertificateNumber = "甘建安C（2025）0100009" },
                DocumentPolicy.Default, TestData.Enterprise, TestData.Now))
            .ThenRefused(RefusalKind.Invalid);

    [Fact]
    public void The_city_strikes_a_line_with_its_reason_and_its_claim_is_released_at_once()
    {
        var strike = new LineStrike(Li.Number, "照片不符合要求且持证人已离职");
        var approved = DeciderSpec.Given(UnderCityReview())
            .When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, TestData.Now, Strike: [strike]))
            .ThenSingle<ApplicationEvent.CityReviewApproved>();
        Assert.Equal([strike], approved.Struck!);

        var after = ApplicationState.Evolve(ApplicationState.From(UnderCityReview()), approved);
        Assert.Equal([false, true, false], after.Lines.Select(l => l.Struck));
        Assert.Equal(ApplicationStatus.PendingProvinceReview, after.Status);
        var effects = ApplicationReactions.For(approved, after, TestData.Settings);
        Assert.Equal([new SideEffect.ReleaseCertificateClaims(Id, [Li.Number])], effects);
    }

    [Fact]
    public void Striking_every_line_is_refused_return_it_instead() =>
        DeciderSpec.Given(UnderCityReview())
            .When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, TestData.Now, Strike:
                [new(Wang.Number, "已离职"), new(Li.Number, "已离职"), new(Zhao.Number, "已离职")]))
            .ThenRefused(RefusalKind.RuleViolated, "strike_all_lines");

    [Fact]
    public void A_strike_needs_a_reason() =>
        DeciderSpec.Given(UnderCityReview())
            .When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, TestData.Now, Strike: [new(Li.Number, " ")]))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");

    [Fact]
    public void Striking_is_for_batch_reissues_only() =>
        DeciderSpec.Given(History.LeadingTo(ApplicationStatus.PendingCityReview))
            .When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, TestData.Now, Strike: [new(TestData.ValidCertificate.Number, "不符")]))
            .ThenRefused(RefusalKind.Invalid);

    [Fact]
    public void Approval_reissues_each_remaining_line_with_distinct_numbers_and_texts_them_within_the_segment_limit()
    {
        var history = UnderCityReview().Append(CityApproved(new LineStrike(Li.Number, "持证人已离职"))).ToArray();
        var approved = new ApplicationEvent.ProvinceReviewApproved(TestData.Ref(TestData.ProvinceReviewer), TestData.Now);
        var after = ApplicationState.Evolve(ApplicationState.From(history), approved);
        var effects = ApplicationReactions.For(approved, after, TestData.Settings);

        var applied = Assert.Single(effects.OfType<SideEffect.ApplyToCertificates>()).Expand();
        var approvedOn = new DateOnly(2026, 11, 23);
        Assert.Equal(
        [
            new SideEffect.ApplyToCertificate(Id, Wang.Number, ApplicationKind.Reissue, null, "BF20261123000042001", null, approvedOn),
            new SideEffect.ApplyToCertificate(Id, Zhao.Number, ApplicationKind.Reissue, null, "BF20261123000042003", null, approvedOn),
        ], applied);
        var sms = Assert.Single(Assert.Single(effects.OfType<SideEffect.SendSmsParts>()).Expand());
        Assert.Equal((TestData.Phone, "【甘肃住建】您单位的批量补办申请（SQ20261123000042）已审批通过，共补发2本，新证书编号：BF20261123000042001、BF20261123000042003"),
            (sms.Phone, sms.Message.Text));
        Assert.True(SmsComposer.Segments(sms.Message.Text) <= TestData.Settings.Sms.MaxSegments);
    }

    [Fact]
    public void Many_numbers_are_split_over_messages_never_mid_number()
    {
        var numbers = Enumerable.Range(1, 40).Select(i => ReissueNumberFormat.Default.NumberForLine(Id, Wang.Number, i)).ToList();
        var composer = new SmsComposer("甘肃住建", maxSegments: 2);
        var messages = composer.BatchReissueApproved(ApplicationState.From(UnderCityReview()), numbers);
        Assert.All(messages, m => Assert.True(SmsComposer.Segments(m.Text) <= 2, m.Text));
        Assert.Equal(numbers, messages.SelectMany(m => m.Parameters["numbers"].Split('、')));
        Assert.EndsWith($"（{messages.Count}/{messages.Count}）", messages[^1].Text);
    }

    [Fact]
    public void A_line_s_number_never_collides_with_a_single_reissue_s()
    {
        var single = ReissueNumberFormat.Default.NumberFor("SQ20261123000042", Wang.Number);
        var line = ReissueNumberFormat.Default.NumberForLine("SQ20261123000042", Wang.Number, 1);
        Assert.Equal(("BF20261123000042", "BF20261123000042001"), (single, line));
    }

    [Fact]
    public void Withdrawal_releases_every_line_s_claim()
    {
        var withdrawn = new ApplicationEvent.Withdrawn(TestData.Ref(TestData.Enterprise), TestData.Now);
        var after = ApplicationState.Evolve(ApplicationState.From(UnderCityReview()), withdrawn);
        Assert.Equal([new SideEffect.ReleaseCertificateClaims(Id, [Wang.Number, Li.Number, Zhao.Number])], ApplicationReactions.For(withdrawn, after, TestData.Settings));
    }

    [Fact]
    public void Given_a_first_line_struck_and_since_moved_to_another_employer_When_the_returned_batch_is_resubmitted_Then_only_its_remaining_lines_are_checked()
    {
        var struck = new LineStrike(Wang.Number, "原件已找回");
        ApplicationEvent[] history = [.. UnderCityReview(), CityApproved(struck),
            new ApplicationEvent.ProvinceReviewReturned("补充承诺书", TestData.Ref(TestData.ProvinceReviewer), TestData.Now)];
        var movedOn = Wang with { EmployerCode = "91620200MA71YQ3N4K" };

        var resubmitted = DeciderSpec.Given(history)
            .When(new ApplicationCommand.Submit(movedOn, DocumentPolicy.Default, ExtensionWindow.Default, TestData.Enterprise, TestData.Now, null, Candidates(Li, Zhao),
                TestData.Accepted(ApplicationKind.BatchReissue)))
            .ThenSingle<ApplicationEvent.Submitted>();

        Assert.Equal(2, resubmitted.Round);
    }

    [Fact]
    public void Given_a_batch_When_the_holder_of_its_first_line_asks_Then_it_is_not_theirs_to_see_nor_its_photos()
    {
        var state = ApplicationState.From(UnderCityReview());
        var wang = new Actor(Role.Applicant, Wang.HolderIdNumber, Wang.HolderName);

        Assert.False(AccessRules.CanView(wang, state));
        Assert.False(AccessRules.CanReadDocuments(wang, state));
        Assert.True(AccessRules.CanView(TestData.Enterprise, state));
    }

    [Fact]
    public void Given_a_line_that_expired_under_review_When_approved_without_striking_it_Then_the_approval_names_it_and_striking_it_lets_the_rest_through()
    {
        var soon = Zhao with { ValidUntil = new DateOnly(2026, 11, 25) };
        var created = DeciderSpec.Given().When(Create(Candidates(Wang, Li, soon))).ThenSingle<ApplicationEvent.Created>();
        ApplicationEvent[] history = [created, Commitment(), Photo(Wang, "p1"), Photo(Li, "p2"), Photo(soon, "p3"), Submitted()];
        var later = TestData.Now.AddDays(5);

        var refusal = DeciderSpec.Given(history).When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, later))
            .ThenRefused(RefusalKind.RuleViolated, "certificate_expired");
        Assert.Contains($"{soon.Number}（2026-11-25到期）", refusal.Message);

        var approved = DeciderSpec.Given(history).When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, later, Strike: [new LineStrike(soon.Number, "证书已过期")]))
            .ThenSingle<ApplicationEvent.CityReviewApproved>();
        Assert.Equal(soon.Number, Assert.Single(approved.Struck!).CertificateNumber);
    }
}
