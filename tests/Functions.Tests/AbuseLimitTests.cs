using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Per-caller rate limits on creation, submission and anything that sends SMS (tiny limits
/// configured here, so no clock is involved), and request body limits.
/// </summary>
public sealed class AbuseLimitTests : IClassFixture<AbuseLimitTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new(settings: new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:Create:PermitLimit"] = "2", ["RateLimits:Create:Window"] = "01:00:00",
            ["RateLimits:Submit:PermitLimit"] = "1", ["RateLimits:Submit:Window"] = "01:00:00",
            ["RateLimits:Sms:PermitLimit"] = "1", ["RateLimits:Sms:Window"] = "01:00:00",
            ["RateLimits:Verify:PermitLimit"] = "2", ["RateLimits:Verify:Window"] = "01:00:00",
        });
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;
    public AbuseLimitTests(App app) => _app = app.Factory;

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(429, "rate_limited");
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 3600);
    }

    [Fact]
    public async Task Certificate_verification_is_limited_per_client_address_whether_signed_in_or_not()
    {
        var s = await Scenario.CreateAsync(_app);
        var code = _app.Services.GetRequiredService<Certificates.CertificateLinks>().CheckCode(s.CertificateNumber);
        var path = $"/api/verify/{Uri.EscapeDataString(s.CertificateNumber)}?code={code}";
        await (await _app.CreateClient().GetAsync(path)).AssertOkAsync();
        await (await _app.CreateClient().GetAsync(path + "X")).AssertProblemAsync(404, "certificate_not_verified"); // a wrong guess counts too
        // A token is no way round it: the budget is the address's (here every test client's).
        await AssertRateLimitedAsync(await s.Applicant.GetAsync(path));
        await AssertRateLimitedAsync(await _app.CreateClient().GetAsync(path));
    }

    [Fact]
    public async Task Filing_beyond_the_limit_is_refused_with_429_and_retry_after_and_files_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        await s.CreateDraftAsync();
        await s.CreateDraftAsync();
        await AssertRateLimitedAsync(await s.Applicant.PostAsJsonAsync("/api/applications", s.ChangeName("王五")));
        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Equal(2, mine.GetProperty("items").GetArrayLength());

        // The budget is the caller's own: another applicant still files.
        var other = await Scenario.CreateAsync(_app);
        await other.CreateDraftAsync();
    }

    [Fact]
    public async Task Submitting_beyond_the_limit_is_refused_and_changes_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        var first = await s.SubmittedAsync();
        await (await s.Applicant.PostAsync($"/api/applications/{first}/withdraw", null)).AssertOkAsync();
        var second = await s.CreateDraftAsync();
        await AssertRateLimitedAsync(await s.Applicant.SubmitAsync(second));
        Assert.Equal("draft", (await s.ApplicationAsync(second)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Decisions_that_send_sms_are_limited_per_reviewer_through_the_api_and_through_links()
    {
        var one = await Scenario.CreateAsync(_app);
        var two = await Scenario.CreateAsync(_app);
        var reviewer = await _app.CityReviewerAsync("620100", "sms-limited-reviewer");
        var a = await one.SubmittedAsync();
        var b = await two.SubmittedAsync();
        await (await one.CityAsync(a, "return", "材料不全", reviewer)).AssertOkAsync();
        await AssertRateLimitedAsync(await two.CityAsync(b, "return", "材料不全", reviewer));
        Assert.Equal("pendingCityReview", (await two.ApplicationAsync(b)).GetProperty("status").GetString());
        Assert.DoesNotContain(await _app.SmsToAsync(TestData.Phone), m => m.ApplicationId == b);

        // Anonymous link posts share one budget per client address.
        var link = (await two.ApplicationAsync(b, two.CityReviewer)).GetProperty("callbackLinks")[0].GetProperty("href").GetString()!;
        var anonymous = _app.CreateClient();
        await anonymous.PostAsJsonAsync("/api/review-links/v1.forged.x", new { decision = "approve" });
        await AssertRateLimitedAsync(await anonymous.PostAsJsonAsync(new Uri(link).PathAndQuery, new { decision = "approve" }));
        Assert.Equal("pendingCityReview", (await two.ApplicationAsync(b)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_json_body_over_64_kb_is_refused_with_413_whether_its_length_is_declared_or_not()
    {
        var s = await Scenario.CreateAsync(_app);
        var huge = $$"""{"kind":"cancellation","certificateNumber":"{{s.CertificateNumber}}","notificationPhone":"{{TestData.Phone}}","reason":"{{new string('很', 30_000)}}"}""";
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 64 * 1024);
        await (await s.Applicant.PostAsync("/api/applications", new StringContent(huge, Encoding.UTF8, "application/json"))).AssertProblemAsync(413, "payload_too_large");

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await s.Applicant.SendAsync(request)).AssertProblemAsync(413, "payload_too_large");

        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Equal(0, mine.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_register_import_takes_a_larger_body()
    {
        // Twenty certificates and a thousand lines the import rejects: well over the JSON limit.
        var good = Enumerable.Range(0, 20).Select(_ => TestData.Line(TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode()));
        var bad = Enumerable.Range(0, 1000).Select(i => $"BAD{i:D6},{new string('名', 30)},not-an-id,施工员,单位,code,620100,2024-01-01,2027-01-01");
        var csv = "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil\n" + string.Join("\n", good.Concat(bad)) + "\n";
        Assert.True(Encoding.UTF8.GetByteCount(csv) > 128 * 1024);
        var admin = await _app.AdminAsync();
        var result = await (await admin.PostAsync("/api/admin/certificates/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).AssertOkAsync();
        Assert.Equal(20, result.GetProperty("imported").GetInt32());
        Assert.Equal(1000, result.GetProperty("rejected").GetArrayLength());
    }
}
