using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FuncRegistry.Functions.Tests;

/// <summary>The receiver shared by the tests of a class; each test has its own app and storage prefix.</summary>
public sealed class WebhookReceiverFixture : IAsyncLifetime
{
    public WebhookReceiver Receiver { get; private set; } = null!;
    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();
    public async Task DisposeAsync() => await Receiver.DisposeAsync();
}

/// <summary>
/// The statutory review clock end to end: due times in the queues and on the application, the
/// pause while returned, the extension, reminders by signed webhook once each, escalation,
/// automatic withdrawal, restarts, racing sweeps and the Functions timer invocation. Time moves
/// only when a test moves the fake clock; sweeps run only when a test calls them.
/// The clock starts on Monday 23 November 2026 at 10:00 Beijing time.
/// </summary>
public sealed class ReviewClockTests(WebhookReceiverFixture fixture) : IClassFixture<WebhookReceiverFixture>
{
    private readonly WebhookReceiver _receiver = fixture.Receiver;

    private RegistryFactory App(string? prefix = null) => new(prefix, services: s => s.PostConfigure<DeadlineOptions>(o =>
    {
        o.Webhooks.Province = new WebhookTarget { Url = _receiver.BaseUrl + "/province", Secret = WebhookReceiver.Secret };
        o.Webhooks.Cities["620100"] = new WebhookTarget { Url = _receiver.BaseUrl + "/city/620100", Secret = WebhookReceiver.Secret };
        o.Webhooks.Cities["620200"] = new WebhookTarget { Url = _receiver.BaseUrl + "/city/620200", Secret = WebhookReceiver.Secret };
        // 金昌市 was given a wrong secret: its endpoint refuses every notice.
        o.Webhooks.Cities["620300"] = new WebhookTarget { Url = _receiver.BaseUrl + "/city/620300", Secret = "not-the-shared-secret" };
    }));

