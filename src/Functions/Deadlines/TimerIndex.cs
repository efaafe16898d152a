using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>
/// The durable timers of the review clock: per application at most one row, the next instant
/// something falls due for it (<see cref="ReviewClock.NextCheckAt"/>), as <c>t|{due ticks}|{id}</c>
/// in the registry partition (<see cref="RegistryRows"/>), so a sweep reads one key range: the rows
/// already due, oldest first. Written in the application's transitions' own transactions like its
/// list rows: the row of the state before goes, the row of the state after comes, atomically.
/// </summary>
public sealed class TimerIndex(StorageAccount account, DeadlinePolicy policy)
{
    private const string Prefix = "t|";

    /// <summary>One application's next timer.</summary>
    /// <param name="ApplicationId">The application.</param>
    /// <param name="DueAt">When the sweep should look at it.</param>
    public sealed record Timer(string ApplicationId, DateTimeOffset DueAt)
    {
        /// <summary>Due ticks, then the id: rows in due order.</summary>
        public string RowKey => $"{Prefix}{DueAt.UtcTicks:D19}|{ApplicationId}";
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
        if (TimerOf(state) is { } timer)
            yield return new TableEntity(RegistryRows.Partition, timer.RowKey) { ["ApplicationId"] = timer.ApplicationId, ["DueAt"] = timer.DueAt };
    }

    /// <summary>Removes a timer row whose application is gone (gone already is fine).</summary>
    public async Task RemoveAsync(Timer timer, CancellationToken cancellationToken = default)
    {
        try { await account.Applications.DeleteEntityAsync(RegistryRows.Partition, timer.RowKey, Azure.ETag.All, cancellationToken); }
        catch (Azure.RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>The timers due at or before <paramref name="now"/>, oldest first, at most <paramref name="max"/>: one key range.</summary>
    public async Task<IReadOnlyList<Timer>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var timers = new List<Timer>();
        var filter = RegistryRows.RangeFilter(Prefix, $"{Prefix}{now.UtcTicks + 1:D19}");
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), select: ["ApplicationId", "DueAt"], cancellationToken: cancellationToken))
        {
            timers.Add(new Timer(row.GetString("ApplicationId"), row.GetDateTimeOffset("DueAt")!.Value));
            if (timers.Count >= max) break;
        }
        return timers;
    }
}
