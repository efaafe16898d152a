using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// How many submitted applications stand in each status, per city (ADR 0024), kept by the
/// transitions themselves. The head of an application names what it is counted as
/// (<see cref="KeyOf"/>: its city and status, or nothing for a draft); a transition that changes
/// that adds, in its own transaction, a delta row <c>n|{city}|d|{id}|{version}-{n}</c> (−1 for the
/// status it leaves, +1 for the one it enters). The transaction is conditional on the head's ETag,
/// so a delta is written exactly once however often a command or a projection is retried: a retry
/// that finds the transition done decides no event, and a repair with no event changes no status.
/// Reading a city's counts is one key range, <c>n|{city}|</c>: its snapshot row <c>n|{city}|0</c>
/// (a count per status) and the deltas since; the province's is the range <c>n|</c>. A reader that
/// finds many deltas folds them into the snapshot (one transaction per 99, conditional on the
/// snapshot's ETag; a concurrent folder makes it fail and changes nothing), so the range stays short.
/// </summary>
public sealed class ReviewCounters(StorageAccount account, ILogger<ReviewCounters> logger)
{
    private const string Prefix = "n|";
    private const string Snapshot = "0"; // sorts before the deltas (d|…): a reader meets a city's snapshot first
    private const int MaxAttempts = 5;

    /// <summary>A city with at least this many deltas is folded by the reader that sees them.</summary>
    public const int FoldAt = 50;

    /// <summary>
    /// What an application in <paramref name="s"/> is counted as: "{city}|{status}" once submitted
    /// (the city whose reviewers handle it now: <see cref="ApplicationState.ReviewCityCode"/>), "" for a draft or a deleted one.
    /// </summary>
    public static string KeyOf(ApplicationState s) =>
        s.Round > 0 && s.Status is not (ApplicationStatus.None or ApplicationStatus.Draft) ? $"{ReviewQueueRows.CityOf(s.ReviewCityCode)}|{s.Status}" : "";

    /// <summary>
    /// The delta rows of a transition from being counted as <paramref name="before"/> to <paramref name="after"/>
    /// (keys of <see cref="KeyOf"/>; "" = not counted): none when they are the same.
    /// </summary>
    public static IEnumerable<TableEntity> DeltaRows(string before, string after, string applicationId, int version)
    {
        if (before == after) yield break;
        var (fromCity, from) = Split(before);
        var (toCity, to) = Split(after);
        // Unique per commit even for a repair at the same version (the head's ETag makes it one commit).
        var suffix = $"{applicationId}|{version:D5}-{Guid.NewGuid():N}";
        if (fromCity is not null && fromCity == toCity)
        {
            yield return Delta(fromCity, suffix, minus: from, plus: to);
            yield break;
        }
        if (fromCity is not null) yield return Delta(fromCity, suffix, minus: from, plus: null);
        if (toCity is not null) yield return Delta(toCity, suffix, minus: null, plus: to);
    }

