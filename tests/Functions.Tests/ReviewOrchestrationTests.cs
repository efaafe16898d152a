using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using FuncRegistry.Functions.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The review as a Durable orchestration (ADR 0013), run by the development host on
/// DurableTask.AzureStorage over Azurite: one instance per submitted application, waiting for the
/// city's decision, then the province's; events raised early, twice, late or racing neither stick
/// nor apply twice; a crash between a commit and its event is repaired by the record.
/// </summary>
public sealed class ReviewOrchestrationTests
{
    /// <summary>
    /// How long the tests let the orchestration catch up: a bound on latency, not business time (the
    /// reads return as soon as the state is there). Generous, because a shared CI machine can be
    /// loaded many times over; only a test that fails waits it out.
    /// </summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(120);

    private static async Task<JsonElement?> OrchestrationAsync(HttpClient admin, string id)
    {
        var response = await admin.GetAsync($"/api/admin/orchestrations/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await response.AssertOkAsync();
    }

    /// <summary>Reads the instance until it satisfies <paramref name="done"/>, for at most <see cref="CatchUp"/>; returns the last read.</summary>
    internal static async Task<JsonElement?> OrchestrationWhenAsync(HttpClient admin, string id, Func<JsonElement, bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonElement? last = null;
        while (waited.Elapsed < CatchUp)
        {
            last = await OrchestrationAsync(admin, id);
            if (last is { } o && done(o)) return last;
            await Task.Delay(100);
        }
        return last;
    }

    /// <summary>Until the application's orchestration waits for <paramref name="awaiting"/> (null: until it has completed).</summary>
    internal static async Task WaitingForAsync(RegistryFactory app, string id, string? awaiting)
    {
        var o = await OrchestrationWhenAsync(await app.AdminAsync(), id, o => awaiting is null ? Status(o) == "Completed" : Awaiting(o) == awaiting);
        Assert.True(o is { } seen && (awaiting is null ? Status(seen) == "Completed" : Awaiting(seen) == awaiting), $"{id}: {o?.GetRawText()}");
    }

    internal static string Status(JsonElement o) => o.GetProperty("runtimeStatus").GetString()!;
    private static string? Awaiting(JsonElement o) =>
        o.TryGetProperty("customStatus", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("awaiting", out var a) ? a.GetString() : null;
    private static int HandledVersion(JsonElement o) => o.GetProperty("customStatus").GetProperty("version").GetInt32();

    [Fact]
    public async Task A_submitted_application_is_an_orchestration_that_waits_for_the_city_then_the_province_and_completes_when_approved()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var admin = await app.AdminAsync();
        var id = await s.CreateDraftAsync();
        Assert.Null(await OrchestrationAsync(admin, id)); // a draft is not under review

        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        var atCity = await OrchestrationWhenAsync(admin, id, o => Awaiting(o) == ReviewEvents.CityDecision);
        Assert.Equal(id, atCity!.Value.GetProperty("instanceId").GetString());
        Assert.Equal("Running", Status(atCity.Value));

        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        Assert.Equal(ReviewEvents.ProvinceDecision, Awaiting((await OrchestrationWhenAsync(admin, id, o => Awaiting(o) == ReviewEvents.ProvinceDecision))!.Value));

        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        // The answer waited for the orchestration's activity: the certificate and the SMS are done.
        Assert.Equal("sent", SmsOutboxTests.OnlySms(approved).GetProperty("status").GetString());
        Assert.Equal("张四", (await s.CertificateAsync()).GetProperty("holderName").GetString());
        var completed = await OrchestrationWhenAsync(admin, id, o => Status(o) == "Completed");
        Assert.Equal("Completed", Status(completed!.Value));
        Assert.Equal(approved.GetProperty("version").GetInt32(), HandledVersion(completed.Value));
    }

    [Fact]
    public async Task Events_raised_twice_or_from_an_earlier_round_are_ignored_and_nothing_is_applied_twice()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var admin = await app.AdminAsync();
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        var id = await s.SubmittedAsync();
        var returned = await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();
        var roundOne = returned.GetProperty("version").GetInt32();
        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();

        var atCity = await OrchestrationWhenAsync(admin, id, o => Awaiting(o) == ReviewEvents.CityDecision && HandledVersion(o) > roundOne);
        Assert.Equal(ReviewEvents.CityDecision, Awaiting(atCity!.Value)); // waiting for round two's city decision
        var reads = app.Services.GetRequiredService<ReviewOrchestrations>().Reads;
        var readsBefore = reads.GetValueOrDefault(id);

        // Round one's decision again, late, and every decision event twice: versions already handled.
        foreach (var name in ReviewEvents.All.Where(n => n != ReviewEvents.WorkDue))
        {
            await client.RaiseEventAsync(id, name, roundOne);
            await client.RaiseEventAsync(id, name, roundOne);
        }
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await OrchestrationWhenAsync(admin, id, o => Awaiting(o) == ReviewEvents.ProvinceDecision);
        // The eight stale events were taken before the approval's and ignored: one read, for the approval.
        Assert.Equal(readsBefore + 1, reads.GetValueOrDefault(id));

        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        // The province's decision raised twice more after it was handled.
        await client.RaiseEventAsync(id, ReviewEvents.ProvinceDecision, approved.GetProperty("version").GetInt32());
        await client.RaiseEventAsync(id, ReviewEvents.ProvinceDecision, approved.GetProperty("version").GetInt32());

        var completed = await OrchestrationWhenAsync(admin, id, o => Status(o) == "Completed");
        Assert.Equal("Completed", Status(completed!.Value));
        // One SMS for the return, one for the approval: none twice.
        Assert.Equal(2, (await app.SmsToAsync(TestData.Phone)).Count(m => m.ApplicationId == id));
        Assert.Equal(2, (await s.ApplicationAsync(id)).GetProperty("sms").GetArrayLength());
    }

