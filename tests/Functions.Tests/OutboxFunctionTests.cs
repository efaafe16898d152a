using System.Text.Json;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Tests;

/// <summary>The OutboxDispatcher function: its function.json and the custom-handler endpoint the host posts to.</summary>
public sealed class OutboxFunctionTests
{
    private static JsonElement FunctionJson(string folder, string file = "function.json") =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, folder, file))).RootElement;

    [Fact]
    public async Task The_host_invocation_dispatches_the_outbox_and_answers_with_outputs_logs_and_return_value()
    {
        var prefix = RegistryFactory.NewPrefix();
        string id;
        Scenario s;
        using (var dying = new RegistryFactory(prefix, services: DyingDispatcher.Register))
        {
            s = await Scenario.CreateAsync(dying);
            id = await s.SubmittedAsync();
            await (await s.CityAsync(id, "return", "照片不清晰")).AssertOkAsync();
        }
        using var app = new RegistryFactory(prefix);
        var host = app.CreateClient();

        var response = await (await host.PostAsync("/OutboxDispatcher", OutboxRecoveryTests.QueueInvocation(id))).AssertOkAsync();
        var again = await (await host.PostAsync("/OutboxDispatcher", OutboxRecoveryTests.QueueInvocation(id, dequeueCount: 2))).AssertOkAsync();

        Assert.Equal(JsonValueKind.Object, response.GetProperty("Outputs").ValueKind);
        Assert.Contains(id, Assert.Single(response.GetProperty("Logs").EnumerateArray()).GetString());
        Assert.True(response.TryGetProperty("ReturnValue", out _));
        Assert.Equal(JsonValueKind.Object, again.GetProperty("Outputs").ValueKind);
        Assert.Single(await app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id);
    }

    [Fact]
    public async Task A_failing_dispatch_answers_500_so_the_host_retries_and_finally_poisons_the_message()
    {
        using var dying = new RegistryFactory(services: DyingDispatcher.Register);
        var s = await Scenario.CreateAsync(dying);
        var id = await s.SubmittedAsync();

        var response = await dying.CreateClient().PostAsync("/OutboxDispatcher", OutboxRecoveryTests.QueueInvocation(id, dequeueCount: 3));

        var body = await response.AssertOkAsync(500);
        Assert.Contains("delivery 3", Assert.Single(body.GetProperty("Logs").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_message_that_names_no_application_goes_straight_to_the_poison_queue()
    {
        using var app = new RegistryFactory();

        await (await app.CreateClient().PostAsync("/OutboxDispatcher", OutboxRecoveryTests.QueueInvocation("not-an-application"))).AssertOkAsync();

        Assert.Contains("not-an-application", await SmsOutboxTests.PoisonedAsync(app));
    }

    [Fact]
    public async Task The_poller_moves_a_message_that_keeps_failing_to_the_poison_queue()
    {
        using var dying = new RegistryFactory(services: DyingDispatcher.Register);
        var s = await Scenario.CreateAsync(dying);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "材料不全")).AssertOkAsync(); // a transition with a side effect: the SMS
        var deliveries = dying.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.MaxDequeueCount;

        for (var poll = 0; poll < deliveries; poll++) await dying.Poller.PollOnceAsync();

        Assert.Contains(id, await SmsOutboxTests.PoisonedAsync(dying));
        Assert.Equal(0, await dying.Poller.PollOnceAsync());
    }

    [Fact]
    public void Function_json_triggers_on_the_outbox_queue_and_only_api_routes_are_forwarded_over_http()
    {
        var trigger = Assert.Single(FunctionJson(OutboxFunction.Name).GetProperty("bindings").EnumerateArray());
        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(OutboxFunction.Binding, trigger.GetProperty("name").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        var deployed = new StorageAccount(Options.Create(new StorageOptions { ConnectionString = RegistryFactory.ConnectionString }));
        Assert.Equal(deployed.OutboxQueue.Name, trigger.GetProperty("queueName").GetString());
        Assert.Equal(deployed.PoisonQueue.Name, trigger.GetProperty("queueName").GetString() + "-poison"); // the host's poison queue is ours

        var http = FunctionJson("HttpApi").GetProperty("bindings")[0];
        Assert.Equal("api/{*route}", http.GetProperty("route").GetString());
        var queues = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"))).RootElement
            .GetProperty("extensions").GetProperty("queues");
        Assert.Equal(new OutboxOptions().MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
    }
}
