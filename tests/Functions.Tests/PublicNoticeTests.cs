using System.Net.Http.Json;
using System.Text.Json;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The public notice (公示, ADR 0022) end to end, on the fake clock: with <c>Registry:PublicNoticeDays</c> = 2 the province's
/// approval puts the application under notice; the effect applies only once the notice's last working day is over; anyone
/// objects without signing in; the province upholds (back to its review, no effect) or dismisses (the effect at the end).
/// Time moves only when a test moves the clock; the review clock's sweep runs only when a test calls it (the orchestration's
/// durable timer at the notice's end runs on the real clock, months ahead).
/// </summary>
public sealed class PublicNoticeTests
{
    private const string ObjectorPhone = "13700001111";
    private const string ObjectionReason = "该持证人证书原件由原单位保管，从未遗失，变更材料存疑，请核查";

    private static DateTimeOffset Beijing(string local) =>
        new(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), BeijingTime.Offset);

    /// <summary>The app with a 2-working-day notice, its clock at <paramref name="now"/> (Beijing time).</summary>
    private static RegistryFactory App(string now, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(settings: new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Registry:PublicNoticeDays"] = "2" }, now: Beijing(now));

    private static void SetBeijing(RegistryFactory app, string local) => app.Clock.SetUtcNow(Beijing(local));

    /// <summary>Tokens last 12 hours of (fake) time: after moving the clock, callers sign in again.</summary>
    private static async Task<Scenario> SignInAgainAsync(Scenario s) => new()
    {
        App = s.App, CertificateNumber = s.CertificateNumber, HolderId = s.HolderId, EmployerCode = s.EmployerCode,
        Applicant = await s.App.ApplicantAsync(s.HolderId), CityReviewer = await s.App.CityReviewerAsync(), ProvinceReviewer = await s.App.ProvinceReviewerAsync(),
    };

    /// <summary>A name change (张三 → 张四) the city and the province approved now: under notice.</summary>
    private static async Task<(Scenario S, string Id, JsonElement Approved)> UnderNoticeAsync(RegistryFactory app)
    {
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("underPublicNotice", approved.GetProperty("status").GetString());
        return (s, id, approved);
    }

    private static Task<HttpResponseMessage> ObjectAsync(RegistryFactory app, string id, string reason = ObjectionReason, string phone = ObjectorPhone) =>
        app.CreateClient().PostAsJsonAsync($"/api/public-notices/{id}/objections", new { reason, contactPhone = phone });

    private static Task<HttpResponseMessage> DecideAsync(Scenario s, string id, string objectionId, string decision, string note = "经核查，异议人未提供证据，异议不成立") =>
        s.ProvinceReviewer.PostAsJsonAsync($"/api/applications/{id}/objections/{objectionId}/decision", new { decision, note });

    private static async Task<List<JsonElement>> PublicListAsync(RegistryFactory app, string query = "")
    {
        var page = await (await app.CreateClient().GetAsync("/api/public-notices" + query)).AssertOkAsync();
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    private static List<string> Actions(JsonElement application) =>
        application.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToList();

    private static async Task<List<string>> SmsTextsAsync(RegistryFactory app, string id) =>
        (await app.SmsToAsync(TestData.Phone)).Where(m => m.ApplicationId == id).Select(m => m.Text).ToList();

    [Theory]
    // Approved on a Friday: the notice runs on Monday and Tuesday and ends as Wednesday begins.
    [InlineData("2027-03-05 10:00", "2027-03-09", "2027-03-09 23:59", "2027-03-10 00:00:01")]
    // Approved on the Friday before 清明 (Monday 5 April 2027 off): Tuesday and Wednesday.
    [InlineData("2027-04-02 10:00", "2027-04-07", "2027-04-07 23:59", "2027-04-08 00:00:01")]
    public async Task With_a_two_day_notice_the_change_takes_effect_only_after_the_notice_ends(string approvedAt, string lastDay, string beforeEnd, string afterEnd)
    {
        using var app = App(approvedAt);
        var (s, id, approved) = await UnderNoticeAsync(app);
        var endsAt = Beijing(lastDay + " 00:00").AddDays(1);

        var notice = approved.GetProperty("publicNotice");
        Assert.Equal(lastDay, notice.GetProperty("lastDay").GetString());
        Assert.Equal(endsAt, notice.GetProperty("endsAt").GetDateTimeOffset());
        Assert.True(notice.GetProperty("running").GetBoolean());
        Assert.Equal("公示中", approved.GetProperty("statusText").GetString());
        Assert.Equal("张三", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        // The applicant is told of the notice (not yet of the change).
        Assert.Equal("sent", SmsOutboxTests.OnlySms(approved).GetProperty("status").GetString());
        Assert.Contains($"现予公示至{DateOnly.Parse(lastDay, System.Globalization.CultureInfo.InvariantCulture):yyyy年M月d日}", Assert.Single(await SmsTextsAsync(app, id)));
        // The orchestration waits on a durable timer set at the notice's end (the review clock's timer row says the same).
        var stored = await app.Services.GetRequiredService<ApplicationStore>().LoadAsync(id);
        Assert.Equal(endsAt, app.Services.GetRequiredService<TimerIndex>().TimerOf(stored!.State)!.DueAt);
        var waiting = await ReviewOrchestrationTests.OrchestrationWhenAsync(await app.AdminAsync(), id,
            o => o.TryGetProperty("customStatus", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("nextCheckAt", out _)
                && c.GetProperty("status").GetString() == "underPublicNotice");
        Assert.Equal(endsAt, waiting!.Value.GetProperty("customStatus").GetProperty("nextCheckAt").GetDateTimeOffset());

        // The last minute of the notice: nothing falls due.
        SetBeijing(app, beforeEnd);
        Assert.Equal(0, (await app.SweepAsync()).Due);
        s = await SignInAgainAsync(s);
        Assert.Equal("underPublicNotice", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.Equal("张三", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        Assert.Contains(await PublicListAsync(app), n => n.GetProperty("id").GetString() == id);

        // The notice is over: the approval takes effect, once.
        SetBeijing(app, afterEnd);
        Assert.Equal(1, (await app.SweepAsync()).Due);
        Assert.Equal(0, (await app.SweepAsync()).Due);
        s = await SignInAgainAsync(s);
        var done = await s.ApplicationAsync(id);
        Assert.Equal("approved", done.GetProperty("status").GetString());
        Assert.Equal(["provinceApprove", "endPublicNotice"], Actions(done).TakeLast(2));
        Assert.False(done.GetProperty("publicNotice").GetProperty("running").GetBoolean());
        var certificate = await s.CertificateAsync();
        Assert.Equal("张四", certificate.GetProperty("holderName").GetString());
        // The register is dated on the province's approval day.
        Assert.Equal(approvedAt[..10], certificate.GetProperty("endorsements")[0].GetProperty("on").GetString());
        Assert.Contains(await SmsTextsAsync(app, id), t => t.Contains("已审批通过，证书信息已更新"));
        Assert.DoesNotContain(await PublicListAsync(app), n => n.GetProperty("id").GetString() == id);
        var completed = await ReviewOrchestrationTests.OrchestrationWhenAsync(await app.AdminAsync(), id, o => ReviewOrchestrationTests.Status(o) == "Completed");
        Assert.Equal("Completed", ReviewOrchestrationTests.Status(completed!.Value));
    }

    [Fact]
    public async Task An_upheld_objection_sends_the_application_back_to_the_province_and_nothing_takes_effect()
    {
        using var app = App("2027-03-05 10:00");
        var (s, id, _) = await UnderNoticeAsync(app);

        SetBeijing(app, "2027-03-08 09:00");
        s = await SignInAgainAsync(s);
        var receipt = await (await ObjectAsync(app, id)).AssertOkAsync(201);
        Assert.Equal("YY01", receipt.GetProperty("objectionId").GetString());
        Assert.Equal(id, receipt.GetProperty("noticeId").GetString());
        // The province reads the objection and how to reach the objector; the applicant learns that one came, not from whom.
        var atProvince = (await s.ApplicationAsync(id, s.ProvinceReviewer)).GetProperty("publicNotice").GetProperty("objections")[0];
        Assert.Equal(ObjectionReason, atProvince.GetProperty("reason").GetString());
        Assert.Equal(ObjectorPhone, atProvince.GetProperty("contactPhone").GetString());
        Assert.Contains("decideObjection", (await s.ApplicationAsync(id, s.ProvinceReviewer)).GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var applicantView = await s.ApplicationAsync(id);
        var seenByApplicant = applicantView.GetProperty("publicNotice").GetProperty("objections")[0];
        Assert.Equal("pending", seenByApplicant.GetProperty("status").GetString());
        Assert.False(seenByApplicant.TryGetProperty("reason", out _));
        Assert.False(seenByApplicant.TryGetProperty("contactPhone", out _));
        Assert.DoesNotContain(ObjectorPhone, applicantView.GetRawText());
        Assert.Contains(await SmsTextsAsync(app, id), t => t.Contains("在公示期间收到异议"));
        Assert.Empty(await app.SmsToAsync(ObjectorPhone)); // nothing is sent to the objector

        var upheld = await (await DecideAsync(s, id, "YY01", "uphold", "经核查，申请人提交的姓名变更证明与户籍信息不符")).AssertOkAsync();
        Assert.Equal("pendingProvinceReview", upheld.GetProperty("status").GetString());
        Assert.Equal("upheld", upheld.GetProperty("publicNotice").GetProperty("objections")[0].GetProperty("status").GetString());
        Assert.Contains(await SmsTextsAsync(app, id), t => t.Contains("异议经核查成立"));
        Assert.DoesNotContain(await PublicListAsync(app), n => n.GetProperty("id").GetString() == id);
        var queue = await (await s.ProvinceReviewer.GetAsync("/api/reviews/pending?pageSize=100")).AssertOkAsync();
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        // Past the notice's end nothing takes effect: the province decides again.
        SetBeijing(app, "2027-03-10 09:00");
        await app.SweepAsync();
        s = await SignInAgainAsync(s);
        Assert.Equal("pendingProvinceReview", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.Equal("张三", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        Assert.DoesNotContain(await SmsTextsAsync(app, id), t => t.Contains("已审批通过"));
        await ReviewOrchestrationTests.WaitingForAsync(app, id, Workflow.ReviewEvents.ProvinceDecision);
        // An objection to a notice that no longer runs reads as unknown.
        await (await ObjectAsync(app, id, "再次提出异议：材料存疑")).AssertProblemAsync(404, "public_notice_not_found");
    }

    [Fact]
    public async Task A_dismissed_objection_lets_the_approval_take_effect_when_the_notice_ends()
    {
        using var app = App("2027-03-05 10:00");
        var (s, id, _) = await UnderNoticeAsync(app);
        SetBeijing(app, "2027-03-08 09:00");
        s = await SignInAgainAsync(s);
        await (await ObjectAsync(app, id)).AssertOkAsync(201);

        var dismissed = await (await DecideAsync(s, id, "YY01", "dismiss")).AssertOkAsync();
        Assert.Equal("underPublicNotice", dismissed.GetProperty("status").GetString());
        Assert.Equal("dismissed", dismissed.GetProperty("publicNotice").GetProperty("objections")[0].GetProperty("status").GetString());
        Assert.Contains(await SmsTextsAsync(app, id), t => t.Contains("异议经核查不成立"));
        Assert.Equal("张三", (await s.CertificateAsync()).GetProperty("holderName").GetString());

        SetBeijing(app, "2027-03-10 00:00:01");
        Assert.Equal(1, (await app.SweepAsync()).Due);
        s = await SignInAgainAsync(s);
        Assert.Equal("approved", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.Equal("张四", (await s.CertificateAsync()).GetProperty("holderName").GetString());
    }

    [Fact]
    public async Task An_undecided_objection_holds_the_effect_until_it_is_dismissed_after_the_notice_ends()
    {
        using var app = App("2027-03-05 10:00");
        var (s, id, _) = await UnderNoticeAsync(app);
        SetBeijing(app, "2027-03-09 16:00");
        await (await ObjectAsync(app, id)).AssertOkAsync(201);

        SetBeijing(app, "2027-03-11 09:00");
        await app.SweepAsync();
        s = await SignInAgainAsync(s);
        Assert.Equal("underPublicNotice", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.Equal("张三", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        // The period is over: the public no longer sees it, nor can object.
        Assert.DoesNotContain(await PublicListAsync(app), n => n.GetProperty("id").GetString() == id);
        await (await ObjectAsync(app, id, "公示期后提出的异议")).AssertProblemAsync(404, "public_notice_not_found");

        var decided = await (await DecideAsync(s, id, "YY01", "dismiss")).AssertOkAsync();
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal(["dismissObjection", "endPublicNotice"], Actions(decided).TakeLast(2));
        Assert.Equal("张四", (await s.CertificateAsync()).GetProperty("holderName").GetString());
    }

    [Fact]
    public async Task The_public_list_shows_what_is_under_notice_masked_without_signing_in_and_pages_with_a_token()
    {
        using var app = App("2027-03-05 10:00");
        var ids = new List<string>();
        Scenario? first = null;
        for (var n = 0; n < 3; n++)
        {
            var (s, id, _) = await UnderNoticeAsync(app);
            first ??= s;
            ids.Add(id);
        }

        var response = await app.CreateClient().GetAsync("/api/public-notices");
        var body = await response.Content.ReadAsStringAsync();
        var item = (await response.AssertOkAsync()).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == ids[0]);
        Assert.Equal(first!.CertificateNumber, item.GetProperty("certificateNumber").GetString());
        Assert.Equal("张*", item.GetProperty("holderName").GetString());
        Assert.Equal("施工员(土建施工)", item.GetProperty("post").GetString());
        Assert.Equal("change", item.GetProperty("kind").GetString());
        Assert.Equal("证书信息变更", item.GetProperty("kindText").GetString());
        Assert.Equal("姓名变更为张*", item.GetProperty("change").GetString());
        Assert.Equal("兰州市", item.GetProperty("cityName").GetString());
        Assert.Equal("2027-03-09", item.GetProperty("lastDay").GetString());
        Assert.Equal(Beijing("2027-03-05 10:00"), item.GetProperty("startedAt").GetDateTimeOffset());
        Assert.DoesNotContain("张三", body);
        Assert.DoesNotContain("张四", body);
        Assert.DoesNotContain(first.HolderId, body);
        Assert.DoesNotContain(TestData.Phone, body);

        var page = await (await app.CreateClient().GetAsync("/api/public-notices?pageSize=2")).AssertOkAsync();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var token = page.GetProperty("continuationToken").GetString()!;
        var rest = await (await app.CreateClient().GetAsync("/api/public-notices?pageSize=2&continuationToken=" + Uri.EscapeDataString(token))).AssertOkAsync();
        Assert.Equal(ids.Order(), page.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetString()!).Order());
        await (await app.CreateClient().GetAsync("/api/public-notices?pageSize=0")).AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task With_the_notice_off_the_approval_takes_effect_at_once_and_nothing_is_listed()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();

        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();

        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.False(approved.TryGetProperty("publicNotice", out _));
        Assert.Equal("张四", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        Assert.Empty(await PublicListAsync(app));
    }

    [Fact]
    public async Task A_bad_objection_is_refused_with_every_problem_and_an_unknown_notice_is_404()
    {
        using var app = App("2027-03-05 10:00");
        var (s, id, _) = await UnderNoticeAsync(app);
        var before = (await s.ApplicationAsync(id)).GetProperty("version").GetInt32();

        var bad = await (await ObjectAsync(app, id, "有问题", "1234567")).AssertProblemAsync(400, "validation_failed");
        Assert.Contains("至少5个字", bad.GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Contains("手机号码", bad.GetProperty("errors").GetProperty("contactPhone")[0].GetString());
        await (await ObjectAsync(app, id, new string('查', 501))).AssertProblemAsync(400, "validation_failed");
        await (await app.CreateClient().PostAsJsonAsync($"/api/public-notices/{id}/objections", new { reason = ObjectionReason, contactPhone = ObjectorPhone, name = "张某" }))
            .AssertProblemAsync(400, "validation_failed");
        Assert.Equal(before, (await s.ApplicationAsync(id)).GetProperty("version").GetInt32()); // nothing was written

        await (await ObjectAsync(app, "SQ20270305999999")).AssertProblemAsync(404, "public_notice_not_found");
        await (await ObjectAsync(app, "not-an-application")).AssertProblemAsync(404, "public_notice_not_found");
        var other = await Scenario.CreateAsync(app);
        var atCity = await other.SubmittedAsync();
        await (await ObjectAsync(app, atCity)).AssertProblemAsync(404, "public_notice_not_found");

        // The same objection again is answered with its first receipt, not recorded twice.
        var first = await (await ObjectAsync(app, id)).AssertOkAsync(201);
        var again = await (await ObjectAsync(app, id)).AssertOkAsync(200);
        Assert.Equal(first.GetProperty("objectionId").GetString(), again.GetProperty("objectionId").GetString());
        Assert.Single((await s.ApplicationAsync(id)).GetProperty("publicNotice").GetProperty("objections").EnumerateArray());
    }

    [Fact]
    public async Task Objections_are_rate_limited_per_client()
    {
        using var app = App("2027-03-05 10:00", new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true", ["RateLimits:Objections:PermitLimit"] = "2", ["RateLimits:Objections:Window"] = "01:00:00",
            ["RateLimits:Sms:PermitLimit"] = "100", ["RateLimits:Create:PermitLimit"] = "100", ["RateLimits:Submit:PermitLimit"] = "100",
        });
        var (s, id, _) = await UnderNoticeAsync(app);

        await (await ObjectAsync(app, id, ObjectionReason + "（一）")).AssertOkAsync(201);
        await (await ObjectAsync(app, id, ObjectionReason + "（二）")).AssertOkAsync(201);
        var limited = await ObjectAsync(app, id, ObjectionReason + "（三）");
        await limited.AssertProblemAsync(429, "rate_limited");
        Assert.Equal(2, (await s.ApplicationAsync(id)).GetProperty("publicNotice").GetProperty("objections").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_province_decides_an_objection_and_the_objectors_phone_is_masked_for_other_staff()
    {
        using var app = App("2027-03-05 10:00");
        var (s, id, _) = await UnderNoticeAsync(app);
        await (await ObjectAsync(app, id)).AssertOkAsync(201);

        await (await s.CityReviewer.PostAsJsonAsync($"/api/applications/{id}/objections/YY01/decision", new { decision = "dismiss", note = "不成立" }))
            .AssertProblemAsync(403, "not_objection_reviewer");
        await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/objections/YY01/decision", new { decision = "dismiss", note = "不成立" }))
            .AssertProblemAsync(403, "not_objection_reviewer");
        await (await DecideAsync(s, id, "YY07", "dismiss")).AssertProblemAsync(404, "objection_not_found");
        await (await s.ProvinceReviewer.PostAsJsonAsync($"/api/applications/{id}/objections/YY01/decision", new { note = "不成立" }))
            .AssertProblemAsync(400, "validation_failed");
        await (await DecideAsync(s, id, "YY01", "dismiss", " ")).AssertProblemAsync(400, "validation_failed");

        var admin = (await s.ApplicationAsync(id, await app.AdminAsync())).GetProperty("publicNotice").GetProperty("objections")[0];
        Assert.Equal("137****1111", admin.GetProperty("contactPhone").GetString());
        Assert.Equal(ObjectionReason, admin.GetProperty("reason").GetString());
        var city = (await s.ApplicationAsync(id, s.CityReviewer)).GetProperty("publicNotice").GetProperty("objections")[0];
        Assert.Equal("137****1111", city.GetProperty("contactPhone").GetString());
    }

    [Fact]
    public async Task The_province_hears_of_an_objection_by_signed_webhook_without_personal_data()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = new RegistryFactory(now: Beijing("2027-03-05 10:00"), settings: new Dictionary<string, string?> { ["Registry:PublicNoticeDays"] = "2" },
            services: x => x.PostConfigure<Deadlines.DeadlineOptions>(o =>
                o.Webhooks.Province = new Deadlines.WebhookTarget { Url = receiver.BaseUrl + "/province", Secret = WebhookReceiver.Secret }));
        var (s, id, _) = await UnderNoticeAsync(app);

        await (await ObjectAsync(app, id)).AssertOkAsync(201);

        var notice = Assert.Single(receiver.For(id));
        Assert.True(notice.SignatureValid);
        Assert.Equal("/province", notice.Path);
        Assert.Equal("notice.objection", notice.Event);
        Assert.Equal("2027-03-10T00:00:00+08:00", notice.Json.GetProperty("dueAt").GetString());
        Assert.Contains("收到异议", notice.Json.GetProperty("text").GetString());
        Assert.DoesNotContain(ObjectorPhone, notice.Body);
        Assert.DoesNotContain(ObjectionReason, notice.Body);
        Assert.DoesNotContain(s.HolderId, notice.Body);
    }

    [Fact]
    public async Task The_objectors_phone_and_the_holders_data_are_never_logged()
    {
        var logs = new PersonalDataLogTests.CapturingLoggerProvider();
        using var app = new RegistryFactory(now: Beijing("2027-03-05 10:00"), settings: new Dictionary<string, string?> { ["Registry:PublicNoticeDays"] = "2" },
            services: x => x.AddLogging(b =>
            {
                b.AddProvider(logs);
                b.AddFilter<PersonalDataLogTests.CapturingLoggerProvider>(null, LogLevel.Trace);
            }));
        var (s, id, _) = await UnderNoticeAsync(app);
        await (await ObjectAsync(app, id)).AssertOkAsync(201);
        await (await ObjectAsync(app, id, "有问题", "+86" + ObjectorPhone[..10])).AssertProblemAsync(400, "validation_failed");
        await (await DecideAsync(s, id, "YY01", "uphold", "经核查异议成立")).AssertOkAsync();
        await PublicListAsync(app);

        var records = logs.Records.ToList();
        Assert.Contains(records, r => r.Contains(id));
        Assert.DoesNotContain(records, r => r.Contains(ObjectorPhone) || r.Contains("+86" + ObjectorPhone[..10]) || r.Contains(s.HolderId) || r.Contains("张三") || r.Contains(TestData.Phone));
    }
}
