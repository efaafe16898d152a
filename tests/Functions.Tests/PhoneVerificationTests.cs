using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Phones;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Functions.Tests;

/// <summary>Reads a code back as the holder of the phone would: from the SMS (the local gateway's record).</summary>
public static partial class PhoneCodes
{
    [GeneratedRegex(@"验证码为(\d{6})")]
    private static partial Regex Code();

    /// <summary>The code an SMS carries.</summary>
    public static string CodeIn(string text) => Code().Match(text) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no code in: {text}");

    /// <summary>Asks for a code to <paramref name="phone"/> and returns the verification id and the code texted.</summary>
    public static async Task<(string Id, string Code)> SendAsync(RegistryFactory app, HttpClient caller, string phone)
    {
        var before = (await app.SmsToAsync(phone)).Select(m => m.Text).ToList();
        var sent = await (await caller.PostAsJsonAsync("/api/phone-verifications", new { phone })).AssertOkAsync(201);
        var id = sent.GetProperty("verificationId").GetString()!;
        // The new message: the fake clock may give several the same time, so not "the last one".
        var texts = (await app.SmsToAsync(phone)).Select(m => m.Text).ToList();
        foreach (var old in before) texts.Remove(old);
        return (id, CodeIn(Assert.Single(texts)));
    }

    /// <summary>Asks for a code and confirms it: the phone is verified for the caller.</summary>
    public static async Task<JsonElement> VerifyAsync(RegistryFactory app, HttpClient caller, string phone)
    {
        var (id, code) = await SendAsync(app, caller, phone);
        return await (await caller.PostAsJsonAsync($"/api/phone-verifications/{id}/confirm", new { code })).AssertOkAsync();
    }

    /// <summary>A code that is not <paramref name="code"/>.</summary>
    public static string Other(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("D6");
}

/// <summary>
/// Seed 003 "输入手机验证码,提交成功": a code texted to the phone, confirmed within 5 minutes in at
/// most 5 tries, kept only as a keyed hash, rationed per phone and per caller; a verified phone for
/// 30 minutes is what submission (and a change of the notification phone) needs when
/// <c>Registry:RequirePhoneVerification</c> is on.
/// </summary>
public sealed class PhoneVerificationTests
{
    private const string Phone = "13912340001";

    private static RegistryFactory Required(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Registry:RequirePhoneVerification"] = "true" };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return new RegistryFactory(settings: settings);
    }

    private static Task<HttpResponseMessage> ConfirmAsync(HttpClient caller, string id, string code) =>
        caller.PostAsJsonAsync($"/api/phone-verifications/{id}/confirm", new { code });

