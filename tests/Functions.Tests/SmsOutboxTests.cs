using System.Text.Json;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>Each SMS as the application shows it: retried with back-off, parked when it keeps failing, resent by an admin.</summary>
public sealed class SmsOutboxTests
{
    public static JsonElement OnlySms(JsonElement application) => Assert.Single(application.GetProperty("sms").EnumerateArray());

    public static DateTimeOffset? At(JsonElement sms, string property) =>
        sms.TryGetProperty(property, out var v) ? v.GetDateTimeOffset() : null;

    public static async Task<IReadOnlyList<string>> PoisonedAsync(RegistryFactory app) =>
        (await app.Services.GetRequiredService<StorageAccount>().PoisonQueue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();

    [Fact]
    public async Task A_failing_gateway_is_retried_with_back_off_then_the_sms_is_parked_shown_failed_and_poisoned()
    {
        var gateway = new CountingGateway { Down = new SmsSendResult.Failed("网关不可用 (HTTP 503)") };
        using var app = new RegistryFactory(services: gateway.Register,
            settings: new Dictionary<string, string?> { ["Outbox:RetryDelay"] = "00:01:00", ["Outbox:SmsMaxAttempts"] = "3" });
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();

        var first = OnlySms(await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync());
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal("待发送", first.GetProperty("statusText").GetString());
        Assert.Equal("cityReturned", first.GetProperty("template").GetString());
        Assert.Equal(1, first.GetProperty("attempts").GetInt32());
        Assert.Equal("网关不可用 (HTTP 503)", first.GetProperty("lastError").GetString());
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(1), At(first, "nextAttemptAt"));

        await dispatcher.DispatchAsync(id); // not due yet: nothing is sent
        Assert.Single(gateway.Calls);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.DispatchAsync(id);
        var second = OnlySms(await s.ApplicationAsync(id));
        Assert.Equal(2, second.GetProperty("attempts").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(2), At(second, "nextAttemptAt")); // the back-off doubled

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await dispatcher.DispatchAsync(id);
        var parked = OnlySms(await s.ApplicationAsync(id));
        Assert.Equal("failed", parked.GetProperty("status").GetString());
        Assert.Equal("发送失败", parked.GetProperty("statusText").GetString());
        Assert.Equal(3, parked.GetProperty("attempts").GetInt32());
        Assert.Null(At(parked, "nextAttemptAt"));
        Assert.Contains(id, await PoisonedAsync(app));

        app.Clock.Advance(TimeSpan.FromHours(1));
        await dispatcher.DispatchAsync(id);
        Assert.Equal(3, gateway.Calls.Count);
        Assert.Single(gateway.Calls.Select(c => c.MessageId).Distinct());
    }

    [Fact]
    public async Task An_admin_resends_a_parked_sms_as_a_new_message_and_it_is_sent_once()
    {
        var gateway = new CountingGateway();
        gateway.Then(new SmsSendResult.Failed("号码为空号", Permanent: true));
        using var app = new RegistryFactory(services: gateway.Register);
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var parked = OnlySms(await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync());
        Assert.Equal("failed", parked.GetProperty("status").GetString()); // a permanent refusal is not retried
        var messageId = parked.GetProperty("messageId").GetString()!;
        var resend = $"/api/admin/applications/{id}/sms/{messageId}/resend";
        var admin = await app.AdminAsync();

        await (await s.Applicant.PostAsync(resend, null)).AssertProblemAsync(403, "admin_only");
        await (await admin.PostAsync($"/api/admin/applications/{id}/sms/{id}-o99999-0/resend", null)).AssertProblemAsync(404, "sms_not_found");
        var resent = OnlySms(await (await admin.PostAsync(resend, null)).AssertOkAsync());

        Assert.Equal("sent", resent.GetProperty("status").GetString());
        Assert.Equal(1, resent.GetProperty("resends").GetInt32());
        Assert.Equal(1, resent.GetProperty("attempts").GetInt32());
        Assert.Equal("139****5678", resent.GetProperty("to").GetString()); // an admin sees the number masked
        Assert.Equal([messageId, messageId + "-r1"], gateway.Calls.Select(c => c.MessageId));
        await (await admin.PostAsync(resend, null)).AssertProblemAsync(409, "sms_not_failed");
        await app.SweepAsync();
        Assert.Equal(2, gateway.Calls.Count);
    }

