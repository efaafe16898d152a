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
    public async Task The_admin_lists_failed_sms_across_applications_latest_first_and_a_resend_takes_one_off_the_list()
    {
        var gateway = new CountingGateway { Down = new SmsSendResult.Failed("号码为空号", Permanent: true) };
        using var app = new RegistryFactory(services: gateway.Register);
        var admin = await app.AdminAsync();
        var first = await Scenario.CreateAsync(app);
        var firstId = await first.SubmittedAsync();
        var second = await Scenario.CreateAsync(app);
        var secondId = await second.SubmittedAsync();
        await (await first.CityAsync(firstId, "return", "照片不清晰")).AssertOkAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var secondSms = OnlySms(await (await second.CityAsync(secondId, "return", "缺少劳动合同")).AssertOkAsync());
        Assert.Equal("failed", secondSms.GetProperty("status").GetString());

        await (await first.Applicant.GetAsync("/api/admin/sms/failures")).AssertProblemAsync(403, "admin_only");
        await (await admin.GetAsync("/api/admin/sms/failures?pageSize=0")).AssertProblemAsync(400, "validation_failed");
        var listed = await (await admin.GetAsync("/api/admin/sms/failures")).AssertOkAsync();
        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([secondId, firstId], items.Select(i => i.GetProperty("applicationId").GetString())); // the latest failure first
        Assert.Equal(secondSms.GetProperty("messageId").GetString(), items[0].GetProperty("messageId").GetString());
        Assert.Equal("cityReturned", items[0].GetProperty("template").GetString());
        Assert.Equal("号码为空号", items[0].GetProperty("lastError").GetString());
        Assert.Equal("139****5678", items[0].GetProperty("to").GetString()); // masked
        Assert.DoesNotContain(TestData.Phone, listed.GetRawText());
        Assert.Equal(app.Clock.GetUtcNow(), items[0].GetProperty("failedAt").GetDateTimeOffset());

        // A page at a time.
        var page = await (await admin.GetAsync("/api/admin/sms/failures?pageSize=1")).AssertOkAsync();
        Assert.Equal(secondId, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("applicationId").GetString());
        var token = Uri.EscapeDataString(page.GetProperty("continuationToken").GetString()!);
        var next = await (await admin.GetAsync($"/api/admin/sms/failures?pageSize=1&continuationToken={token}")).AssertOkAsync();
        Assert.Equal(firstId, Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("applicationId").GetString());

        // Resent and delivered: off the list; the other one stays.
        gateway.Down = null;
        var resent = OnlySms(await (await admin.PostAsync($"/api/admin/applications/{secondId}/sms/{items[0].GetProperty("messageId").GetString()}/resend", null)).AssertOkAsync());
        Assert.Equal("sent", resent.GetProperty("status").GetString());
        var after = await (await admin.GetAsync("/api/admin/sms/failures")).AssertOkAsync();
        Assert.Equal([firstId], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("applicationId").GetString()));
    }

    [Fact]
    public async Task A_failure_parked_before_the_list_existed_is_listed_by_the_index_rebuild_and_can_still_be_resent()
    {
        var gateway = new CountingGateway { Down = new SmsSendResult.Failed("网关不可用 (HTTP 503)") };
        using var app = new RegistryFactory(services: gateway.Register, settings: new Dictionary<string, string?> { ["Outbox:SmsMaxAttempts"] = "1" });
        var admin = await app.AdminAsync();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var parked = OnlySms(await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync());
        Assert.Equal("failed", parked.GetProperty("status").GetString());
        // As an earlier version left it: the status row parked, no row in the list.
        var table = app.Services.GetRequiredService<StorageAccount>().Applications;
        var listRows = table.Query<Azure.Data.Tables.TableEntity>(RegistryRows.PrefixFilter("l|sms-failed|")).ToList();
        Assert.Single(listRows);
        await table.DeleteEntityAsync(RegistryRows.Partition, listRows[0].RowKey);
        Assert.Empty((await (await admin.GetAsync("/api/admin/sms/failures")).AssertOkAsync()).GetProperty("items").EnumerateArray());

        var rebuilt = await (await admin.PostAsync("/api/admin/indexes/rebuild", null)).AssertOkAsync();
        Assert.Equal(1, rebuilt.GetProperty("failedSms").GetInt32());
        Assert.Equal(0, rebuilt.GetProperty("failedSmsUnlisted").GetInt32()); // still parked: it stays
        var listed = Assert.Single((await (await admin.GetAsync("/api/admin/sms/failures")).AssertOkAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(parked.GetProperty("messageId").GetString(), listed.GetProperty("messageId").GetString());

        // A resend of one parked without its list row works too (nothing to take off).
        await table.DeleteEntityAsync(RegistryRows.Partition, listRows[0].RowKey);
        gateway.Down = null;
        var resent = OnlySms(await (await admin.PostAsync($"/api/admin/applications/{id}/sms/{parked.GetProperty("messageId").GetString()}/resend", null)).AssertOkAsync());
        Assert.Equal("sent", resent.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_index_rebuild_running_while_an_admin_resends_does_not_put_the_resent_sms_back_on_the_list_and_clears_rows_left_behind()
    {
        var gateway = new CountingGateway { Down = new SmsSendResult.Failed("号码为空号", Permanent: true) };
        using var app = new RegistryFactory(services: gateway.Register);
        var admin = await app.AdminAsync();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var messageId = OnlySms(await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync()).GetProperty("messageId").GetString()!;
        var failures = app.Services.GetRequiredService<SmsFailureIndex>();
        var table = app.Services.GetRequiredService<StorageAccount>().Applications;
        async Task<List<string?>> ListedAsync() => (await (await admin.GetAsync("/api/admin/sms/failures")).AssertOkAsync())
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("messageId").GetString()).ToList();
        Assert.Equal([messageId], await ListedAsync());

        // The rebuild has read the application while the SMS was parked; the admin resends before it writes.
        var readByRebuild = (await app.Services.GetRequiredService<ApplicationStore>().LoadAsync(id))!;
        var parked = Assert.Single(readByRebuild.Sms);
        gateway.Down = null;
        Assert.Equal("sent", OnlySms(await (await admin.PostAsync($"/api/admin/applications/{id}/sms/{messageId}/resend", null)).AssertOkAsync())
            .GetProperty("status").GetString());
        Assert.Equal(0, await failures.EnsureAsync(readByRebuild.Sms, CancellationToken.None));
        Assert.Empty(await ListedAsync());

        // A row left behind all the same (a resend by a version before the list): the rebuild takes it off.
        await table.UpsertEntityAsync(SmsFailureIndex.RowOf(parked));
        Assert.Equal([messageId], await ListedAsync());
        var rebuilt = await (await admin.PostAsync("/api/admin/indexes/rebuild", null)).AssertOkAsync();
        Assert.Equal(0, rebuilt.GetProperty("failedSms").GetInt32());
        Assert.Equal(1, rebuilt.GetProperty("failedSmsUnlisted").GetInt32());
        Assert.Empty(await ListedAsync());
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