    [Fact]
    public async Task A_six_digit_code_is_texted_shown_by_the_development_sms_viewer_and_verifies_the_phone_for_thirty_minutes()
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var sent = await (await holder.PostAsJsonAsync("/api/phone-verifications", new { phone = "+86" + Phone })).AssertOkAsync(201);
        var now = app.Clock.GetUtcNow();
        Assert.Equal(now.AddMinutes(5), sent.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("139****0001", sent.GetProperty("phone").GetString());
        Assert.Equal(5, sent.GetProperty("triesLeft").GetInt32());
        Assert.False(sent.GetProperty("verified").GetBoolean());

        var viewer = await (await holder.GetAsync($"/api/dev/sms?phone={Phone}")).AssertOkAsync();
        var text = Assert.Single(viewer.EnumerateArray()).GetProperty("text").GetString()!;
        Assert.Matches(@"^【甘肃住建】您的验证码为\d{6}，5分钟内有效", text);

        var confirmed = await (await ConfirmAsync(holder, sent.GetProperty("verificationId").GetString()!, PhoneCodes.CodeIn(text))).AssertOkAsync();
        Assert.True(confirmed.GetProperty("verified").GetBoolean());
        Assert.Equal(now.AddMinutes(30), confirmed.GetProperty("validUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_code_is_kept_only_as_a_keyed_hash_and_the_phone_only_masked()
    {
        using var app = new RegistryFactory();
        var holderId = TestData.IdNumber();
        var holder = await app.ApplicantAsync(holderId);
        var (id, code) = await PhoneCodes.SendAsync(app, holder, Phone);
        await (await ConfirmAsync(holder, id, PhoneCodes.Other(code))).AssertProblemAsync(422, "phone_verification_code_wrong");
        await (await ConfirmAsync(holder, id, code)).AssertOkAsync();

        var table = app.Services.GetRequiredService<StorageAccount>().PhoneVerifications;
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>()) rows.Add(row);
        var verification = Assert.Single(rows, r => r.RowKey == "v|" + id);
        Assert.Equal("139****0001", verification.GetString("Phone"));
        Assert.NotEqual(code, verification.GetString("CodeHash"));
        Assert.Equal(32, verification.GetString("CodeHash").Length);
        var everything = JsonSerializer.Serialize(rows.Select(r => r.ToDictionary(p => p.Key, p => p.Value?.ToString())));
        Assert.DoesNotContain(code, everything);
        Assert.DoesNotContain(Phone, everything);
        Assert.DoesNotContain(holderId, everything);
    }

    [Fact]
    public async Task A_code_expires_after_five_minutes_by_the_app_s_clock()
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var (first, firstCode) = await PhoneCodes.SendAsync(app, holder, Phone);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var expired = await (await ConfirmAsync(holder, first, firstCode)).AssertProblemAsync(410, "phone_verification_expired");
        Assert.Contains("5分钟", expired.GetProperty("detail").GetString());

        var (second, secondCode) = await PhoneCodes.SendAsync(app, holder, Phone);
        app.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await (await ConfirmAsync(holder, second, secondCode)).AssertOkAsync();
    }

    [Fact]
    public async Task Five_wrong_codes_kill_the_verification_and_then_the_right_one_is_refused_too()
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var (id, code) = await PhoneCodes.SendAsync(app, holder, Phone);
        var wrong = PhoneCodes.Other(code);
        for (var left = 4; left >= 1; left--)
        {
            var refused = await (await ConfirmAsync(holder, id, wrong)).AssertProblemAsync(422, "phone_verification_code_wrong");
            Assert.Equal(left, refused.GetProperty("triesLeft").GetInt32());
            Assert.Contains($"还可尝试{left}次", refused.GetProperty("detail").GetString());
        }
        await (await ConfirmAsync(holder, id, wrong)).AssertProblemAsync(410, "phone_verification_exhausted");
        await (await ConfirmAsync(holder, id, code)).AssertProblemAsync(410, "phone_verification_exhausted");
    }

