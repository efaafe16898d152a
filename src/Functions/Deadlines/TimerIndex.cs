using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>
/// The durable timers of the review clock: per application at most one row, the next instant
/// something falls due for it (<see cref="ReviewClock.NextCheckAt"/>), in a partition per UTC day
/// of the ApplicationIndex table (<c>timers-yyyyMMdd</c>, RowKey = due ticks + id), so a sweep
/// reads only the day buckets up to now and within a bucket only the rows already due. Kept by
/// the RefreshListings projection like the lists: the row of the state before a transition goes,
/// the row of the state after it comes. A cursor row remembers the oldest bucket that may still
/// hold work, so a restart after a long stop misses nothing.
/// </summary>
public sealed class TimerIndex(StorageAccount account, DeadlinePolicy policy)
{
    private const string BucketPrefix = "timers-";
    private const string CursorPartition = "timers-cursor";
    private const string CursorRow = "cursor";

    /// <summary>One application's next timer.</summary>
    /// <param name="ApplicationId">The application.</param>
    /// <param name="DueAt">When the sweep should look at it.</param>
    public sealed record Timer(string ApplicationId, DateTimeOffset DueAt)
    {
        /// <summary>The day bucket.</summary>
        public string PartitionKey => BucketOf(DateOnly.FromDateTime(DueAt.UtcDateTime));

        /// <summary>Due ticks, then the id: rows of a bucket in due order.</summary>
        public string RowKey => $"{DueAt.UtcTicks:D19}-{ApplicationId}";
    }

    /// <summary>
    /// The timer an application in <paramref name="state"/> needs, or null. Never earlier than the
    /// state's last event, so the row of a state lands in a bucket no older than that event
    /// (what the sweep's cursor relies on); a time already past fires at the next sweep.
    /// </summary>
    public Timer? TimerOf(ApplicationState state)
    {
        if (state.Status == ApplicationStatus.None || ReviewClock.NextCheckAt(state, policy) is not { } at) return null;
        return new Timer(state.Id, at > state.UpdatedAt ? at : state.UpdatedAt);
    }

    /// <summary>Replaces the timer of <paramref name="previous"/> by that of <paramref name="current"/>. Idempotent.</summary>
    public async Task RefreshAsync(ApplicationState previous, ApplicationState current, CancellationToken cancellationToken = default)
    {
        var old = TimerOf(previous);
        var now = TimerOf(current);
        if (old is not null && old != now) await RemoveAsync(old, cancellationToken);
        if (now is not null) await PutAsync(now, cancellationToken);
    }

    /// <summary>Writes a timer row.</summary>
    public async Task PutAsync(Timer timer, CancellationToken cancellationToken = default) =>
        await account.ApplicationIndex.UpsertEntityAsync(new TableEntity(timer.PartitionKey, timer.RowKey)
        {
            ["ApplicationId"] = timer.ApplicationId, ["DueAt"] = timer.DueAt,
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Removes a timer row (gone already is fine).</summary>
    public async Task RemoveAsync(Timer timer, CancellationToken cancellationToken = default)
    {
        try
        {
            await account.ApplicationIndex.DeleteEntityAsync(timer.PartitionKey, timer.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>The timers of one day bucket due at or before <paramref name="now"/>: one partition, one key range.</summary>
    public async Task<IReadOnlyList<Timer>> DueAsync(DateOnly day, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var upTo = $"{now.UtcTicks + 1:D19}";
        var timers = new List<Timer>();
        await foreach (var row in account.ApplicationIndex.QueryAsync<TableEntity>(
            e => e.PartitionKey == BucketOf(day) && e.RowKey.CompareTo(upTo) < 0, select: ["ApplicationId", "DueAt"], cancellationToken: cancellationToken))
            timers.Add(new Timer(row.GetString("ApplicationId"), row.GetDateTimeOffset("DueAt")!.Value));
        return timers;
    }

    /// <summary>The oldest day bucket that may still hold work, or null before the first sweep.</summary>
    public async Task<DateOnly?> CursorAsync(CancellationToken cancellationToken = default)
    {
        var row = await account.ApplicationIndex.GetEntityIfExistsAsync<TableEntity>(CursorPartition, CursorRow, cancellationToken: cancellationToken);
        return row.HasValue && DateOnly.TryParseExact(row.Value!.GetString("Day"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;
    }

    /// <summary>Moves the cursor.</summary>
    public Task SetCursorAsync(DateOnly day, CancellationToken cancellationToken = default) =>
        account.ApplicationIndex.UpsertEntityAsync(new TableEntity(CursorPartition, CursorRow)
        {
            ["Day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, TableUpdateMode.Replace, cancellationToken);

    private static string BucketOf(DateOnly day) => BucketPrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
