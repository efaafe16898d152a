using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Tests;

/// <summary>The outbox's safety net: a timer committed with each transition's side effects, swept by the review clock's timer function.</summary>
public sealed class SafetyNetTests
{
    [Fact]
    public async Task Side_effects_that_keep_failing_are_retried_with_back_off_and_the_operator_hears_of_them_once()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Outbox:RetryDelay"] = "00:01:00" });
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        // The certificate vanishes behind the API's back: applying the approval to it fails every time.
        await app.Services.GetRequiredService<StorageAccount>().Certificates.DeleteEntityAsync(CertificateRows.Partition(CertificateNumbers.Key(s.CertificateNumber)), CertificateRows.OfCertificate(CertificateNumbers.Key(s.CertificateNumber))); // the row is keyed by the normalised number, in its bucket
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync(); // committed; its side effects failed (1)

        Assert.Equal(0, (await app.SweepAsync()).Due); // backing off: the next attempt is a minute away
        var failuresBeforePoison = app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.FailuresBeforePoison;
        for (var failure = 2; failure <= failuresBeforePoison + 1; failure++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(30));
            Assert.Equal(1, (await app.SweepAsync()).Due);
        }

        Assert.Equal([id], await SmsOutboxTests.PoisonedAsync(app)); // once, on reaching the limit
        Assert.Equal("pending", SmsOutboxTests.OnlySms(await s.ApplicationAsync(id)).GetProperty("status").GetString()); // effects stay in order
    }

    [Fact]
    public async Task A_transition_whose_side_effects_were_carried_out_leaves_no_timer_behind()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var sweep = await app.SweepAsync();

        Assert.Equal(0, sweep.Due);
        Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
    }

    [Fact]
    public void The_review_clock_function_sweeps_every_minute()
    {
        var function = Assert.Single(FuncRegistry.DevHost.FunctionCatalog.Discover(typeof(FuncRegistryApp).Assembly), f => f.Name == "ReviewClockTimer");
        Assert.Equal("0 * * * * *", Assert.IsType<Microsoft.Azure.Functions.Worker.TimerTriggerAttribute>(function.Trigger).Schedule);
    }
}
