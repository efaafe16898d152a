using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FuncRegistry.Functions.Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The electronic certificate (issue 15): the PDF a holder shows — read back as a person would, its
/// text and its QR code — kept per version and drawn again after every change; and its public
/// verification by the printed check code, where a wrong code looks exactly like an unknown number.
/// </summary>
public sealed class ElectronicCertificateTests : IClassFixture<ElectronicCertificateTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private const string Holder = "王建国";
    private readonly RegistryFactory _app;
    private CertificateLinks Links => _app.Services.GetRequiredService<CertificateLinks>();

    public ElectronicCertificateTests(App app) => _app = app.Factory;

    /// <summary>A certificate of 王建国 (numbered as Gansu writes them, e.g. 甘建安C（2019）0012345) and his client.</summary>
    private async Task<Scenario> CertificateOfWangAsync()
    {
        var (holder, employer, number) = (TestData.IdNumber(), TestData.CreditCode(), TestData.CertificateNumber());
        await _app.ImportAsync(TestData.Line(number, holder, employer, name: Holder));
        return new Scenario
        {
            App = _app, CertificateNumber = number, HolderId = holder, EmployerCode = employer,
            Applicant = await _app.ApplicantAsync(holder, Holder), CityReviewer = await _app.CityReviewerAsync(), ProvinceReviewer = await _app.ProvinceReviewerAsync(),
        };
    }

    private static async Task<(byte[] Pdf, string? ETag)> PdfAsync(HttpClient client, string number)
    {
        var response = await client.GetAsync(TestData.CertificatePath(number) + "/pdf");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.Tag);
    }

    private static string VerifyPath(string number, string? code) =>
        $"/api/verify/{Uri.EscapeDataString(number)}" + (code is null ? "" : "?code=" + Uri.EscapeDataString(code));

    private async Task<string> ApprovedAsync(Scenario s, object body, byte[]? photo = null)
    {
        var id = await s.CreateDraftAsync(body, withDocuments: false);
        if (photo is not null) await (await s.UploadAsync(id, "photo", photo, "证件照.png")).AssertOkAsync(201);
        await s.AttachRequiredDocumentsAsync(id);
        await (await s.Applicant.SubmitAsync(id, Submission.KindOf(body))).AssertOkAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        return id;
    }

    [Fact]
    public async Task The_certificate_pdf_prints_the_register_data_the_check_code_and_a_QR_code_that_opens_its_verification()
    {
        var s = await CertificateOfWangAsync();
        var (pdf, _) = await PdfAsync(s.Applicant, s.CertificateNumber);
        var read = PdfReading.Of(pdf);

        Assert.Equal(1, read.Pages);
        Assert.Contains(Holder, read.Text);
        Assert.Contains(s.CertificateNumber, read.Text); // Chinese characters and parentheses as the register writes them
        Assert.Contains("施工员(土建施工)", read.Text);
        Assert.Contains("兰州测试建设工程有限公司", read.Text);
        Assert.Contains("2024年6月30日", read.Text);
        Assert.Contains("2027年6月30日", read.Text);
        Assert.Contains("甘肃省住房和城乡建设厅", read.Text);
        var code = Links.CheckCode(s.CertificateNumber);
        Assert.Contains($"{code[..5]}-{code[5..]}", read.Text);
        // The ID number is masked: the same PDF goes to the employer.
        Assert.DoesNotContain(s.HolderId, read.Text);
        Assert.Contains(s.HolderId[..4] + "**********" + s.HolderId[^4..], read.Text);

        var url = Assert.Single(read.QrCodes);
        Assert.Equal($"{CertificateOptions.LocalBaseUrl}/api/verify/{Uri.EscapeDataString(s.CertificateNumber)}?code={code}", url);
        Assert.Equal(url, Assert.Single(read.Links)); // the code is also a link, for a PDF opened on a phone
        var verification = await (await _app.CreateClient().GetAsync(new Uri(url).PathAndQuery)).AssertOkAsync();
        Assert.Equal(s.CertificateNumber, verification.GetProperty("number").GetString());
        Assert.Equal(1, read.Images); // the QR code: an imported certificate has no photo
    }

    [Fact]
    public async Task An_imported_certificate_is_rendered_on_its_first_request_and_served_from_storage_after()
    {
        var s = await CertificateOfWangAsync();
        var pdfs = _app.Services.GetRequiredService<CertificatePdfs>();
        Assert.Empty(await pdfs.StoredVersionsAsync(s.CertificateNumber));

        var (first, version) = await PdfAsync(s.Applicant, s.CertificateNumber);
        var stored = Assert.Single(await pdfs.StoredVersionsAsync(s.CertificateNumber));
        var (again, sameVersion) = await PdfAsync(await _app.EnterpriseAsync(s.EmployerCode), s.CertificateNumber);

        Assert.Equal(version, sameVersion);
        Assert.Equal(first, again); // the stored bytes, not a second rendering (whose creation date would differ)
        Assert.Equal(stored, Assert.Single(await pdfs.StoredVersionsAsync(s.CertificateNumber)));
        Assert.InRange(first.Length, 20_000, 300_000); // the fonts are embedded as subsets, not whole (4 MB)
    }

    [Fact]
    public async Task A_name_change_draws_a_new_version_with_its_endorsement_and_the_photo_of_its_application_and_the_old_version_is_deleted()
    {
        var s = await CertificateOfWangAsync();
        var (_, before) = await PdfAsync(s.Applicant, s.CertificateNumber);

        await ApprovedAsync(s, s.ChangeName("王建民"), TestPhoto.Png);
        var (pdf, after) = await PdfAsync(s.Applicant, s.CertificateNumber);
        var read = PdfReading.Of(pdf);
        // The docs' picture of a certificate (tools/certificate-image.sh) is this one.
        if (Environment.GetEnvironmentVariable("CERTIFICATE_SAMPLE_PDF") is { Length: > 0 } sample) await File.WriteAllBytesAsync(sample, pdf);

        Assert.NotEqual(before, after);
        Assert.Contains("王建民", read.Text);
        Assert.DoesNotContain(Holder, read.Text); // nor in the endorsement: it reads 姓名变更
        Assert.Contains("签注记录", read.Text);
        Assert.Contains("姓名变更", read.Text);
        Assert.Equal(2, read.Images); // the photo attached to the change, and the QR code
        Assert.EndsWith($"/{after!.Trim('"')}.pdf", Assert.Single(await _app.Services.GetRequiredService<CertificatePdfs>().StoredVersionsAsync(s.CertificateNumber)));
    }

    [Fact]
    public async Task A_reissue_gets_its_own_certificate_with_the_photo_and_the_old_one_verifies_as_voided_with_its_replacement()
    {
        var s = await CertificateOfWangAsync();
        await ApprovedAsync(s, new { kind = "reissue", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reissueReason = "lost" },
            TestPhoto.Png);
        var newNumber = (await s.CertificateAsync()).GetProperty("replacedBy").GetString()!;

        var reissued = PdfReading.Of((await PdfAsync(s.Applicant, newNumber)).Pdf);
        Assert.Contains(newNumber, reissued.Text);
        Assert.Contains($"原证书{s.CertificateNumber}作废", reissued.Text);
        Assert.Equal(2, reissued.Images); // the photo and the QR code
        Assert.Equal(Links.VerifyUrl(newNumber), Assert.Single(reissued.QrCodes));
        Assert.NotEqual(Links.CheckCode(s.CertificateNumber), Links.CheckCode(newNumber));

        var old = PdfReading.Of((await PdfAsync(s.Applicant, s.CertificateNumber)).Pdf);
        Assert.Contains("已作废", old.Text);
        Assert.Contains($"由证书 {newNumber} 替代", old.Text);

        var anonymous = _app.CreateClient();
        var verified = await (await anonymous.GetAsync(VerifyPath(s.CertificateNumber, Links.CheckCode(s.CertificateNumber)))).AssertOkAsync();
        Assert.Equal("voided", verified.GetProperty("status").GetString());
        Assert.Equal("作废", verified.GetProperty("statusText").GetString());
        Assert.Equal(newNumber, verified.GetProperty("replacedBy").GetString());
        var page = new HttpRequestMessage(HttpMethod.Get, VerifyPath(s.CertificateNumber, Links.CheckCode(s.CertificateNumber)));
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var html = await (await anonymous.SendAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("证书已作废", html);
        Assert.Contains(newNumber, html);
    }

    [Fact]
    public async Task Anyone_verifies_a_certificate_without_signing_in_and_sees_the_holder_masked()
    {
        var s = await CertificateOfWangAsync();
        var anonymous = _app.CreateClient();
        var code = Links.CheckCode(s.CertificateNumber);

        var json = await (await anonymous.GetAsync(VerifyPath(s.CertificateNumber, code))).AssertOkAsync();
        Assert.Equal("王**", json.GetProperty("holderName").GetString());
        Assert.Equal("施工员", json.GetProperty("post").GetString());
        Assert.Equal("valid", json.GetProperty("status").GetString());
        Assert.Equal("有效", json.GetProperty("statusText").GetString());
        Assert.Equal("2027-06-30", json.GetProperty("validUntil").GetString());
        Assert.False(json.TryGetProperty("replacedBy", out _));
        Assert.DoesNotContain(Holder, json.GetRawText());

        // As typed off paper: lower case, the hyphen, O for 0 and I for 1 are read alike.
        var typed = code.ToLowerInvariant().Insert(5, "-").Replace('0', 'o').Replace('1', 'i');
        await (await anonymous.GetAsync(VerifyPath(s.CertificateNumber, typed))).AssertOkAsync();

        // A phone that scanned the QR code gets a page in Chinese.
        var request = new HttpRequestMessage(HttpMethod.Get, VerifyPath(s.CertificateNumber, code));
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("证书有效", html);
        Assert.Contains("王**", html);
        Assert.Contains(s.CertificateNumber, html);
        Assert.DoesNotContain(Holder, html);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_wrong_code_a_missing_one_and_an_unknown_number_get_the_same_404_byte_for_byte()
    {
        var s = await CertificateOfWangAsync();
        var anonymous = _app.CreateClient();
        var unknown = TestData.CertificateNumber();
        var right = Links.CheckCode(s.CertificateNumber);
        var wrong = right[..^1] + (right[^1] == 'Z' ? 'Y' : 'Z');

        async Task<(HttpStatusCode, string?, byte[])> AnswerAsync(string path, bool html = false)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (html) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            var response = await anonymous.SendAsync(request);
            return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync());
        }
        foreach (var html in new[] { false, true })
        {
            var baseline = await AnswerAsync(VerifyPath(unknown, Links.CheckCode(unknown)), html); // even with its own right code
            Assert.Equal(HttpStatusCode.NotFound, baseline.Item1);
            foreach (var path in new[] { VerifyPath(s.CertificateNumber, wrong), VerifyPath(s.CertificateNumber, null), VerifyPath(s.CertificateNumber, "x"),
                         VerifyPath(unknown, right), "/api/verify/%E7%94%98%25?code=" + right })
            {
                var answer = await AnswerAsync(path, html);
                Assert.Equal(baseline.Item1, answer.Item1);
                Assert.Equal(baseline.Item2, answer.Item2);
                Assert.Equal(baseline.Item3, answer.Item3);
            }
        }
        var problem = await (await anonymous.GetAsync(VerifyPath(s.CertificateNumber, wrong))).AssertProblemAsync(404, "certificate_not_verified");
        Assert.DoesNotContain(s.CertificateNumber, problem.GetRawText());
    }

    [Fact]
    public async Task Only_those_who_may_see_the_certificate_download_it_and_anyone_else_is_told_it_does_not_exist()
    {
        var s = await CertificateOfWangAsync();
        var stranger = await _app.ApplicantAsync(TestData.IdNumber());
        var mine = await stranger.GetAsync(TestData.CertificatePath(s.CertificateNumber) + "/pdf");
        var none = await stranger.GetAsync(TestData.CertificatePath(TestData.CertificateNumber()) + "/pdf");
        Assert.Equal((await none.AssertProblemAsync(404, "certificate_not_found")).GetRawText(),
            (await mine.AssertProblemAsync(404, "certificate_not_found")).GetRawText());
        Assert.Empty(await _app.Services.GetRequiredService<CertificatePdfs>().StoredVersionsAsync(s.CertificateNumber));
    }
}