    [Fact]
    public async Task Wrong_codes_sent_at_once_are_counted_one_by_one()
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var (id, code) = await PhoneCodes.SendAsync(app, holder, Phone);
        var wrong = PhoneCodes.Other(code);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ConfirmAsync(holder, id, wrong)));
        Assert.Equal(4, answers.Count(a => (int)a.StatusCode == 422));
        Assert.Equal(4, answers.Count(a => (int)a.StatusCode == 410));
        await (await ConfirmAsync(holder, id, code)).AssertProblemAsync(410, "phone_verification_exhausted");
    }

    [Fact]
    public async Task A_verification_is_its_caller_s_alone()
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var (id, code) = await PhoneCodes.SendAsync(app, holder, Phone);
        var other = await app.ApplicantAsync(TestData.IdNumber());
        await (await ConfirmAsync(other, id, code)).AssertProblemAsync(404, "phone_verification_not_found");
        await (await ConfirmAsync(await app.CityReviewerAsync(), id, code)).AssertProblemAsync(403, "phone_verification_not_for_role");
        await (await ConfirmAsync(holder, id, code)).AssertOkAsync();
        await (await ConfirmAsync(holder, id, code)).AssertOkAsync(); // a retry
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1391234000")]
    [InlineData("")]
    public async Task Only_a_mainland_mobile_number_gets_a_code(string phone)
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var refused = await (await holder.PostAsJsonAsync("/api/phone-verifications", new { phone })).AssertProblemAsync(400, "validation_failed");
        Assert.True(refused.GetProperty("errors").TryGetProperty("phone", out _));
    }

    private static readonly Dictionary<string, string?> Limited = new()
    {
        ["RateLimits:Enabled"] = "true",
        ["RateLimits:PhoneVerificationPerCaller:PermitLimit"] = "3",
        ["RateLimits:PhoneVerificationPerPhoneDaily:PermitLimit"] = "2",
    };

    [Fact]
    public async Task One_code_a_minute_to_a_phone_and_a_few_a_day_whoever_asks()
    {
        using var app = new RegistryFactory(settings: Limited);
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        await PhoneCodes.SendAsync(app, holder, Phone);
        app.Clock.Advance(TimeSpan.FromSeconds(15));
        var other = await app.EnterpriseAsync(TestData.CreditCode());
        var response = await other.PostAsJsonAsync("/api/phone-verifications", new { phone = Phone });
        var refused = await response.AssertProblemAsync(429, "rate_limited");
        Assert.Equal("45", response.Headers.RetryAfter?.ToString());
        Assert.Equal("向该手机号发送验证码过于频繁，请45秒后再试", refused.GetProperty("detail").GetString());
        Assert.Single(await app.SmsToAsync(Phone));

        app.Clock.Advance(TimeSpan.FromSeconds(45));
        await PhoneCodes.SendAsync(app, other, Phone);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        response = await holder.PostAsJsonAsync("/api/phone-verifications", new { phone = Phone });
        await response.AssertProblemAsync(429, "rate_limited");
        Assert.Equal(((int)TimeSpan.FromHours(24).Subtract(TimeSpan.FromMinutes(11)).TotalSeconds).ToString(), response.Headers.RetryAfter?.ToString());
        Assert.Equal(2, (await app.SmsToAsync(Phone)).Count);
    }

    [Fact]
    public async Task A_caller_gets_a_few_codes_an_hour_whatever_the_phones()
    {
        using var app = new RegistryFactory(settings: Limited);
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        for (var i = 0; i < 3; i++) await PhoneCodes.SendAsync(app, holder, $"1391234100{i}");
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        var response = await holder.PostAsJsonAsync("/api/phone-verifications", new { phone = "13912341009" });
        var refused = await response.AssertProblemAsync(429, "rate_limited");
        Assert.Equal("2400", response.Headers.RetryAfter?.ToString());
        Assert.Equal("获取验证码过于频繁，请40分钟后再试", refused.GetProperty("detail").GetString());
        Assert.Empty(await app.SmsToAsync("13912341009"));
        // Another caller's budget is its own.
        await PhoneCodes.SendAsync(app, await app.ApplicantAsync(TestData.IdNumber()), "13912341009");
    }

    [Fact]
    public void Verification_is_required_outside_development_unless_switched_off()
    {
        using (var production = new RegistryFactory(environment: "Production", settings: AuthenticationTests.ProductionSettings()))
            Assert.True(production.Services.GetRequiredService<PhoneVerifications>().Required);
        using (var off = new RegistryFactory(environment: "Production",
                   settings: AuthenticationTests.ProductionSettings(new() { ["Registry:RequirePhoneVerification"] = "false" })))
            Assert.False(off.Services.GetRequiredService<PhoneVerifications>().Required);
        using var development = new RegistryFactory();
        Assert.False(development.Services.GetRequiredService<PhoneVerifications>().Required);
    }

    [Fact]
    public async Task With_verification_required_a_submission_needs_the_notification_phone_verified_by_the_submitter_within_thirty_minutes()
    {
        using var app = Required();
        var s = await Scenario.CreateAsync(app);
        var id = await s.CreateDraftAsync();
        var refused = await (await s.Applicant.SubmitAsync(id)).AssertProblemAsync(422, "phone_not_verified");
        Assert.Contains("139****5678", refused.GetProperty("detail").GetString());
        var draft = await s.ApplicationAsync(id);
        Assert.Equal(("draft", 0), (draft.GetProperty("status").GetString(), draft.GetProperty("round").GetInt32()));

        // A verification of another phone, or one by someone else, is no verification of this one.
        await PhoneCodes.VerifyAsync(app, s.Applicant, "13912340002");
        await PhoneCodes.VerifyAsync(app, await app.EnterpriseAsync(s.EmployerCode), TestData.Phone);
        await (await s.Applicant.SubmitAsync(id)).AssertProblemAsync(422, "phone_not_verified");

        await PhoneCodes.VerifyAsync(app, s.Applicant, TestData.Phone);
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await (await s.Applicant.SubmitAsync(id)).AssertProblemAsync(422, "phone_not_verified");
        Assert.Equal(draft.GetProperty("version").GetInt32(), (await s.ApplicationAsync(id)).GetProperty("version").GetInt32());

        await PhoneCodes.VerifyAsync(app, s.Applicant, TestData.Phone);
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        var submitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        Assert.Equal("pendingCityReview", submitted.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_enterprise_verifies_the_phone_on_its_application_and_a_resubmission_needs_it_verified_again()
    {
        using var app = Required();
        var s = await Scenario.CreateAsync(app);
        var enterprise = await app.EnterpriseAsync(s.EmployerCode);
        const string contact = "13993700009";
        var body = new { kind = "cancellation", certificateNumber = s.CertificateNumber, notificationPhone = contact, reason = "单位已解除劳动关系" };
        var id = (await (await enterprise.PostAsJsonAsync("/api/applications", body)).AssertOkAsync(201)).GetProperty("id").GetString()!;
        await s.AttachRequiredDocumentsAsync(id, enterprise);
        await (await enterprise.SubmitAsync(id, ApplicationKind.Cancellation)).AssertProblemAsync(422, "phone_not_verified");
        await PhoneCodes.VerifyAsync(app, enterprise, contact);
        await (await enterprise.SubmitAsync(id, ApplicationKind.Cancellation)).AssertOkAsync();
        await (await s.ConfirmAsync(id, true, s.Applicant)).AssertOkAsync();
        await (await s.CityAsync(id, "return", "注销原因需补充说明")).AssertOkAsync();

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await (await enterprise.SubmitAsync(id, ApplicationKind.Cancellation)).AssertProblemAsync(422, "phone_not_verified");
        await PhoneCodes.VerifyAsync(app, enterprise, contact);
        var resubmitted = await (await enterprise.SubmitAsync(id, ApplicationKind.Cancellation)).AssertOkAsync();
        Assert.Equal(2, resubmitted.GetProperty("round").GetInt32());
    }

    [Fact]
    public async Task With_verification_off_a_submission_needs_no_code()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Registry:RequirePhoneVerification"] = "false" });
        var s = await Scenario.CreateAsync(app);
        var id = await s.CreateDraftAsync();
        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        Assert.Empty(await app.SmsToAsync(TestData.Phone));
    }

    [Fact]
    public async Task The_filer_changes_the_phone_while_under_review_after_verifying_it_and_the_next_sms_goes_there()
    {
        using var app = Required();
        var s = await Scenario.CreateAsync(app);
        await PhoneCodes.VerifyAsync(app, s.Applicant, TestData.Phone);
        var id = await s.SubmittedAsync();
        const string newPhone = "13912340003";

        await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}/notification-phone", new { phone = newPhone }))
            .AssertProblemAsync(422, "phone_not_verified");
        await PhoneCodes.VerifyAsync(app, s.Applicant, newPhone);
        var changed = await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}/notification-phone", new { phone = newPhone })).AssertOkAsync();
        Assert.Equal(("pendingCityReview", newPhone), (changed.GetProperty("status").GetString(), changed.GetProperty("notificationPhone").GetString()));
        var entry = changed.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("changeNotificationPhone", entry.GetProperty("action").GetString());
        Assert.Equal("更换接收短信的手机号为139****0003", entry.GetProperty("actionText").GetString());
        Assert.DoesNotContain(newPhone, entry.ToString());
        // The employer sees it masked; the city reviewer handles it and sees the number.
        Assert.Equal("139****0003", (await s.ApplicationAsync(id, await app.EnterpriseAsync(s.EmployerCode))).GetProperty("notificationPhone").GetString());

        await (await s.CityAsync(id, "return", "身份证复印件不清晰")).AssertOkAsync();
        Assert.Contains(await app.SmsToAsync(newPhone), m => m.ApplicationId == id && m.Text.Contains("被市州退回"));
        Assert.DoesNotContain(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
    }

    [Fact]
    public async Task Codes_phones_and_the_holder_stay_out_of_the_logs()
    {
        var logs = new PersonalDataLogTests.CapturingLoggerProvider();
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Registry:RequirePhoneVerification"] = "true" },
            services: s => s.AddLogging(b =>
            {
                b.AddProvider(logs);
                b.AddFilter<PersonalDataLogTests.CapturingLoggerProvider>(null, LogLevel.Trace);
            }));
        var s = await Scenario.CreateAsync(app);
        var (id, code) = await PhoneCodes.SendAsync(app, s.Applicant, TestData.Phone);
        await (await ConfirmAsync(s.Applicant, id, PhoneCodes.Other(code))).AssertProblemAsync(422, "phone_verification_code_wrong");
        await (await ConfirmAsync(s.Applicant, id, code)).AssertOkAsync();
        var application = await s.SubmittedAsync();
        const string newPhone = "13912340005";
        var (_, newCode) = await PhoneCodes.SendAsync(app, s.Applicant, newPhone);
        await (await s.Applicant.PutAsJsonAsync($"/api/applications/{application}/notification-phone", new { phone = newPhone }))
            .AssertProblemAsync(422, "phone_not_verified");

        Assert.Contains(logs.Records, r => r.Contains(id) && r.Contains("139****5678"));
        foreach (var secret in new[] { TestData.Phone, newPhone, s.HolderId })
            Assert.DoesNotContain(logs.Records, r => r.Contains(secret));
        // A code is six digits: looked for on its own, not inside the longer numbers of timestamps and ids.
        foreach (var secret in new[] { code, newCode })
            Assert.DoesNotContain(logs.Records, r => Regex.IsMatch(r, $@"(?<!\d){secret}(?!\d)"));
    }

    [Fact]
    public async Task Only_the_filer_changes_the_phone_and_not_once_the_application_is_closed()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var employer = await app.EnterpriseAsync(s.EmployerCode);
        await (await employer.PutAsJsonAsync($"/api/applications/{id}/notification-phone", new { phone = "13912340004" })).AssertProblemAsync(403, "not_applicant");
        await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}/notification-phone", new { phone = "1234" })).AssertProblemAsync(400, "validation_failed");
        var same = await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}/notification-phone", new { phone = TestData.Phone })).AssertOkAsync();

        await (await s.Applicant.PostAsync($"/api/applications/{id}/withdraw", null)).AssertOkAsync();
        var refused = await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}/notification-phone", new { phone = "13912340004" }))
            .AssertProblemAsync(409, "application_closed");
        Assert.Contains("已撤回", refused.GetProperty("detail").GetString());
        var closed = await s.ApplicationAsync(id);
        Assert.Equal(TestData.Phone, closed.GetProperty("notificationPhone").GetString());
        Assert.Equal(same.GetProperty("version").GetInt32() + 1, closed.GetProperty("version").GetInt32()); // the withdrawal only
    }
}