    [Fact]
    public async Task Opposite_decisions_and_duplicate_events_racing_on_many_applications_leave_no_instance_stuck()
    {
        using var app = new RegistryFactory();
        var admin = await app.AdminAsync();
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        const int applications = 12;
        var scenarios = new List<(Scenario S, string Id)>();
        for (var i = 0; i < applications; i++)
        {
            var s = await Scenario.CreateAsync(app);
            scenarios.Add((s, await s.SubmittedAsync()));
        }

        async Task<int> RaceAsync(Scenario s, string id, bool city)
        {
            var version = (await s.ApplicationAsync(id)).GetProperty("version").GetInt32();
            var name = city ? ReviewEvents.CityDecision : ReviewEvents.ProvinceDecision;
            var decide = (string decision) => city ? s.CityAsync(id, decision, decision == "return" ? "材料不全" : null) : s.ProvinceAsync(id, decision, decision == "return" ? "材料不全" : null);
            var decisions = Task.WhenAll(decide("approve"), decide("return"));
            await Task.WhenAll(decisions, client.RaiseEventAsync(id, name, version), client.RaiseEventAsync(id, name, version));
            var statuses = (await decisions).Select(r => (int)r.StatusCode).Order().ToList();
            Assert.Equal([200, 409], statuses); // exactly one decision commits
            return statuses.Count;
        }

        await Task.WhenAll(scenarios.Select(x => RaceAsync(x.S, x.Id, city: true)));
        var atProvince = new List<(Scenario S, string Id)>();
        foreach (var (s, id) in scenarios)
            if ((await s.ApplicationAsync(id)).GetProperty("status").GetString() == "pendingProvinceReview") atProvince.Add((s, id));
        await Task.WhenAll(atProvince.Select(x => RaceAsync(x.S, x.Id, city: false)));

        var stuck = new ConcurrentBag<string>();
        await Task.WhenAll(scenarios.Select(async x =>
        {
            var version = (await x.S.ApplicationAsync(x.Id)).GetProperty("version").GetInt32();
            var o = await OrchestrationWhenAsync(admin, x.Id, o => o.TryGetProperty("customStatus", out _) && HandledVersion(o) == version
                && (Status(o) == "Completed" || Awaiting(o) == ReviewEvents.Resubmitted));
            if (o is not { } seen || !seen.TryGetProperty("customStatus", out _) || HandledVersion(seen) != version) stuck.Add($"{x.Id}: {o?.GetRawText()}");
        }));
        Assert.Empty(stuck);
    }

    [Fact]
    public async Task A_crash_between_a_committed_decision_and_its_event_is_repaired_by_the_safety_net()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Durable:EffectWait"] = "00:00:01" });
        var s = await Scenario.CreateAsync(app);
        var admin = await app.AdminAsync();
        var orchestrations = app.Services.GetRequiredService<ReviewOrchestrations>();
        var real = orchestrations.Client!;
        orchestrations.Client = new UnreachableDurableClient(); // the process "dies" after each commit, before its event

        var id = await s.SubmittedAsync();
        var returned = await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();
        Assert.Equal("pending", SmsOutboxTests.OnlySms(returned).GetProperty("status").GetString()); // committed, not carried out
        orchestrations.Client = real;
        Assert.Null(await OrchestrationAsync(admin, id)); // never started
        Assert.DoesNotContain(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);

        // The safety-net timer committed with the SMS falls due: the sweep starts the orchestration,
        // which reads the record and carries out what it asks for, once.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await app.SweepAsync()).Due);
        var repaired = await OrchestrationWhenAsync(admin, id, o => Awaiting(o) == ReviewEvents.Resubmitted);
        Assert.Equal(returned.GetProperty("version").GetInt32(), HandledVersion(repaired!.Value));
        Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
        Assert.Equal("sent", SmsOutboxTests.OnlySms(await s.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_statutory_clock_is_a_durable_timer_racing_the_decisions()
    {
        // The app's clock at the real time: the orchestration's timers run on it.
        using var app = new RegistryFactory(now: DateTimeOffset.UtcNow);
        var s = await Scenario.CreateAsync(app, validUntil: DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd"));
        var admin = await app.AdminAsync();
        var id = await s.SubmittedAsync();

        var waiting = await OrchestrationWhenAsync(admin, id, o => o.TryGetProperty("customStatus", out var c) && c.TryGetProperty("nextCheckAt", out _));
        var nextCheckAt = waiting!.Value.GetProperty("customStatus").GetProperty("nextCheckAt").GetDateTimeOffset();
        var stored = await app.Services.GetRequiredService<FuncRegistry.Functions.Storage.ApplicationStore>().LoadAsync(id);
        // The review clock's next look at this application (the city stage's reminder), to the tick.
        Assert.Equal(app.Services.GetRequiredService<FuncRegistry.Functions.Storage.TimerIndex>().TimerOf(stored!.State)!.DueAt, nextCheckAt);
        Assert.True(nextCheckAt > DateTimeOffset.UtcNow);
        Assert.Equal(ReviewEvents.CityDecision, Awaiting(waiting.Value)); // the timer races the city's decision
    }
}