    private static void SetBeijing(RegistryFactory app, string local) =>
        app.Clock.SetUtcNow(new DateTimeOffset(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), BeijingTime.Offset));

    private static Task<SweepResult> SweepAsync(RegistryFactory app) => app.Services.GetRequiredService<TimerSweep>().SweepAsync();

    /// <summary>Tokens last 12 hours of (fake) time: after moving the clock, callers sign in again.</summary>
    private static async Task<Scenario> SignInAgainAsync(Scenario s, string city = "620100") => new()
    {
        App = s.App, CertificateNumber = s.CertificateNumber, HolderId = s.HolderId, EmployerCode = s.EmployerCode,
        Applicant = await s.App.ApplicantAsync(s.HolderId), CityReviewer = await s.App.CityReviewerAsync(city),
        ProvinceReviewer = await s.App.ProvinceReviewerAsync(),
    };

    private static async Task<JsonElement> PendingItemAsync(HttpClient reviewer, string id)
    {
        var page = await (await reviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        return page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
    }

    private static List<string> Actions(JsonElement application) =>
        application.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToList();

    [Fact]
    public async Task Pending_queue_shows_each_items_due_time_whether_it_is_overdue_and_the_working_days_left()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();

        var item = await PendingItemAsync(s.CityReviewer, id);
        Assert.Equal("2026-11-30", item.GetProperty("dueOn").GetString());
        Assert.Equal("2026-12-01T00:00:00+08:00", item.GetProperty("dueAt").GetString());
        Assert.False(item.GetProperty("overdue").GetBoolean());
        Assert.Equal(5, item.GetProperty("remainingWorkingDays").GetInt32());

        var view = await s.ApplicationAsync(id);
        var deadline = view.GetProperty("deadline");
        Assert.Equal("city", deadline.GetProperty("stage").GetProperty("stage").GetString());
        Assert.Equal("2026-11-30", deadline.GetProperty("stage").GetProperty("dueOn").GetString());
        Assert.Equal(20, deadline.GetProperty("statutory").GetProperty("limitWorkingDays").GetInt32());
        Assert.Equal("2026-12-21", deadline.GetProperty("statutory").GetProperty("dueOn").GetString());

        SetBeijing(app, "2026-12-02 09:00");
        s = await SignInAgainAsync(s);
        item = await PendingItemAsync(s.CityReviewer, id);
        Assert.True(item.GetProperty("overdue").GetBoolean());
        Assert.Equal(-2, item.GetProperty("remainingWorkingDays").GetInt32());
        Assert.True((await s.ApplicationAsync(id)).GetProperty("deadline").GetProperty("stage").GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task Reviewers_are_reminded_by_signed_webhook_once_before_the_stage_falls_due_and_once_when_it_is_overdue()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();

        SetBeijing(app, "2026-11-27 09:00");
        await SweepAsync(app);
        Assert.Empty(_receiver.For(id));

        SetBeijing(app, "2026-11-30 09:00");
        await SweepAsync(app);
        await SweepAsync(app);
        var dueSoon = Assert.Single(_receiver.For(id));
        Assert.True(dueSoon.SignatureValid);
        Assert.Equal("/city/620100", dueSoon.Path);
        Assert.Equal("review.dueSoon", dueSoon.Event);
        Assert.Equal("2026-12-01T00:00:00+08:00", dueSoon.Json.GetProperty("dueAt").GetString());
        Assert.Equal("兰州市", dueSoon.Json.GetProperty("cityName").GetString());
        // Reviewers get what finds the application, never the holder's personal data.
        Assert.DoesNotContain(s.HolderId, dueSoon.Body);
        Assert.DoesNotContain(TestData.Phone, dueSoon.Body);

        SetBeijing(app, "2026-12-01 09:00");
        await SweepAsync(app);
        await SweepAsync(app);
        var received = _receiver.For(id);
        Assert.Equal(["review.dueSoon", "review.overdue"], received.Select(r => r.Event));
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.Equal(2, received.Select(r => r.Delivery).Distinct().Count());

        s = await SignInAgainAsync(s);
        var view = await s.ApplicationAsync(id, s.CityReviewer);
        var reminders = view.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("action").GetString() == "remind").ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(("system", "系统"), (r.GetProperty("actor").GetProperty("role").GetString(), r.GetProperty("actor").GetProperty("name").GetString())));
        Assert.Equal("pendingCityReview", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_city_stage_overdue_by_more_than_the_margin_is_escalated_to_the_province_once()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();

        SetBeijing(app, "2026-12-02 23:00");   // overdue by two working days: not yet beyond the margin
        await SweepAsync(app);
        Assert.Equal(["review.overdue"], _receiver.For(id).Select(r => r.Event));

        SetBeijing(app, "2026-12-03 09:00");
        await SweepAsync(app);
        SetBeijing(app, "2026-12-10 09:00");
        await SweepAsync(app);

        var escalation = Assert.Single(_receiver.For(id), r => r.Event == "review.escalated");
        Assert.Equal("/province", escalation.Path);
        Assert.True(escalation.SignatureValid);
        Assert.Equal(2, _receiver.For(id).Count);
        s = await SignInAgainAsync(s);
        var view = await s.ApplicationAsync(id, s.ProvinceReviewer);
        Assert.Single(Actions(view), "escalate");
        Assert.True(view.GetProperty("deadline").GetProperty("stage").GetProperty("escalated").GetBoolean());
    }

    [Fact]
    public async Task Province_reviewer_extends_the_deadline_once_with_a_reason_that_is_texted_to_the_applicant()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        Assert.Contains("extendDeadline", (await s.ApplicationAsync(id, s.ProvinceReviewer)).GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        await (await s.CityReviewer.PostAsJsonAsync($"/api/applications/{id}/extend-deadline", new { reason = "需现场核查" })).AssertProblemAsync(403, "not_province_reviewer");
        await (await s.ProvinceReviewer.PostAsJsonAsync($"/api/applications/{id}/extend-deadline", new { reason = " " })).AssertProblemAsync(400, "validation_failed");
        var extended = await (await s.ProvinceReviewer.PostAsJsonAsync($"/api/applications/{id}/extend-deadline", new { reason = "需赴施工现场核查劳动合同" })).AssertOkAsync();

        var deadline = extended.GetProperty("deadline");
        Assert.Equal("2026-12-21", deadline.GetProperty("stage").GetProperty("dueOn").GetString());   // 7 December + 10 working days
        Assert.Equal(30, deadline.GetProperty("statutory").GetProperty("limitWorkingDays").GetInt32());
        Assert.Equal("需赴施工现场核查劳动合同", deadline.GetProperty("extension").GetProperty("reason").GetString());
        Assert.DoesNotContain("extendDeadline", extended.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("2026-12-21", (await PendingItemAsync(s.ProvinceReviewer, id)).GetProperty("dueOn").GetString());
        var sms = Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
        Assert.Equal($"【甘肃住建】您的证书变更申请（{id}）办理期限延长10个工作日，原因：需赴施工现场核查劳动合同。", sms.Text);

        var colleague = await app.ProvinceReviewerAsync("province-reviewer-2");
        await (await colleague.PostAsJsonAsync($"/api/applications/{id}/extend-deadline", new { reason = "再延长" })).AssertProblemAsync(409, "deadline_already_extended");
        Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);

        // Reminders follow the extended due time: nothing at the original one.
        SetBeijing(app, "2026-12-08 09:00");
        await SweepAsync(app);
        Assert.Empty(_receiver.For(id));
        SetBeijing(app, "2026-12-22 09:00");
        await SweepAsync(app);
        Assert.Equal(["review.overdue"], _receiver.For(id).Select(r => r.Event));
        Assert.Equal("/province", _receiver.For(id)[0].Path);
    }

    [Fact]
    public async Task The_clock_pauses_while_the_application_is_back_with_the_applicant()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        SetBeijing(app, "2026-11-25 10:00");
        s = await SignInAgainAsync(s);
        await (await s.CityAsync(id, "return", "身份证复印件不清晰")).AssertOkAsync();

        SetBeijing(app, "2026-12-04 10:00");
        s = await SignInAgainAsync(s);
        var returned = (await s.ApplicationAsync(id)).GetProperty("deadline");
        Assert.False(returned.TryGetProperty("stage", out _));
        var statutory = returned.GetProperty("statutory");
        Assert.True(statutory.GetProperty("paused").GetBoolean());
        Assert.Equal(2, statutory.GetProperty("usedWorkingDays").GetInt32());
        Assert.Equal(18, statutory.GetProperty("remainingWorkingDays").GetInt32());
        Assert.Equal("2026-12-25T10:00:00+08:00", returned.GetProperty("autoWithdrawAt").GetString());

        SetBeijing(app, "2026-12-07 10:00");
        s = await SignInAgainAsync(s);
        var resubmitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        var deadline = resubmitted.GetProperty("deadline");
        Assert.False(deadline.GetProperty("statutory").GetProperty("paused").GetBoolean());
        Assert.Equal("2026-12-31", deadline.GetProperty("statutory").GetProperty("dueOn").GetString());
        Assert.Equal("2026-12-14", deadline.GetProperty("stage").GetProperty("dueOn").GetString());

        // Resubmitted in time: the withdrawal timer is gone.
        SetBeijing(app, "2026-12-26 10:00");
        await SweepAsync(app);
        s = await SignInAgainAsync(s);
        Assert.Equal("pendingCityReview", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_returned_application_not_resubmitted_within_thirty_days_is_withdrawn_with_an_SMS_and_frees_the_certificate()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "缺少单位证明")).AssertOkAsync();

        SetBeijing(app, "2026-12-23 09:59");
        await SweepAsync(app);
        s = await SignInAgainAsync(s);
        Assert.Equal("cityReturned", (await s.ApplicationAsync(id)).GetProperty("status").GetString());

        SetBeijing(app, "2026-12-23 10:00");
        await SweepAsync(app);
        await SweepAsync(app);

        var view = await s.ApplicationAsync(id);
        Assert.Equal("withdrawn", view.GetProperty("status").GetString());
        var last = view.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("autoWithdraw", "system"), (last.GetProperty("action").GetString(), last.GetProperty("actor").GetProperty("role").GetString()));
        var texts = (await app.SmsToAsync(TestData.Phone)).Where(m => m.ApplicationId == id).Select(m => m.Text).ToList();
        Assert.Equal(2, texts.Count);
        Assert.Equal($"【甘肃住建】您的证书变更申请（{id}）退回后30日内未重新提交，已自动撤回；如需办理请重新申请。", texts[1]);
        await (await s.Applicant.SubmitAsync(id)).AssertProblemAsync(409, "application_not_submittable");
        await s.SubmittedAsync(s.ChangeName("张五"));   // the certificate may have a new application
    }

    [Fact]
    public async Task Timers_survive_a_restart_of_the_app()
    {
        var prefix = RegistryFactory.NewPrefix();
        string id;
        using (var before = App(prefix))
        {
            var s = await Scenario.CreateAsync(before);
            id = await s.SubmittedAsync();
            // Stopped once its review orchestration waits for the city: a host stopped while an
            // instance starts or runs an activity leaves that to the provider's redelivery (minutes).
            await ReviewOrchestrationTests.WaitingForAsync(before, id, Workflow.ReviewEvents.CityDecision);
        }
        using var after = App(prefix);
        SetBeijing(after, "2026-11-30 09:00");
        var result = await SweepAsync(after);
        Assert.True(result.Due >= 1);
        Assert.Equal(["review.dueSoon"], _receiver.For(id).Select(r => r.Event));
    }

    [Fact]
    public async Task Sweeps_racing_in_two_app_instances_record_one_reminder_and_send_one_webhook_per_application()
    {
        var prefix = RegistryFactory.NewPrefix();
        using var one = App(prefix);
        using var two = App(prefix);
        var scenarios = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Scenario.CreateAsync(one)));
        var ids = new List<string>();
        foreach (var scenario in scenarios) ids.Add(await scenario.SubmittedAsync());

        SetBeijing(one, "2026-11-30 09:00");
        SetBeijing(two, "2026-11-30 09:00");
        await Task.WhenAll(SweepAsync(one), SweepAsync(two), SweepAsync(one), SweepAsync(two));

        var reviewer = await one.CityReviewerAsync();
        foreach (var (id, scenario) in ids.Zip(scenarios))
        {
            Assert.Equal(["review.dueSoon"], _receiver.For(id).Select(r => r.Event));
            Assert.Single(Actions(await scenario.ApplicationAsync(id, reviewer)), "remind");
        }
    }

    [Fact]
    public async Task The_timer_function_runs_the_same_sweep()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        SetBeijing(app, "2026-11-30 09:00");

        // As an operator runs a non-HTTP function by hand on the Functions host: POST /admin/functions/{name}.
        var response = await app.CreateClient().PostAsync("/admin/functions/ReviewClockTimer", new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["review.dueSoon"], _receiver.For(id).Select(r => r.Event));
    }

    [Fact]
    public async Task A_notice_the_reviewer_endpoint_could_not_take_is_delivered_again_by_the_outbox_with_the_same_delivery_id()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app, city: "620200");
        var id = await s.SubmittedAsync();
        _receiver.FailNext("/city/620200", 1);

        SetBeijing(app, "2026-11-30 09:00");
        await SweepAsync(app);
        Assert.Single(_receiver.For(id));

        await app.SweepAsync();
        await app.SweepAsync();

        var deliveries = _receiver.For(id);
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(deliveries[0].Delivery, deliveries[1].Delivery);
        Assert.Equal(deliveries[0].Body, deliveries[1].Body);
        s = await SignInAgainAsync(s, "620200");
        Assert.Single(Actions(await s.ApplicationAsync(id, s.CityReviewer)), "remind");
    }

    [Fact]
    public async Task A_reviewer_endpoint_that_refuses_the_notice_is_not_called_again_and_the_application_goes_on()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app, city: "620300");
        var id = await s.SubmittedAsync();

        SetBeijing(app, "2026-11-30 09:00");
        await SweepAsync(app);
        var refused = Assert.Single(_receiver.For(id));
        Assert.False(refused.SignatureValid);

        // The outbox's safety net finds nothing left to retry: a misconfigured target is not hammered.
        await app.SweepAsync();
        await app.SweepAsync();
        Assert.Single(_receiver.For(id));

        s = await SignInAgainAsync(s, "620300");
        await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();
        Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
        Assert.Single(Actions(await s.ApplicationAsync(id)), "remind");
    }
}
