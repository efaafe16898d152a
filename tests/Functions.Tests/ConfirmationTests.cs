using FuncRegistry.Core.Applications;
using System.Net.Http.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Confirmation by the other party over HTTP (seed 004 "个人发起注销 企业进行确认…主管部门不参审核"):
/// a holder's cancellation waits for the employer, and where the province configures no review
/// stage for it (<c>Workflow:Kinds:cancellation:Stages = []</c>) the employer's confirmation makes it take effect.
/// </summary>
public sealed class ConfirmationTests : IClassFixture<ConfirmationTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Reviewed { get; } = new();
        public RegistryFactory Unreviewed { get; } = new(settings: new Dictionary<string, string?> { ["Workflow:Kinds:cancellation:Stages"] = "" });
        public void Dispose()
        {
            Reviewed.Dispose();
            Unreviewed.Dispose();
        }
    }

    private readonly App _app;

    public ConfirmationTests(App app) => _app = app;

    private static object Cancellation(Scenario s) => new { kind = "cancellation", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reason = "本人退出建筑行业" };

    private static async Task<string> SubmittedUnconfirmedAsync(Scenario s)
    {
        var id = await s.CreateDraftAsync(Cancellation(s));
        var submitted = await (await s.Applicant.SubmitAsync(id, ApplicationKind.Cancellation)).AssertOkAsync();
        Assert.Equal("pendingConfirmation", submitted.GetProperty("status").GetString());
        Assert.Equal("待对方确认", submitted.GetProperty("statusText").GetString());
        return id;
    }

    [Fact]
    public async Task A_holders_cancellation_waits_for_the_employer_whose_confirmation_sends_it_to_city_review()
    {
        var s = await Scenario.CreateAsync(_app.Reviewed);
        var id = await SubmittedUnconfirmedAsync(s);
        var employer = await _app.Reviewed.EnterpriseAsync(s.EmployerCode);

        // Not in the city's queue yet; the employer finds it in its list and is offered to confirm it.
        var queue = await (await s.CityReviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        var listed = await (await employer.GetAsync("/api/applications?status=pendingConfirmation&pageSize=100")).AssertOkAsync();
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.Equal(["confirm"], (await s.ApplicationAsync(id, employer)).GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        // The holder cannot confirm their own cancellation.
        await (await s.ConfirmAsync(id, true, s.Applicant)).AssertProblemAsync(403, "not_confirming_party");
        await (await employer.PostAsJsonAsync($"/api/applications/{id}/confirm", new { })).AssertProblemAsync(400, "validation_failed");

        var confirmed = await (await s.ConfirmAsync(id, true, employer)).AssertOkAsync();

        Assert.Equal("pendingCityReview", confirmed.GetProperty("status").GetString());
        var history = confirmed.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal("confirm", history[^1]);
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("cancelled", (await s.CertificateAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_no_review_stage_configured_the_employers_confirmation_cancels_the_certificate_without_review()
    {
        var s = await Scenario.CreateAsync(_app.Unreviewed);
        var id = await SubmittedUnconfirmedAsync(s);

        var confirmed = await (await s.ConfirmAsync(id, true)).AssertOkAsync();

        Assert.Equal("approved", confirmed.GetProperty("status").GetString());
        Assert.Equal("cancelled", (await s.CertificateAsync()).GetProperty("status").GetString());
        Assert.Contains(await _app.Unreviewed.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text == $"【甘肃住建】您的注销申请（{id}）已审批通过，证书已注销。");
        // No reviewer ever had it in a queue.
        var queue = await (await s.CityReviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task The_employers_refusal_withdraws_it_texts_the_holder_and_frees_the_certificate()
    {
        var s = await Scenario.CreateAsync(_app.Reviewed);
        var id = await SubmittedUnconfirmedAsync(s);

        var refused = await (await s.ConfirmAsync(id, false)).AssertOkAsync();

        Assert.Equal("withdrawn", refused.GetProperty("status").GetString());
        Assert.Contains(await _app.Reviewed.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text == $"【甘肃住建】您的注销申请（{id}）未获所在单位确认，已撤回。");
        Assert.Equal("valid", (await s.CertificateAsync()).GetProperty("status").GetString());
        await (await s.Applicant.PostAsJsonAsync("/api/applications", s.ChangeName())).AssertOkAsync(201);
    }

    [Fact]
    public void A_review_route_that_is_not_allowed_stops_the_app_at_start_naming_the_setting()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Workflow:Kinds:change:Stages"] = "city", ["Workflow:Kinds:extension:Stages"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        Assert.Contains("Workflow:Kinds:change:Stages must be [], [\"province\"] or [\"city\",\"province\"]", error);
        Assert.Contains("Workflow:Kinds:extension:Stages is [] but nobody confirms", error);
    }
}