    /// <summary>
    /// The counts per city and status: of one city (<paramref name="city"/>) or of all. One range read.
    /// Answered in one response it is consistent (a query of one partition reads one snapshot of it);
    /// over several (thousands of deltas not yet folded), it is checked afterwards that no fold
    /// committed meanwhile — each fold raises its snapshot's generation, and a city's snapshot is read
    /// before its deltas — and read again if one did. Deltas read are then folded for the next reader.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<ApplicationStatus, int>>> CountsAsync(string? city,
        CancellationToken cancellationToken = default)
    {
        var prefix = city is null ? Prefix : $"{Prefix}{city}|";
        for (var attempt = 1; ; attempt++)
        {
            var (rows, pages) = await ReadAsync(prefix, cancellationToken);
            var cities = rows.GroupBy(r => CityOfRow(r.RowKey)).ToList();
            var consistent = pages == 1 || await NoFoldSinceAsync(cities, cancellationToken);
            if (!consistent && attempt < MaxAttempts) continue;
            if (!consistent) logger.LogWarning("Review counters: folds kept committing during {Attempts} reads of {Pages} pages; counts may be off until the next read", attempt, pages);
            var counts = cities.ToDictionary(g => g.Key, g => (IReadOnlyDictionary<ApplicationStatus, int>)Sum(g.Key, g));
            foreach (var group in cities.Where(g => g.Count(r => !IsSnapshot(g.Key, r.RowKey)) >= (pages > 1 ? 1 : FoldAt)))
                await FoldAsync(group.Key, group.ToList(), cancellationToken);
            return counts;
        }
    }

    /// <summary>Whether every city's snapshot is still at the generation read (a missing one at 0): one point read per city.</summary>
    private async Task<bool> NoFoldSinceAsync(IEnumerable<IGrouping<string, TableEntity>> cities, CancellationToken cancellationToken)
    {
        foreach (var group in cities)
        {
            var read = group.FirstOrDefault(r => IsSnapshot(group.Key, r.RowKey))?.GetInt32("Generation") ?? 0;
            var now = await account.Applications.GetEntityIfExistsAsync<TableEntity>(RegistryRows.Partition, SnapshotKey(group.Key), ["Generation"], cancellationToken);
            if ((now.HasValue ? now.Value!.GetInt32("Generation") ?? 0 : 0) != read) return false;
        }
        return true;
    }

    private async Task<(List<TableEntity> Rows, int Pages)> ReadAsync(string prefix, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var pages = 0;
        await foreach (var page in account.Applications.QueryAsync<TableEntity>(RegistryRows.PrefixFilter(prefix), maxPerPage: 1000, cancellationToken: cancellationToken).AsPages())
        {
            pages++;
            rows.AddRange(page.Values);
        }
        return (rows, Math.Max(pages, 1));
    }

    /// <summary>Folds deltas into the city's snapshot, 99 per transaction; stops at the first that another reader's fold or a repair beat.</summary>
    private async Task FoldAsync(string city, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var snapshot = rows.FirstOrDefault(r => IsSnapshot(city, r.RowKey));
        var counts = snapshot is null ? new Dictionary<ApplicationStatus, int>() : Sum(city, [snapshot]);
        foreach (var chunk in rows.Where(r => !IsSnapshot(city, r.RowKey)).Chunk(99))
        {
            foreach (var delta in chunk) Apply(counts, delta);
            var row = new TableEntity(RegistryRows.Partition, SnapshotKey(city)) { ["Generation"] = (snapshot?.GetInt32("Generation") ?? 0) + 1 };
            foreach (var (status, n) in counts) row[status.ToString()] = n;
            var batch = new List<TableTransactionAction>
            {
                snapshot is null ? new(TableTransactionActionType.Add, row) : new(TableTransactionActionType.UpdateReplace, row, snapshot.ETag),
            };
            batch.AddRange(chunk.Select(d => new TableTransactionAction(TableTransactionActionType.Delete, d, ETag.All)));
            try
            {
                var responses = (await account.Applications.SubmitTransactionAsync(batch, cancellationToken)).Value;
                row.ETag = StoredETag.Of(responses[0]);
                snapshot = row;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                return; // folded meanwhile by another reader: what it wrote already counts these
            }
        }
    }

    private static Dictionary<ApplicationStatus, int> Sum(string city, IEnumerable<TableEntity> rows)
    {
        var counts = new Dictionary<ApplicationStatus, int>();
        foreach (var row in rows)
        {
            if (!IsSnapshot(city, row.RowKey))
            {
                Apply(counts, row);
                continue;
            }
            foreach (var status in Enum.GetValues<ApplicationStatus>())
                if (row.GetInt32(status.ToString()) is { } n) counts[status] = counts.GetValueOrDefault(status) + n;
        }
        return counts;
    }

    private static void Apply(Dictionary<ApplicationStatus, int> counts, TableEntity delta)
    {
        if (Enum.TryParse<ApplicationStatus>(delta.GetString("Minus"), out var minus)) counts[minus] = counts.GetValueOrDefault(minus) - 1;
        if (Enum.TryParse<ApplicationStatus>(delta.GetString("Plus"), out var plus)) counts[plus] = counts.GetValueOrDefault(plus) + 1;
    }

    private static TableEntity Delta(string city, string suffix, string? minus, string? plus) =>
        new(RegistryRows.Partition, $"{Prefix}{city}|d|{suffix}") { ["Minus"] = minus, ["Plus"] = plus };

    private static (string? City, string? Status) Split(string key) =>
        key.Length == 0 ? (null, null) : (key[..key.IndexOf('|')], key[(key.IndexOf('|') + 1)..]);

    private static string CityOfRow(string rowKey) => rowKey[Prefix.Length..rowKey.IndexOf('|', Prefix.Length)];

    private static bool IsSnapshot(string city, string rowKey) => rowKey == SnapshotKey(city);

    private static string SnapshotKey(string city) => $"{Prefix}{city}|{Snapshot}";
}
