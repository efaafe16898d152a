using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Signed review links: offered to the reviewer who may act, used without a bearer token, acting
/// as that reviewer, once, in their stage and round, until they expire. Anything else is refused
/// and changes nothing.
/// </summary>
public sealed class ReviewLinkTests : IClassFixture<ReviewLinkTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;
    public ReviewLinkTests(App app) => _app = app.Factory;

    private static async Task<string> LinkAsync(Scenario s, string id, HttpClient? reviewer = null)
    {
        var view = await s.ApplicationAsync(id, reviewer ?? s.CityReviewer);
        return Assert.Single(view.GetProperty("callbackLinks").EnumerateArray()).GetProperty("href").GetString()!;
    }

    /// <summary>Posts to a link the way a reviewer system would: no Authorization header.</summary>
    private Task<HttpResponseMessage> UseAsync(string href, object body) =>
        _app.CreateClient().PostAsJsonAsync(new Uri(href).PathAndQuery, body);

    private static async Task<(string Status, int Version)> StateAsync(Scenario s, string id)
    {
        var view = await s.ApplicationAsync(id);
        return (view.GetProperty("status").GetString()!, view.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Only_the_reviewer_who_may_act_is_offered_a_link_for_the_current_stage_and_round()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var city = await s.ApplicationAsync(id, s.CityReviewer);
        var link = Assert.Single(city.GetProperty("callbackLinks").EnumerateArray());
        Assert.Equal("city", link.GetProperty("stage").GetString());
        Assert.Equal(1, link.GetProperty("round").GetInt32());
        Assert.StartsWith("http://localhost/api/review-links/v1.", link.GetProperty("href").GetString());
        Assert.Equal(_app.Clock.GetUtcNow().AddDays(3), link.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False((await s.ApplicationAsync(id)).TryGetProperty("callbackLinks", out _));
        Assert.False((await s.ApplicationAsync(id, s.ProvinceReviewer)).TryGetProperty("callbackLinks", out _));
    }

    [Fact]
    public async Task A_link_decides_without_a_token_as_the_reviewer_it_was_issued_to()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var response = await UseAsync(await LinkAsync(s, id), new { decision = "approve" });
        var result = await response.AssertOkAsync();
        Assert.Equal("pendingProvinceReview", result.GetProperty("status").GetString());
        Assert.False(result.TryGetProperty("holder", out _)); // the answer carries no personal data

        var view = await s.ApplicationAsync(id);
        var last = view.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("cityApprove", last.GetProperty("action").GetString());
        Assert.Equal("city-reviewer", last.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("市州审核员", last.GetProperty("actor").GetProperty("name").GetString());

        // And the province's link finishes it.
        await (await UseAsync(await LinkAsync(s, id, s.ProvinceReviewer), new { decision = "return", reason = "照片不清晰" })).AssertOkAsync();
        Assert.Equal("provinceReturned", (await StateAsync(s, id)).Status);
        Assert.Contains(await _app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text.Contains("照片不清晰"));
    }

    [Fact]
    public async Task A_replayed_link_is_refused_and_changes_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var href = await LinkAsync(s, id);
        await (await UseAsync(href, new { decision = "return", reason = "缺少社保证明" })).AssertOkAsync();
        var before = await StateAsync(s, id);
        await (await UseAsync(href, new { decision = "return", reason = "缺少社保证明" })).AssertProblemAsync(409, "review_link_used");
        await (await UseAsync(href, new { decision = "approve" })).AssertProblemAsync(409, "review_link_used");
        Assert.Equal(before, await StateAsync(s, id));
    }

    [Fact]
    public async Task A_forged_link_is_refused_and_changes_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var href = await LinkAsync(s, id);
        var before = await StateAsync(s, id);
        var token = href[(href.LastIndexOf('/') + 1)..];
        var parts = token.Split('.');
        // The payload re-signed by nobody: a province reviewer's identity, the same signature.
        var payload = Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(parts[1]));
        var forgedPayload = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload.Replace("\"city\"", "\"province\"")));
        var forgeries = new[]
        {
            $"v1.{forgedPayload}.{parts[2]}",
            $"v1.{parts[1]}.{parts[2][..^2]}AA",
            $"v1.{parts[1]}",
            "v1.not-base64!.x",
            "anything",
        };
        foreach (var forged in forgeries)
            await (await UseAsync($"http://localhost/api/review-links/{Uri.EscapeDataString(forged)}", new { decision = "approve" })).AssertProblemAsync(401, "review_link_invalid");
        Assert.Equal(before, await StateAsync(s, id));
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_changes_nothing()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var href = await LinkAsync(s, id);
        var before = await StateAsync(s, id);
        app.Clock.Advance(TimeSpan.FromDays(3));
        var response = await app.CreateClient().PostAsJsonAsync(new Uri(href).PathAndQuery, new { decision = "approve" });
        await response.AssertProblemAsync(401, "review_link_expired");
        var view = await s.ApplicationAsync(id, await app.ProvinceReviewerAsync()); // the scenario's tokens expired too
        Assert.Equal(before, (view.GetProperty("status").GetString()!, view.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_link_of_a_stage_that_is_over_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var href = await LinkAsync(s, id);
        await (await s.CityAsync(id, "approve")).AssertOkAsync(); // decided through the API meanwhile
        var before = await StateAsync(s, id);
        await (await UseAsync(href, new { decision = "return", reason = "重新审核" })).AssertProblemAsync(409, "review_link_stale");
        Assert.Equal(before, await StateAsync(s, id));
    }

    [Fact]
    public async Task A_link_of_an_earlier_round_is_refused_in_the_same_stage_of_a_later_one()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var roundOne = await LinkAsync(s, id);
        await (await s.CityAsync(id, "return", "材料不全")).AssertOkAsync();
        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        var before = await StateAsync(s, id);
        Assert.Equal("pendingCityReview", before.Status);
        await (await UseAsync(roundOne, new { decision = "approve" })).AssertProblemAsync(409, "review_link_stale");
        Assert.Equal(before, await StateAsync(s, id));
        await (await UseAsync(await LinkAsync(s, id), new { decision = "approve" })).AssertOkAsync();
    }

    [Fact]
    public async Task A_refused_decision_does_not_use_up_the_link()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var href = await LinkAsync(s, id);
        var before = await StateAsync(s, id);
        await (await UseAsync(href, new { decision = "return" })).AssertProblemAsync(400, "validation_failed");
        await (await UseAsync(href, new { decision = "maybe" })).AssertProblemAsync(400, "validation_failed");
        Assert.Equal(before, await StateAsync(s, id));
        await (await UseAsync(href, new { decision = "approve" })).AssertOkAsync();
    }

    [Fact]
    public async Task Of_a_link_used_twice_at_once_exactly_one_use_decides()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var href = await LinkAsync(s, id);
        var (_, version) = await StateAsync(s, id);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => UseAsync(href, new { decision = "approve" })));
        Assert.Equal(1, responses.Count(r => (int)r.StatusCode == 200));
        Assert.All(responses.Where(r => (int)r.StatusCode != 200), r => Assert.Equal(409, (int)r.StatusCode));
        Assert.Equal(("pendingProvinceReview", version + 1), await StateAsync(s, id));
    }

    [Fact]
    public async Task Keys_rotate_links_of_a_retired_key_stop_working_once_it_is_removed()
    {
        var prefix = RegistryFactory.NewPrefix();
        static Dictionary<string, string?> Keys(string active, params string[] ids)
        {
            var settings = new Dictionary<string, string?> { ["ReviewLinks:ActiveKeyId"] = active };
            for (var i = 0; i < ids.Length; i++)
            {
                settings[$"ReviewLinks:Keys:{i}:Id"] = ids[i];
                settings[$"ReviewLinks:Keys:{i}:Secret"] = $"secret-of-{ids[i]}-long-enough-for-hmac-sha256";
            }
            return settings;
        }
        using var old = new RegistryFactory(prefix, settings: Keys("k1", "k1"));
        using var rotating = new RegistryFactory(prefix, settings: Keys("k2", "k1", "k2"));
        using var rotated = new RegistryFactory(prefix, settings: Keys("k2", "k2"));
        var s = await Scenario.CreateAsync(old);
        var first = await s.SubmittedAsync();
        var signedByOld = await LinkAsync(s, first);

        var s2 = await Scenario.CreateAsync(rotating);
        var second = await s2.SubmittedAsync();
        var signedByNew = await LinkAsync(s2, second);
        Assert.Equal("k2", KeyIdOf(signedByNew));

        await (await rotated.CreateClient().PostAsJsonAsync(new Uri(signedByOld).PathAndQuery, new { decision = "approve" })).AssertProblemAsync(401, "review_link_invalid");
        await (await rotating.CreateClient().PostAsJsonAsync(new Uri(signedByOld).PathAndQuery, new { decision = "approve" })).AssertOkAsync();
        await (await rotated.CreateClient().PostAsJsonAsync(new Uri(signedByNew).PathAndQuery, new { decision = "approve" })).AssertOkAsync();
    }

    private static string KeyIdOf(string href)
    {
        var payload = href[(href.LastIndexOf('/') + 1)..].Split('.')[1];
        return JsonDocument.Parse(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(payload)).RootElement.GetProperty("k").GetString()!;
    }
}
