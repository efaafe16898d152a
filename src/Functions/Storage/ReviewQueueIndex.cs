using System.Text;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;

namespace FuncRegistry.Functions.Storage;

/// <summary>Whose queue: a city's reviewers' or the province's.</summary>
public abstract record ReviewerScope
{
    /// <summary>The reviewers of a city (its 6-digit city code): what waits for the city's review.</summary>
    public sealed record City(string Code) : ReviewerScope;

    /// <summary>The province's reviewers: what waits for the province's review, and the late city stages reported to it.</summary>
    public sealed record Province : ReviewerScope;
}

/// <summary>
/// A reviewer's queue query (ADR 0024). Filters left null do not filter. <paramref name="City"/> (province
/// only) narrows to one city's applications; <paramref name="Escalated"/> true lists, for the province,
/// the late city stages reported to it (they wait for a city, not for the province).
/// </summary>
/// <param name="Viewer">Who asks: decides whether a holder's name may be searched by part.</param>
/// <param name="Scope">Whose queue.</param>
/// <param name="Kind">One kind.</param>
/// <param name="City">A city's applications (province scope).</param>
/// <param name="Overdue">Past its stage's due time at <paramref name="Now"/>, or not.</param>
/// <param name="Escalated">A late city stage reported to the province, or not.</param>
/// <param name="SubmittedFrom">Submitted (last) at or after.</param>
/// <param name="SubmittedBefore">Submitted before.</param>
/// <param name="Name">A holder's name, or the start of one.</param>
/// <param name="Now">The instant "overdue" is judged at.</param>
public sealed record ReviewQueueQuery(Actor Viewer, ReviewerScope Scope, DateTimeOffset Now, ApplicationKind? Kind = null, string? City = null,
    bool? Overdue = null, bool? Escalated = null, DateTimeOffset? SubmittedFrom = null, DateTimeOffset? SubmittedBefore = null, string? Name = null)
{
    /// <summary>
    /// Whether a list line belongs to the answer: the one predicate every line read is checked
    /// against, whichever rows were read to find it (so a line found by a lookup, or a row a
    /// transition is about to replace, is judged by the same rule).
    /// </summary>
    public bool Matches(ApplicationSummary line) =>
        InScope(line)
        && (Kind is not { } kind || line.Kind == kind)
        && (City is not { } city || line.QueueCity == city)
        && (Overdue is not { } overdue || (line.DueAt is { } due && due <= Now) == overdue)
        && (Escalated is not { } escalated || line.Escalated == escalated)
        && (SubmittedFrom is not { } from || line.SubmittedAt >= from)
        && (SubmittedBefore is not { } before || line.SubmittedAt < before)
        && (Name is not { } name || NameMatches(line, name));

    private bool InScope(ApplicationSummary line) => Scope switch
    {
        ReviewerScope.City c => line.Status == ApplicationStatus.PendingCityReview && line.QueueCity == c.Code,
        _ when Escalated == true => line.Status == ApplicationStatus.PendingCityReview && line.Escalated,
        _ => line.Status == ApplicationStatus.PendingProvinceReview,
    };

    /// <summary>By the start of the name or of a part of it; by the whole only, for who sees the name masked (else it could be read letter by letter).</summary>
    private bool NameMatches(ApplicationSummary line, string name)
    {
        var seesName = line.HolderIdNumbers.Any(id => AccessRules.SeesPersonalDataOf(Viewer, id, line.CityCode));
        return ReviewQueueRows.NameTokens(line.HolderName).Any(t => seesName ? t.StartsWith(name, StringComparison.Ordinal) : t == name);
    }
}

/// <summary>A page of a queue: its lines and the cursor of the next page (null on the last).</summary>
public sealed record QueuePage(IReadOnlyList<ApplicationSummary> Items, string? Next);

/// <summary>What a reviewer's scope holds right now, beside the counters: past due, and late city stages reported to the province, per city.</summary>
public sealed record QueueFlags(IReadOnlyDictionary<string, int> OverdueByCity, IReadOnlyDictionary<string, int> EscalatedByCity);

/// <summary>
/// Reads the reviewers' queues (<see cref="ReviewQueueRows"/>): every query is one key range of the
/// registry partition — the family of rows whose order and scope serve the most selective filter —
/// or a point lookup, and each line read is checked against <see cref="ReviewQueueQuery.Matches"/>.
/// ADR 0024 lists which range serves which filter and what it costs.
/// </summary>
public sealed class ReviewQueueIndex(StorageAccount account, ApplicationStore applications, ApplicationIndex lists, CertificateStore certificates)
{
    /// <summary>Most rows one request examines when a filter is checked on the rows read (a page may then end early, with a cursor to go on).</summary>
    public const int MaxExamined = 5000;

