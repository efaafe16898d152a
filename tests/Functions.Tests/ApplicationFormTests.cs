using System.Net.Http.Json;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The application form to print, sign and stamp (issue 15): a draft of every kind downloads as a
/// PDF that says what is asked for, carries its number as text and as a QR code, the commitment in
/// force, and the boxes for the signature and the stamp.
/// </summary>
public sealed class ApplicationFormTests : IClassFixture<ApplicationFormTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;
    public ApplicationFormTests(App app) => _app = app.Factory;

    /// <summary>A draft of <paramref name="kind"/>, who filed it, and a text its form must show (the change it asks for).</summary>
    private async Task<(string Id, HttpClient Filer, string Expected)> DraftAsync(ApplicationKind kind)
    {
        var (holder, employer) = (TestData.IdNumber(), TestData.CreditCode());
        var numbers = new[] { TestData.CertificateNumber(), TestData.CertificateNumber() };
        // The fake clock reads 2026-11-23: a certificate valid until 2027-01-31 may be extended.
        await _app.ImportAsync(TestData.Line(numbers[0], holder, employer, name: "王建国", validUntil: "2027-01-31"),
            TestData.Line(numbers[1], TestData.IdNumber(), employer, name: "李娜"));
        var applicant = await _app.ApplicantAsync(holder, "王建国");
        var enterprise = await _app.EnterpriseAsync(employer);
        async Task<string> Create(HttpClient client, object body) =>
            (await (await client.PostAsJsonAsync("/api/applications", body)).AssertOkAsync(201)).GetProperty("id").GetString()!;
        var phone = TestData.Phone;
        switch (kind)
        {
            case ApplicationKind.Change:
                return (await Create(applicant, new { kind = "change", certificateNumber = numbers[0], notificationPhone = phone, changes = new { holderName = "王建民" } }),
                    applicant, "王建民");
            case ApplicationKind.Reissue:
                return (await Create(applicant, new { kind = "reissue", certificateNumber = numbers[0], notificationPhone = phone, reissueReason = "damaged" }),
                    applicant, "污损");
            case ApplicationKind.Cancellation:
                return (await Create(applicant, new { kind = "cancellation", certificateNumber = numbers[0], notificationPhone = phone, reason = "本人退出建筑行业" }),
                    applicant, "本人退出建筑行业");
            case ApplicationKind.Extension:
                return (await Create(applicant, new { kind = "extension", certificateNumber = numbers[0], notificationPhone = phone }), applicant, "2027-01-31");
            case ApplicationKind.Transfer:
                var receiving = TestData.CreditCode();
                await (await (await _app.AdminAsync()).PutAsJsonAsync($"/api/admin/enterprises/{receiving}", new { name = "嘉峪关新城建设有限公司", cityCode = "620200" }))
                    .AssertOkAsync();
                var mover = await _app.EnterpriseAsync(receiving);
                return (await Create(mover, new { kind = "transfer", certificateNumber = numbers[0], holderIdNumber = holder, notificationPhone = phone }),
                    mover, "嘉峪关新城建设有限公司");
            case ApplicationKind.EnterpriseChange:
                return (await Create(enterprise, new { kind = "enterpriseChange", enterpriseCode = employer, notificationPhone = phone, newName = "兰州测试建设集团有限公司" }),
                    enterprise, "兰州测试建设集团有限公司");
            default:
                return (await Create(enterprise, new { kind = "batchReissue", certificateNumbers = numbers, reissueReason = "lost", notificationPhone = phone }),
                    enterprise, numbers[1]);
        }
    }

    public static TheoryData<ApplicationKind> Kinds => [.. Enum.GetValues<ApplicationKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_draft_of_every_kind_prints_its_form_to_sign_and_stamp(ApplicationKind kind)
    {
        var (id, filer, expected) = await DraftAsync(kind);
        var response = await filer.GetAsync($"/api/applications/{id}/form.pdf");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var read = PdfReading.Of(await response.Content.ReadAsByteArrayAsync());

        Assert.Contains(ApplicationForms.TitleOf(kind), read.Text);
        Assert.Contains(id, read.Text);
        Assert.Equal(id, Assert.Single(read.QrCodes));
        Assert.Contains(expected, read.Text);
        var commitment = Commitments.Current(kind);
        Assert.Contains(commitment.Text, read.Text.Replace("\n", ""));
        Assert.Contains($"承诺（{commitment.Version}版）", read.Text);
        Assert.Contains("（签名）", read.Text);
        Assert.Contains("单位（盖章）", read.Text);
        Assert.Contains("草稿", read.Text);

        var view = await (await filer.GetAsync($"/api/applications/{id}")).AssertOkAsync();
        Assert.Equal($"/api/applications/{id}/form.pdf", view.GetProperty("formUrl").GetString());
        Assert.False(view.TryGetProperty("certificatePdfUrl", out _)); // not approved
    }

    [Fact]
    public async Task An_enterprise_s_form_shows_its_employees_masked_and_the_holder_s_own_shows_them_in_full()
    {
        var (id, enterprise, second) = await DraftAsync(ApplicationKind.BatchReissue);
        var read = PdfReading.Of(await (await enterprise.GetAsync($"/api/applications/{id}/form.pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains(second, read.Text);
        Assert.Contains("李*", read.Text);
        Assert.DoesNotContain("李娜", read.Text);

        var (change, applicant, _) = await DraftAsync(ApplicationKind.Change);
        var own = PdfReading.Of(await (await applicant.GetAsync($"/api/applications/{change}/form.pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains("王建国", own.Text);
        Assert.Contains(TestData.Phone, own.Text);
    }
}
