using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// The durable timers, in the registry partition (<see cref="RegistryRows"/>) so a sweep reads one
/// key range: the rows already due, oldest first. Two kinds:
/// <list type="bullet">
/// <item>the review clock's: per application at most one row, the next instant something falls
/// due for it (<see cref="ReviewClock.NextCheckAt"/>), <c>t|{due ticks}|{id}</c>, written in the
/// application's transitions' own transactions like its list rows;</item>
/// <item>the outbox's safety net: per transition with side effects one row
/// <c>t|{due ticks}|{id}|o{version}</c>, committed with the transition and deleted with its last
/// outbox row, so side effects a dying process left undone are carried out by the next sweep.</item>
/// </list>
/// </summary>
public sealed class TimerIndex(StorageAccount account, DeadlinePolicy policy)
{
    private const string Prefix = "t|";

    /// <summary>Whether a row key is a timer's.</summary>
    public static bool IsTimerRow(string rowKey) => rowKey.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>One timer.</summary>
    /// <param name="ApplicationId">The application.</param>
    /// <param name="DueAt">When the sweep should look at it.</param>
    /// <param name="OutboxVersion">For the outbox's safety net: the version whose side effects it covers; null for the review clock.</param>
    /// <param name="Failures">For the outbox's safety net: dispatches of those side effects that failed so far.</param>
    public sealed record Timer(string ApplicationId, DateTimeOffset DueAt, int? OutboxVersion = null, int Failures = 0)
    {
        /// <summary>Due ticks, then the id: rows in due order.</summary>
        public string RowKey => OutboxVersion is { } v ? $"{Prefix}{DueAt.UtcTicks:D19}|{ApplicationId}|o{v:D5}" : $"{Prefix}{DueAt.UtcTicks:D19}|{ApplicationId}";

        /// <summary>The row.</summary>
        public TableEntity ToEntity()
        {
            var row = new TableEntity(RegistryRows.Partition, RowKey) { ["ApplicationId"] = ApplicationId, ["DueAt"] = DueAt };
            if (OutboxVersion is { } v) (row["OutboxVersion"], row["Failures"]) = (v, Failures);
            return row;
        }
    }

    /// <summary>
    /// The timer an application in <paramref name="state"/> needs, or null. Never earlier than the
    /// state's last event; a time already past fires at the next sweep.
    /// </summary>
    public Timer? TimerOf(ApplicationState state)
    {
        if (state.Status == ApplicationStatus.None || ReviewClock.NextCheckAt(state, policy) is not { } at) return null;
        return new Timer(state.Id, at > state.UpdatedAt ? at : state.UpdatedAt);
    }

    /// <summary>The timer row of an application in <paramref name="state"/> (none or one).</summary>
    public IEnumerable<TableEntity> RowsOf(ApplicationState state)
    {
        if (TimerOf(state) is { } timer) yield return timer.ToEntity();
    }

    /// <summary>Removes a timer row that has nothing left to do (gone already is fine).</summary>
    public async Task RemoveAsync(Timer timer, CancellationToken cancellationToken = default)
    {
        try { await account.Applications.DeleteEntityAsync(RegistryRows.Partition, timer.RowKey, Azure.ETag.All, cancellationToken); }
        catch (Azure.RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>
    /// The most failed dispatches any of these safety-net timers has counted (0 when none has, or
    /// none exists any more): one point read per timer.
    /// </summary>
    public async Task<int> FailuresOfAsync(IEnumerable<string> safetyNetRowKeys, CancellationToken cancellationToken = default)
    {
        var failures = 0;
        foreach (var rowKey in safetyNetRowKeys.Distinct(StringComparer.Ordinal))
        {
            var row = await account.Applications.GetEntityIfExistsAsync<TableEntity>(RegistryRows.Partition, rowKey, ["Failures"], cancellationToken);
            if (row.HasValue) failures = Math.Max(failures, row.Value!.GetInt32("Failures") ?? 0);
        }
        return failures;
    }

    /// <summary>The timers due at or before <paramref name="now"/>, oldest first, at most <paramref name="max"/>: one key range.</summary>
    public async Task<IReadOnlyList<Timer>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var timers = new List<Timer>();
        var filter = RegistryRows.RangeFilter(Prefix, $"{Prefix}{now.UtcTicks + 1:D19}");
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000),
            select: ["ApplicationId", "DueAt", "OutboxVersion", "Failures"], cancellationToken: cancellationToken))
        {
            timers.Add(new Timer(row.GetString("ApplicationId"), row.GetDateTimeOffset("DueAt")!.Value, row.GetInt32("OutboxVersion"), row.GetInt32("Failures") ?? 0));
            if (timers.Count >= max) break;
        }
        return timers;
    }
}
