using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Sms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FuncRegistry.Functions.Tests;

/// <summary>Side effects committed with a transition happen even when the dispatch right after the commit fails.</summary>
public sealed class OutboxTests
{
    /// <summary>A gateway that is down until switched on, then delegates to the local recorder.</summary>
    private sealed class SwitchableGateway(LocalSmsRecorder recorder) : ISmsGateway
    {
        public bool Up { get; set; }
        public Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default) =>
            Up ? recorder.SendAsync(request, cancellationToken) : throw new HttpRequestException("gateway down");
    }

    [Fact]
    public async Task Sms_that_failed_after_the_commit_is_sent_once_from_the_outbox_queue()
    {
        using var app = new RegistryFactory(services: s =>
        {
            s.RemoveAll<ISmsGateway>();
            s.AddSingleton<SwitchableGateway>();
            s.AddSingleton<ISmsGateway>(sp => sp.GetRequiredService<SwitchableGateway>());
        });
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();
        Assert.DoesNotContain(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);

        app.Services.GetRequiredService<SwitchableGateway>().Up = true;
        await app.SweepAsync();
        await app.SweepAsync(); // a redelivery finds nothing left to do

        Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
    }
}