    /// <summary>The key range read for a query: rows of <paramref name="Prefix"/> from <paramref name="From"/> (inclusive) to <paramref name="To"/> (exclusive, null = to the end).</summary>
    /// <param name="Exact">The range holds (nearly) only matching lines: read a page's worth at a time, not a thousand rows.</param>
    public sealed record Range(string Prefix, string From, string? To, bool Exact);

    /// <summary>Which range serves a query (no lookup): the name index, the late city stages, the due-time order, the kind's queue or the queue.</summary>
    public static Range RangeOf(ReviewQueueQuery q)
    {
        var (scope, cityScope) = q.Scope switch
        {
            ReviewerScope.City c => (ReviewQueueRows.CityScope(c.Code), ReviewQueueRows.CityScope(c.Code)),
            _ => (ReviewQueueRows.ProvinceScope, q.City is { } city ? ReviewQueueRows.ProvinceCityScope(city) : ReviewQueueRows.ProvinceScope),
        };
        var byProvinceCity = q.Scope is ReviewerScope.Province && q.City is not null;
        var from = q.SubmittedFrom is { } f ? ReviewQueueRows.TicksOf(f) : "";
        var to = q.SubmittedBefore is { } b ? ReviewQueueRows.TicksOf(b) : null;
        var datesFree = q.SubmittedFrom is null && q.SubmittedBefore is null;
        // The province's late city stages are few: its name and city filters are checked on them.
        if (q.Escalated == true)
            return new(ReviewQueueRows.Escalated(scope), from, to, q.Kind is null && q.Overdue is null && q.Name is null && !byProvinceCity);
        // A city's reviewers may ask for what was not reported: checked on the rows (few are).
        var escalatedFree = q.Escalated is null || q.Scope is ReviewerScope.Province;
        // A name's range holds what starts with it: nearly all match (for who sees names masked, only whole names do).
        if (q.Name is { } name)
            return new(ReviewQueueRows.Names(scope), name, ReviewQueueRows.After(name),
                q.Kind is null && q.Overdue is null && datesFree && escalatedFree && !byProvinceCity);
        if (q.Overdue is { } overdue)
        {
            var now = ReviewQueueRows.TicksOf(q.Now.AddTicks(1));
            return new(ReviewQueueRows.Due(cityScope), overdue ? "" : now, overdue ? now : null, q.Kind is null && datesFree && escalatedFree);
        }
        if (q.Kind is { } kind) return new(ReviewQueueRows.QueueOfKind(cityScope, kind), from, to, escalatedFree);
        return new(ReviewQueueRows.Queue(cityScope), from, to, escalatedFree);
    }

