using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// 批量补办 of the 200 certificates (ADR 0019): whatever the number of lines, a transition
/// leaves a bounded number of outbox rows, and the documents may grow with the lines.
/// </summary>
public sealed class LargeBatchReissueTests
{
    private const string Id = TestData.ApplicationNumber;
    private static readonly string[] Names = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵强", "黄磊", "周杰", "吴敏"];

    /// <summary><paramref name="count"/> valid certificates of the test enterprise in Lanzhou, each with its own holder.</summary>
    private static IReadOnlyList<Certificate> Certificates(int count) => Enumerable.Range(1, count).Select(i =>
    {
        var body = $"620102{1970 + i % 30}0{1 + i % 9}1{i % 10}{i % 1000:D3}";
        return TestData.ValidCertificate with
        {
            Number = $"甘建安C（2025）{100_000 + i:D7}", HolderName = Names[i % Names.Length], HolderIdNumber = body + ResidentIdNumber.CheckCharacterFor(body),
            ValidUntil = new DateOnly(2028, 6, 30),
        };
    }).ToList();

    private static ApplicationEvent.Created Created(IReadOnlyList<Certificate> certificates) =>
        DeciderSpec.Given().When(new ApplicationCommand.Create(Id, ApplicationKind.BatchReissue, certificates[0], new ApplicationDetails(TestData.Phone, ReissueReason: ReissueReason.Lost),
            ExtensionWindow.Default, TestData.Enterprise, TestData.Now, Batch: certificates.Select(c => new BatchCandidate(c.Number, c, null)).ToList()))
            .ThenSingle<ApplicationEvent.Created>();

    private static ApplicationEvent[] UnderCityReview(IReadOnlyList<Certificate> certificates) =>
        [Created(certificates), new ApplicationEvent.Submitted(1, certificates[0].ValidUntil, TestData.Ref(TestData.Enterprise), TestData.Now)];

    [Fact]
    public void A_batch_of_200_certificates_is_filed_and_201_are_refused()
    {
        var certificates = Certificates(BatchReissue.MaxLines + 1);
        Assert.Equal(200, BatchReissue.MaxLines);
        Assert.Equal(200, Created(certificates.Take(200).ToList()).Lines!.Count);

        var refusal = DeciderSpec.Given().When(new ApplicationCommand.Create(Id, ApplicationKind.BatchReissue, certificates[0], new ApplicationDetails(TestData.Phone, ReissueReason: ReissueReason.Lost),
            ExtensionWindow.Default, TestData.Enterprise, TestData.Now, Batch: certificates.Select(c => new BatchCandidate(c.Number, c, null)).ToList()))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");
        Assert.Contains("1至200", refusal.Errors!["certificateNumbers"][0]);
    }

    [Fact]
    public void Given_200_lines_When_the_province_approves_Then_one_row_reissues_every_line_and_one_row_texts_every_new_number_within_the_segment_limit()
    {
        var certificates = Certificates(200);
        ApplicationEvent[] history = [.. UnderCityReview(certificates), new ApplicationEvent.CityReviewApproved(TestData.Ref(TestData.CityReviewer), TestData.Now)];
        var approved = new ApplicationEvent.ProvinceReviewApproved(TestData.Ref(TestData.ProvinceReviewer), TestData.Now);
        var after = ApplicationState.Evolve(ApplicationState.From(history), approved);

        var effects = ApplicationReactions.For(approved, after, TestData.Settings);

        Assert.Equal(2, effects.Count);
        var reissue = Assert.IsType<SideEffect.ApplyToCertificates>(effects[0]);
        Assert.Equal(certificates.Select(c => c.Number), reissue.Lines.Select(l => l.CertificateNumber));
        Assert.Equal(certificates.Select((c, i) => ReissueNumberFormat.Default.NumberForLine(Id, c.Number, i + 1)), reissue.Lines.Select(l => l.NewCertificateNumber));
        Assert.Equal(200, reissue.Lines.Select(l => l.NewCertificateNumber).Distinct().Count());
        var sms = Assert.IsType<SideEffect.SendSmsParts>(effects[1]);
        Assert.True(sms.Messages.Count > 1);
        Assert.All(sms.Messages, m => Assert.True(SmsComposer.Segments(m.Text) <= TestData.Settings.Sms.MaxSegments, m.Text));
        Assert.All(sms.Messages, m => Assert.Contains("共补发200本", m.Text));
        Assert.Equal(reissue.Lines.Select(l => l.NewCertificateNumber), sms.Messages.SelectMany(m => m.Parameters["numbers"].Split('、')));
        Assert.Equal(TestData.Phone, Assert.Single(sms.Expand().Select(s => s.Phone).Distinct()));
    }

