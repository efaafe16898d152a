using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Tests;

/// <summary>Nothing committed is lost when the process dies, and nothing is sent twice when dispatchers race.</summary>
public sealed class OutboxRecoveryTests
{
    [Fact]
    public async Task Side_effects_committed_just_before_the_process_died_are_carried_out_after_a_restart()
    {
        var prefix = RegistryFactory.NewPrefix();
        using var first = new RegistryFactory(prefix);
        var s = await Scenario.CreateAsync(first);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();

        using (var dying = new RegistryFactory(prefix, services: DyingDispatcher.Register))
        {
            var province = await dying.ProvinceReviewerAsync();
            // It dies right after the commit: the review orchestration never hears of it.
            dying.Services.GetRequiredService<FuncRegistry.Functions.Workflow.ReviewOrchestrations>().Client = new UnreachableDurableClient();
            var approved = await (await province.PostAsJsonAsync($"/api/applications/{id}/events/province-review", new { decision = "approve" })).AssertOkAsync();
            Assert.Equal("approved", approved.GetProperty("status").GetString());
        }

        // Committed, not carried out: the register, the SMS and the claim still wait. The review
        // queue is not a side effect: it changed with the commit itself.
        Assert.Equal("张三", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        Assert.DoesNotContain(await first.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
        Assert.Equal("pending", SmsOutboxTests.OnlySms(await s.ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.DoesNotContain(await PendingAsync(s.ProvinceReviewer), i => i == id);
        Assert.NotNull(await first.Services.GetRequiredService<CertificateStore>().GetClaimAsync(s.CertificateNumber));

        using var restarted = new RegistryFactory(prefix);
        Assert.Equal(0, (await restarted.SweepAsync()).Due); // the safety net waits Outbox:SafetyNetDelay for the dispatch it backs up
        // The restart comes the next day: the register is still dated on the day the province approved.
        restarted.Clock.Advance(TimeSpan.FromDays(1) + restarted.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.SafetyNetDelay);
        Assert.Equal(1, (await restarted.SweepAsync()).Due);

        var certificate = await s.CertificateAsync();
        Assert.Equal("张四", certificate.GetProperty("holderName").GetString());
        Assert.Equal("2026-11-23", certificate.GetProperty("endorsements").EnumerateArray().Single(e => e.GetProperty("applicationId").GetString() == id).GetProperty("on").GetString());
        Assert.Single(await restarted.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
        Assert.Equal("sent", SmsOutboxTests.OnlySms(await s.ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.DoesNotContain(await PendingAsync(s.ProvinceReviewer), i => i == id);
        Assert.Null(await first.Services.GetRequiredService<CertificateStore>().GetClaimAsync(s.CertificateNumber));
    }

    [Fact]
    public async Task Two_instances_racing_over_the_same_side_effects_send_each_result_exactly_once()
    {
        var prefix = RegistryFactory.NewPrefix();
        var ids = new List<string>();
        using (var dying = new RegistryFactory(prefix, services: DyingDispatcher.Register))
        {
            for (var i = 0; i < 6; i++)
            {
                var s = await Scenario.CreateAsync(dying);
                var id = await s.SubmittedAsync();
                await (await s.CityAsync(id, "return", $"材料不全{i}")).AssertOkAsync();
                ids.Add(id);
            }
        }
        var gateway = new CountingGateway();
        using var one = new RegistryFactory(prefix, services: gateway.Register);
        using var two = new RegistryFactory(prefix, services: gateway.Register);
        // Both instances' sweeps find the safety-net timers due, while both also dispatch every application twice directly.
        var delay = one.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.SafetyNetDelay;
        one.Clock.Advance(delay);
        two.Clock.Advance(delay);
        var work = new List<Task> { one.SweepAsync(), two.SweepAsync() };
        foreach (var app in new[] { one, two })
        {
            var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
            foreach (var id in ids)
                for (var copy = 0; copy < 2; copy++)
                    work.Add(dispatcher.DispatchAsync(id));
        }
        await Task.WhenAll(work);
        for (var round = 0; round < 10 && (await one.SweepAsync()).Due + (await two.SweepAsync()).Due > 0; round++) { }

        var sent = gateway.Calls.Select(c => c.MessageId).ToList();
        Assert.Equal(ids.Count, sent.Count);
        Assert.Equal(ids.Count, sent.Distinct().Count());
        foreach (var id in ids)
        {
            var sms = SmsOutboxTests.OnlySms(await (await one.ApplicantAsync(await HolderOfAsync(one, id))).GetFromJsonAsync<JsonElement>($"/api/applications/{id}"));
            Assert.Equal("sent", sms.GetProperty("status").GetString());
            Assert.Equal(1, sms.GetProperty("attempts").GetInt32());
        }
    }

    [Fact]
    public async Task A_dispatcher_that_dies_while_sending_is_taken_over_once_its_claim_runs_out_and_the_gateway_is_told_it_may_have_been_sent()
    {
        var prefix = RegistryFactory.NewPrefix();
        var hanging = new HangingGateway();
        using var stuck = new RegistryFactory(prefix, services: s =>
        {
            s.RemoveAll<ISmsGateway>();
            s.AddSingleton<ISmsGateway>(hanging);
        });
        var scenario = await Scenario.CreateAsync(stuck);
        var id = await scenario.SubmittedAsync();
        var decision = scenario.CityAsync(id, "return", "照片不清晰");
        await hanging.Called.Task; // committed, claimed, and now it never comes back

        var gateway = new CountingGateway();
        using var other = new RegistryFactory(prefix, services: gateway.Register);
        await other.Services.GetRequiredService<OutboxDispatcher>().DispatchAsync(id);
        Assert.Empty(gateway.Calls); // the claim is still live

        // Once the claim has run out, the next run of the review's activity takes it over (Durable
        // runs an activity at least once: the dead worker's is run again by another).
        other.Clock.Advance(TimeSpan.FromMinutes(6));
        await other.Services.GetRequiredService<OutboxDispatcher>().DispatchAsync(id);
        var call = Assert.Single(gateway.Calls);
        Assert.True(call.MayHaveBeenSent);

        hanging.Release.Cancel(); // the stuck dispatcher wakes up to find its claim taken
        await (await decision).AssertOkAsync();
        var sms = SmsOutboxTests.OnlySms(await (await other.ApplicantAsync(scenario.HolderId)).GetFromJsonAsync<JsonElement>($"/api/applications/{id}"));
        Assert.Equal("sent", sms.GetProperty("status").GetString());
        Assert.Equal(2, sms.GetProperty("attempts").GetInt32());
        Assert.Single(gateway.Calls);
    }

    /// <summary>Takes the message and never answers (until released): a dispatcher stuck or dead mid-send.</summary>
    private sealed class HangingGateway : ISmsGateway
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenSource Release { get; } = new();

        public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default)
        {
            Called.TrySetResult();
            await Task.Delay(Timeout.Infinite, Release.Token);
            return new SmsSendResult.Sent("never");
        }
    }

    private static async Task<IReadOnlyList<string?>> PendingAsync(HttpClient reviewer) =>
        (await (await reviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync()).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetString()).ToList();

    private static async Task<string> HolderOfAsync(RegistryFactory app, string id) =>
        (await app.Services.GetRequiredService<ApplicationStore>().LoadAsync(id))!.State.HolderIdNumber;
}