    /// <summary>A page of the queue from <paramref name="cursor"/> on (null: the first).</summary>
    public async Task<QueuePage> PageAsync(ReviewQueueQuery q, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var range = RangeOf(q);
        var upper = range.To is null ? range.Prefix[..^1] + "}" : range.Prefix + range.To;
        // Partition, lower bound, upper bound: the order of every range filter of the registry (RegistryRows.RangeFilter).
        var filter = cursor is null
            ? RegistryRows.RangeFilter(range.Prefix + range.From, upper)
            : TableClient.CreateQueryFilter($"PartitionKey eq {RegistryRows.Partition} and RowKey gt {KeyOfCursor(cursor)} and RowKey lt {upper}");
        var perRequest = range.Exact ? limit + 1 : 1000;
        var found = new List<(string Key, ApplicationSummary Line)>();
        string? lastExamined = null;
        var examined = 0;
        var more = false;
        await foreach (var page in account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: perRequest, cancellationToken: cancellationToken).AsPages(pageSizeHint: perRequest))
        {
            foreach (var row in page.Values)
            {
                examined++;
                lastExamined = row.RowKey;
                var line = ApplicationIndex.FromEntity(row);
                if (q.Matches(line)) found.Add((row.RowKey, line));
                if (found.Count > limit) break;
            }
            more = page.ContinuationToken is not null;
            if (found.Count > limit || examined >= MaxExamined) break;
        }
        if (found.Count > limit) return new(found.Take(limit).Select(f => f.Line).ToList(), CursorOf(found[limit - 1].Key));
        // Stopped at the cap with rows left to examine: the next page goes on from the last row examined.
        var next = more && examined >= MaxExamined && lastExamined is not null ? CursorOf(lastExamined) : null;
        return new(found.Select(f => f.Line).ToList(), next);
    }

    /// <summary>Whether <paramref name="cursor"/> is one a page of this query handed out (a row key of its range, base64url).</summary>
    public static bool IsCursorOf(ReviewQueueQuery q, string? cursor)
    {
        if (cursor is null) return true;
        var key = TryKeyOfCursor(cursor);
        return key is not null && key.StartsWith(RangeOf(q).Prefix, StringComparison.Ordinal);
    }

    /// <summary>The application with this id, if it is in the answer: one read of its rows.</summary>
    public async Task<QueuePage> ByIdAsync(ReviewQueueQuery q, string applicationId, CancellationToken cancellationToken = default)
    {
        var stored = await applications.LoadAsync(applicationId, cancellationToken);
        var line = stored is null || stored.State.Status == ApplicationStatus.None ? null : lists.SummaryOf(stored.State);
        return new(line is not null && q.Matches(line) ? [line] : [], null);
    }

    /// <summary>
    /// The application open about this certificate (in any spelling), if it is in the answer: the
    /// certificate's claim names it (a batch reissue's too, whichever line), then one read of its rows.
    /// </summary>
    public async Task<QueuePage> ByCertificateAsync(ReviewQueueQuery q, string number, CancellationToken cancellationToken = default)
    {
        var claim = await certificates.GetClaimAsync(CertificateNumbers.Written(number), cancellationToken);
        return claim is null ? new([], null) : await ByIdAsync(q, claim.ApplicationId, cancellationToken);
    }

    /// <summary>The applications of one holder (by ID number) that are in the answer: one range of the holder's list.</summary>
    public async Task<QueuePage> ByHolderAsync(ReviewQueueQuery q, string idNumber, CancellationToken cancellationToken = default)
    {
        var filter = RegistryRows.PrefixFilter(new ApplicationIndex.Scope.Holder(account.PersonalKey(idNumber)).Prefix);
        var found = new List<ApplicationSummary>();
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            if (ApplicationIndex.FromEntity(row) is var line && q.Matches(line)) found.Add(line);
        // The holder's list is newest first; a queue reads oldest submission first.
        return new(found.OrderBy(l => l.SubmittedAt).ThenBy(l => l.Id, StringComparer.Ordinal).ToList(), null);
    }

    /// <summary>What is past due in the scope's queue, and the late city stages reported to it, per city: two key ranges, read side by side.</summary>
    public async Task<QueueFlags> FlagsAsync(ReviewerScope scope, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var name = scope is ReviewerScope.City c ? ReviewQueueRows.CityScope(c.Code) : ReviewQueueRows.ProvinceScope;
        var overdue = CountByCityAsync(ReviewQueueRows.Due(name), ReviewQueueRows.TicksOf(now.AddTicks(1)), cancellationToken);
        var escalated = CountByCityAsync(ReviewQueueRows.Escalated(name), null, cancellationToken);
        return new QueueFlags(await overdue, await escalated);
    }

    private async Task<IReadOnlyDictionary<string, int>> CountByCityAsync(string prefix, string? to, CancellationToken cancellationToken)
    {
        var filter = to is null ? RegistryRows.PrefixFilter(prefix) : RegistryRows.RangeFilter(prefix, prefix + to);
        var counts = new Dictionary<string, int>();
        // Queue rows always carry the city that handles the stage: nothing else of the row is read.
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["ReviewCityCode"], cancellationToken: cancellationToken))
        {
            var city = ReviewQueueRows.CityOf(row.GetString("ReviewCityCode") ?? "");
            counts[city] = counts.GetValueOrDefault(city) + 1;
        }
        return counts;
    }

    private static string CursorOf(string rowKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string KeyOfCursor(string cursor) => TryKeyOfCursor(cursor) ?? throw new ArgumentException("not a cursor", nameof(cursor));

    private static string? TryKeyOfCursor(string cursor)
    {
        if (cursor.Length is 0 or > 1400) return null;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        try
        {
            var key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(base64));
            return key.StartsWith("l|", StringComparison.Ordinal) && !key.Any(char.IsControl) ? key : null;
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }
}
