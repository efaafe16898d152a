using Microsoft.DurableTask;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// The bare orchestration of the product's shape: wait for the city's decision, then the
/// province's, then two activities (the approval's write and the SMS). Built the way the product
/// will be, immune to lost and duplicate events: the decision is committed to the application's
/// Table row before its event is raised, the event carries the round and only wakes the
/// orchestration, and before each wait the orchestration reads the row through an activity. So an
/// event raised before the instance ran, or discarded by the provider (Azure/durabletask#720:
/// EventRaised for a still-Pending instance can be deleted), cannot leave it waiting for a
/// decision already made; a duplicate is never waited for again (or, from an earlier round, is
/// seen to be stale and ignored).
/// </summary>
public static class BaselineOrchestration
{
    public const string Name = "DurableBaseline";
    public const string CityDecision = "CityDecision";
    public const string ProvinceDecision = "ProvinceDecision";
    private const string ReadApplication = "ReadApplication";
    private const string ApplyApproval = "ApplyApproval";
    private const string SendSms = "SendSms";

    public static void Register(DurableTaskRegistry registry, BaselineApplications applications, InstanceSignals signals)
    {
        registry.AddOrchestratorFunc<string, string>(Name, RunAsync);
        registry.AddActivityFunc<string, ApplicationRow>(ReadApplication, async (_, id) =>
        {
            var row = await applications.ReadAsync(id);
            signals.Read(id, row);
            return row;
        });
        registry.AddActivityFunc<string, bool>(ApplyApproval, async (_, id) => { await applications.ApplyApprovalAsync(id); return true; });
        registry.AddActivityFunc<string, bool>(SendSms, async (_, id) => { await applications.SendSmsAsync(id); return true; });
    }

    private static async Task<string> RunAsync(TaskOrchestrationContext context, string id)
    {
        var row = await context.CallActivityAsync<ApplicationRow>(ReadApplication, id);
        while (row.City is null) row = await WakeAndReadAsync(context, CityDecision, id, row);
        while (row.Province is null) row = await WakeAndReadAsync(context, ProvinceDecision, id, row);
        await context.CallActivityAsync<bool>(ApplyApproval, id);
        await context.CallActivityAsync<bool>(SendSms, id);
        return "Approved";
    }

    /// <summary>Waits for a wake-up of this round and reads the row again; a stale one changes nothing.</summary>
    private static async Task<ApplicationRow> WakeAndReadAsync(TaskOrchestrationContext context, string eventName, string id, ApplicationRow row)
    {
        var round = await context.WaitForExternalEvent<int>(eventName);
        if (round < row.Round) return row; // a duplicate from an earlier round: wait again
        return await context.CallActivityAsync<ApplicationRow>(ReadApplication, id);
    }
}