    [Fact]
    public void Given_200_lines_When_the_city_strikes_150_Then_one_row_releases_their_claims_and_the_province_s_approval_reissues_the_other_50()
    {
        var certificates = Certificates(200);
        var strikes = certificates.Take(150).Select(c => new LineStrike(c.Number, "持证人已离职，原证书已找回")).ToList();
        var city = DeciderSpec.Given(UnderCityReview(certificates))
            .When(new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, TestData.Now, Strike: strikes)).ThenSingle<ApplicationEvent.CityReviewApproved>();
        var afterCity = ApplicationState.Evolve(ApplicationState.From(UnderCityReview(certificates)), city);

        Assert.Equal([new SideEffect.ReleaseCertificateClaims(Id, [.. strikes.Select(s => s.CertificateNumber)])], ApplicationReactions.For(city, afterCity, TestData.Settings));

        var province = new ApplicationEvent.ProvinceReviewApproved(TestData.Ref(TestData.ProvinceReviewer), TestData.Now);
        var reissue = ApplicationReactions.For(province, ApplicationState.Evolve(afterCity, province), TestData.Settings).OfType<SideEffect.ApplyToCertificates>().Single();
        Assert.Equal(certificates.Skip(150).Select(c => c.Number), reissue.Lines.Select(l => l.CertificateNumber));
        Assert.Equal(ReissueNumberFormat.Default.NumberForLine(Id, certificates[150].Number, 151), reissue.Lines[0].NewCertificateNumber); // the index as filed
    }

    [Fact]
    public void Given_200_lines_under_review_When_withdrawn_Then_one_row_releases_every_line_s_claim()
    {
        var certificates = Certificates(200);
        var withdrawn = new ApplicationEvent.Withdrawn(TestData.Ref(TestData.Enterprise), TestData.Now);
        var after = ApplicationState.Evolve(ApplicationState.From(UnderCityReview(certificates)), withdrawn);

        var release = Assert.IsType<SideEffect.ReleaseCertificateClaims>(Assert.Single(ApplicationReactions.For(withdrawn, after, TestData.Settings)));

        Assert.Equal(certificates.Select(c => c.Number), release.CertificateNumbers);
        Assert.Equal(certificates.Select(c => new SideEffect.ReleaseCertificateClaim(Id, c.Number)), release.Expand());
    }

    [Fact]
    public void A_batch_holds_a_photo_per_line_and_its_commitment_beyond_the_configured_limit_and_no_more()
    {
        var policy = DocumentPolicy.Default with { MaxDocuments = 30 };
        var large = ApplicationState.From([Created(Certificates(200))]);
        var small = ApplicationState.From([Created(Certificates(3))]);
        var single = ApplicationState.From([History.Created(ApplicationKind.Reissue)]);

        Assert.Equal((210, 30, 30), (policy.MaxDocumentsFor(large), policy.MaxDocumentsFor(small), policy.MaxDocumentsFor(single)));
        var photos = Enumerable.Range(0, 209).Select(i => new AttachedDocument($"0190f0a1b2c34d5e8f9a0b1c2d3e{i:D4}", DocumentType.Photo, "照片.png", DocumentFormat.Png, 2048,
            History.Sha($"p{i}"), TestData.Now)).ToList();
        Assert.Null(DocumentRules.CheckRoom(large with { Documents = photos }, policy));
        var full = DocumentRules.CheckRoom(large with { Documents = photos }, policy, inFlight: 1);
        Assert.Equal("too_many_documents", full?.Code);
        Assert.Contains("210", full!.Message);
    }
}
