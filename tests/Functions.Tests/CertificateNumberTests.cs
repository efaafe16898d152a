using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Certificate numbers as registers write them (甘建安C（2019）0012345, 豫建安B(2018)0001234): kept as
/// written, found by any spelling of the same number, refused at import only when they cannot be one.
/// </summary>
public sealed class CertificateNumberTests : IClassFixture<CertificateNumberTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;
    public CertificateNumberTests(App app) => _app = app.Factory;

    private async Task<JsonElement> ImportAsync(string csv) =>
        await (await (await _app.AdminAsync()).PostAsync("/api/admin/certificates/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).AssertOkAsync();

    private static string Csv(params string[] lines) =>
        "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil\n" + string.Join("\n", lines) + "\n";

    /// <summary>A fresh number of the given shape: {0} is replaced by unique digits.</summary>
    private static string Fresh(string shape) => string.Format(shape, TestData.CertificateNumber()[^7..]);

    [Fact]
    public async Task A_number_imported_with_full_width_parentheses_is_found_with_half_width_ones_and_shown_as_written()
    {
        var (fullWidth, halfWidth) = (Fresh("甘建安C（2019）{0}"), Fresh("豫建安B(2018){0}"));
        var holder = TestData.IdNumber();
        Assert.Equal(2, (await ImportAsync(Csv(TestData.Line(fullWidth, holder, TestData.CreditCode()), TestData.Line(halfWidth, holder, TestData.CreditCode(), city: "620200"))))
            .GetProperty("imported").GetInt32());
        var applicant = await _app.ApplicantAsync(holder);

        foreach (var spelling in new[] { fullWidth, fullWidth.Replace('（', '(').Replace('）', ')'), fullWidth.Replace('C', 'c') })
        {
            var found = await (await applicant.GetAsync(TestData.CertificatePath(spelling))).AssertOkAsync();
            Assert.Equal(fullWidth, found.GetProperty("number").GetString());
        }
        var other = await (await applicant.GetAsync(TestData.CertificatePath(halfWidth.Replace('(', '（').Replace(')', '）')))).AssertOkAsync();
        Assert.Equal(halfWidth, other.GetProperty("number").GetString());

        var mine = await (await applicant.PostAsJsonAsync("/api/certificates/search", new { holderIdNumber = holder })).AssertOkAsync();
        Assert.Equal([fullWidth, halfWidth], mine.EnumerateArray().Select(c => c.GetProperty("number").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Import_names_the_line_and_the_reason_of_a_number_that_cannot_be_one_and_writes_nothing_for_it()
    {
        var holder = TestData.IdNumber();
        var good = Fresh("鲁建安C2017{0}");
        var result = await ImportAsync(Csv(
            TestData.Line(Fresh("甘建安C（2019）{0}").Replace("）", "）/"), holder, TestData.CreditCode()),
            TestData.Line(Fresh("甘建安C（2019） {0}"), holder, TestData.CreditCode()),
            TestData.Line(Fresh("甘建安C#{0}"), holder, TestData.CreditCode()),
            TestData.Line(new string('甘', 65), holder, TestData.CreditCode()),
            TestData.Line(good, holder, TestData.CreditCode())));

        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        Assert.Equal(
            [
                (2, "证书编号不能含有“/”（/ \\ # ? 不能用于证书编号）"),
                (3, "证书编号中间不能有空格"),
                (4, "证书编号不能含有“#”（/ \\ # ? 不能用于证书编号）"),
                (5, "证书编号过长（最多64个字符，实际65个）"),
            ],
            result.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("error").GetString()!)));
        var mine = await (await (await _app.ApplicantAsync(holder)).PostAsJsonAsync("/api/certificates/search", new { holderIdNumber = holder })).AssertOkAsync();
        Assert.Equal([good], mine.EnumerateArray().Select(c => c.GetProperty("number").GetString()));
    }

    [Fact]
    public async Task Two_spellings_of_one_number_are_one_certificate_in_a_file_and_across_imports()
    {
        var number = Fresh("甘建安A（2020）{0}");
        var holder = TestData.IdNumber();
        var employer = TestData.CreditCode();
        var halfWidth = number.Replace('（', '(').Replace('）', ')');
        var first = await ImportAsync(Csv(TestData.Line(number, holder, employer), TestData.Line(halfWidth, holder, employer)));
        Assert.Equal(1, first.GetProperty("imported").GetInt32());
        Assert.Equal(3, first.GetProperty("rejected")[0].GetProperty("line").GetInt32());
        Assert.StartsWith("证书编号在文件中重复", first.GetProperty("rejected")[0].GetProperty("error").GetString());

        var again = await ImportAsync(Csv(TestData.Line(halfWidth, holder, employer)));
        Assert.Equal(1, again.GetProperty("unchanged").GetInt32());
        var found = await (await (await _app.ApplicantAsync(holder)).GetAsync(TestData.CertificatePath(halfWidth))).AssertOkAsync();
        Assert.Equal(number, found.GetProperty("number").GetString()); // the first spelling stays
    }

    [Fact]
    public async Task A_number_that_cannot_be_one_is_refused_on_lookup_and_on_application_with_the_reason()
    {
        var s = await Scenario.CreateAsync(_app);
        var lookup = await (await s.Applicant.GetAsync("/api/certificates/" + Uri.EscapeDataString("甘建安C（2019）#0012345"))).AssertProblemAsync(400, "invalid_certificate_number");
        Assert.Equal("证书编号不能含有“#”（/ \\ # ? 不能用于证书编号）", lookup.GetProperty("detail").GetString());
        // A '/' arrives as %2F, which routing leaves encoded: the refusal still names what the user typed.
        var slash = await (await s.Applicant.GetAsync("/api/certificates/" + Uri.EscapeDataString("甘建安C/2019"))).AssertProblemAsync(400, "invalid_certificate_number");
        Assert.Equal("证书编号不能含有“/”（/ \\ # ? 不能用于证书编号）", slash.GetProperty("detail").GetString());

        var create = await (await s.Applicant.PostAsJsonAsync("/api/applications",
            new { kind = "extension", certificateNumber = s.CertificateNumber + "?", notificationPhone = TestData.Phone })).AssertProblemAsync(400, "validation_failed");
        Assert.Equal("证书编号不能含有“?”（/ \\ # ? 不能用于证书编号）", create.GetProperty("errors").GetProperty("certificateNumber")[0].GetString());
        var list = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_application_filed_with_another_spelling_is_about_the_certificate_as_the_register_writes_it()
    {
        var s = await Scenario.CreateAsync(_app);
        var otherSpelling = s.CertificateNumber.Contains('（')
            ? s.CertificateNumber.Replace('（', '(').Replace('）', ')')
            : s.CertificateNumber.Replace('(', '（').Replace(')', '）');
        Assert.NotEqual(s.CertificateNumber, otherSpelling);

        var id = await s.SubmittedAsync(new { kind = "cancellation", certificateNumber = otherSpelling.ToLowerInvariant(), notificationPhone = TestData.Phone, reason = "退休" });
        Assert.Equal(s.CertificateNumber, (await s.ApplicationAsync(id)).GetProperty("certificateNumber").GetString());
        var queue = await (await s.CityReviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        Assert.Equal(s.CertificateNumber, queue.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id).GetProperty("certificateNumber").GetString());

        // The same certificate under its written spelling: its one open application is that one.
        await (await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "cancellation", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reason = "退休" }))
            .AssertProblemAsync(409, "certificate_has_open_application");
    }

    [Fact]
    public async Task A_reissue_numbers_the_new_certificate_in_the_province_s_configured_style()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Registry:ReissueNumberFormat"] = "{prefix}（{year}）补{applicationDigits}" });
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync(new { kind = "reissue", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reissueReason = "lost" });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();

        var expected = $"{s.CertificateNumber[..4]}（{id[2..6]}）补{id[2..]}"; // 甘建安C（2026）补20261123000001
        var old = await s.CertificateAsync();
        Assert.Equal(expected, old.GetProperty("replacedBy").GetString());
        var issued = await s.CertificateAsync(expected.Replace('（', '(').Replace('）', ')'));
        Assert.Equal(expected, issued.GetProperty("number").GetString());
        Assert.Equal(s.CertificateNumber, issued.GetProperty("replaces").GetString());
        var sms = Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
        Assert.Contains($"新证书编号{expected}，原证书作废", sms.Text);
    }
}