    [Fact]
    public async Task Through_ACS_each_result_is_sent_once_a_long_Retry_After_is_honoured_and_a_refused_number_is_parked()
    {
        await using var acs = await FakeAcsServer.StartAsync();
        using var app = new RegistryFactory(settings: new Dictionary<string, string?>
        {
            ["Sms:Gateway"] = "Acs", ["Sms:Acs:ConnectionString"] = acs.ConnectionString, ["Sms:Acs:From"] = "+18005550100",
            ["Sms:Acs:RetryDelay"] = "00:00:00.005",
        });
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();

        var s = await Scenario.CreateAsync(app);
        var accepted = await s.SubmittedAsync();
        var sent = OnlySms(await (await s.CityAsync(accepted, "return", "照片不清晰")).AssertOkAsync());
        var delivered = Assert.Single(acs.Delivered);
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(delivered.MessageId, sent.GetProperty("gatewayMessageId").GetString());
        Assert.Equal("+8613912345678", delivered.To);
        Assert.Equal($"【甘肃住建】您的证书变更申请（{accepted}）被市州退回，原因：照片不清晰。请修改后重新提交。", delivered.Message);
        await dispatcher.DispatchAsync(accepted); // a stray dispatch
        await app.SweepAsync();
        Assert.Single(acs.Delivered);

        acs.Then(new AcsAnswer.Throttle(120));
        var t = await Scenario.CreateAsync(app);
        var throttled = await t.SubmittedAsync();
        var waiting = OnlySms(await (await t.CityAsync(throttled, "return", "照片不清晰")).AssertOkAsync());
        Assert.Equal("pending", waiting.GetProperty("status").GetString());
        Assert.Contains("429", waiting.GetProperty("lastError").GetString());
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(120), At(waiting, "nextAttemptAt"));
        app.Clock.Advance(TimeSpan.FromSeconds(120));
        await dispatcher.DispatchAsync(throttled);
        Assert.Equal("sent", OnlySms(await t.ApplicationAsync(throttled)).GetProperty("status").GetString());

        acs.Then(new AcsAnswer.RecipientFailure(400, "Invalid To phone number format."));
        var r = await Scenario.CreateAsync(app);
        var refused = await r.SubmittedAsync();
        var parked = OnlySms(await (await r.CityAsync(refused, "return", "照片不清晰")).AssertOkAsync());
        Assert.Equal("failed", parked.GetProperty("status").GetString());
        Assert.Equal(1, parked.GetProperty("attempts").GetInt32());
        Assert.Contains("Invalid To phone number format.", parked.GetProperty("lastError").GetString());

        Assert.Equal(2, acs.Delivered.Count);
        Assert.All(acs.Requests, q => Assert.True(q.SignatureValid));
    }

    [Fact]
    public async Task Through_Aliyun_an_sms_whose_first_attempt_had_no_answer_is_not_sent_twice()
    {
        await using var aliyun = await FakeAliyunServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Sms:Gateway"] = "Aliyun", ["Sms:Aliyun:Endpoint"] = aliyun.Url.ToString(), ["Sms:Aliyun:AccessKeyId"] = aliyun.AccessKeyId,
            ["Sms:Aliyun:AccessKeySecret"] = aliyun.AccessKeySecret, ["Sms:Aliyun:SignName"] = "甘肃住建",
        };
        foreach (var (template, code) in AliyunSmsGatewayTests.TemplateCodes()) settings[$"Sms:Aliyun:TemplateCodes:{template}"] = code;
        using var app = new RegistryFactory(settings: settings);

        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var sent = OnlySms(await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync());
        var call = Assert.Single(aliyun.Sent);
        Assert.Equal(sent.GetProperty("messageId").GetString(), call.OutId);
        Assert.Equal(call.BizId, sent.GetProperty("gatewayMessageId").GetString());
        Assert.Equal(AliyunSmsGatewayTests.TemplateCodes()[SmsTemplate.CityReturned], call.TemplateCode);
        Assert.Equal("照片不清晰", JsonSerializer.Deserialize<Dictionary<string, string>>(call.TemplateParam)!["reason"]);

        aliyun.Then(new AliyunAnswer.AcceptThenFail());
        var t = await Scenario.CreateAsync(app);
        var open = await t.SubmittedAsync();
        var unknown = OnlySms(await (await t.CityAsync(open, "return", "材料不全")).AssertOkAsync());
        Assert.Equal("pending", unknown.GetProperty("status").GetString());
        await app.SweepAsync();

        Assert.Equal("sent", OnlySms(await t.ApplicationAsync(open)).GetProperty("status").GetString());
        Assert.Single(aliyun.Sent, m => m.OutId.StartsWith(open, StringComparison.Ordinal));
        Assert.Equal(2, aliyun.Sent.Count);
        Assert.All(aliyun.Calls, c => Assert.True(c.SignatureValid));
    }

    [Fact]
    public async Task Any_viewer_of_the_application_sees_its_sms_with_the_number_masked_unless_they_may_see_it()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();
        var enterprise = await app.EnterpriseAsync(s.EmployerCode);

        Assert.Equal(TestData.Phone, OnlySms(await s.ApplicationAsync(id)).GetProperty("to").GetString());
        Assert.Equal("139****5678", OnlySms(await s.ApplicationAsync(id, enterprise)).GetProperty("to").GetString());
    }
}
