using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Storage;

/// <summary>One application's workflow instance as stored: its events, its pending side effects and the head's ETag.</summary>
public sealed record StoredApplication(ApplicationState State, IReadOnlyList<ApplicationEvent> History, IReadOnlyList<PendingSideEffect> Outbox, ETag ETag)
{
    /// <summary>Its SMS and where each stands (status rows).</summary>
    public IReadOnlyList<SmsDelivery> Sms { get; init; } = [];

    /// <summary>Hash of the last history row (the tip of the audit chain); "" before the first event.</summary>
    public string ChainTip { get; init; } = "";

    /// <summary>The list, queue and timer rows last written for it (named on the head, so the next transition replaces exactly these).</summary>
    public IReadOnlyList<string> Projected { get; init; } = [];

    /// <summary>What the review counters count it as (<see cref="ReviewCounters.KeyOf"/>, named on the head); "" when nothing, as for heads written before the counters.</summary>
    public string Counted { get; init; } = "";
}

/// <summary>The outcome of checking an application's audit chain; <paramref name="State"/> is the fold of the rows that could be read.</summary>
public sealed record HistoryVerification(bool Intact, int? BrokenAt, ApplicationState State);

/// <summary>What a dispatch leaves to record: SMS outcomes, outbox rows done, safety-net timers with nothing left, timers that move.</summary>
public sealed record Completion(IReadOnlyList<SmsDelivery> Sms, IReadOnlyList<string> Done, IReadOnlyList<string> SafetyNetsGone, IReadOnlyList<SafetyNetMove> Moves);

/// <summary>A safety-net timer moving from row <paramref name="From"/> to <paramref name="To"/>, with the outbox rows it covers.</summary>
public sealed record SafetyNetMove(string From, TimerIndex.Timer To, IReadOnlyList<string> OutboxKeys);

/// <summary>A side effect committed with a transition and not yet carried out.</summary>
public sealed record PendingSideEffect(string RowKey, SideEffect Effect)
{
    /// <summary>The row key of the safety-net timer that covers it (<see cref="TimerIndex"/>), if any.</summary>
    public string? SafetyNet { get; init; }

    /// <summary>The version of the transition that committed it (row key <c>o{version:D5}-{n}</c>).</summary>
    public int Version => int.Parse(RowKey.AsSpan(1, 5), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The workflow instances on Table storage, in the registry's one partition
/// (<see cref="RegistryRows"/>). Rows of an application <c>a|{id}|…</c>: <c>head</c> (status,
/// version: the concurrency token), <c>e00001…</c> (the history, one row per event),
/// <c>o00001-0…</c> (the outbox), <c>s00001-0…</c> (the status of an SMS of the outbox, kept after
/// it is sent or parked; see <see cref="SmsDeliveryStore"/>), <c>u-…</c> (single-use markers, e.g. of a
/// used review link). A transition writes head, events, outbox rows, markers and the application's
/// list, queue and timer rows (<see cref="ApplicationIndex"/>, <see cref="TimerIndex"/>) in one
/// entity-group transaction, conditional on the head's ETag: all or nothing, and two concurrent
/// writers cannot both win. The current state is the fold of the history; the head carries only
/// what a glance needs and the keys of the rows projected from it.
/// Each history row carries <c>Hash</c> = SHA-256(previous row's hash + Type + Data; a long Data continues in
/// further properties, <see cref="RowData"/>), and the
/// head the last one (<c>ChainTip</c>): an edit behind the API's back breaks the chain.
/// </summary>
public sealed class ApplicationStore(StorageAccount account, ApplicationIndex index, TimerIndex timers, ApplicationCache cache)
{
    private const string Head = "head";
    private static readonly Dictionary<string, Type> EventTypes = typeof(ApplicationEvent).GetNestedTypes().ToDictionary(t => t.Name);
    private static readonly Dictionary<string, Type> EffectTypes = typeof(SideEffect).GetNestedTypes().ToDictionary(t => t.Name);

    /// <summary>The application as this process last read or committed it, or null: possibly stale, so only to commit on, conditional on its ETag.</summary>
    public StoredApplication? InHand(string applicationId) => cache.Get(applicationId);

    /// <summary>Keeps an application as it stands after a dispatch (with its SMS as they now stand).</summary>
    public void Remember(StoredApplication stored)
    {
        if (stored.State.Status == ApplicationStatus.None) cache.Forget(stored.State.Id);
        else cache.Keep(stored);
    }

    /// <summary>Loads an application in one query of its key range, or null.</summary>
    public async Task<StoredApplication?> LoadAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        if (!ApplicationIds.IsWellFormed(applicationId)) return null;
        ETag? etag = null;
        var tip = "";
        var history = new List<ApplicationEvent>();
        var outbox = new List<PendingSideEffect>();
        var sms = new List<SmsDelivery>();
        IReadOnlyList<string> projected = [];
        var counted = "";
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(RegistryRows.ApplicationFilter(applicationId), cancellationToken: cancellationToken))
        {
            var key = RegistryRows.LocalKey(row.RowKey);
            if (key == Head) (etag, tip, projected, counted) = (row.ETag, row.GetString("ChainTip") ?? "", ProjectedKeys(row), row.GetString("Counted") ?? "");
            else if (key[0] == 'e') history.Add((ApplicationEvent)Deserialize(row, EventTypes));
            else if (key[0] == 'o') outbox.Add(new PendingSideEffect(key, (SideEffect)Deserialize(row, EffectTypes)) { SafetyNet = row.GetString("SafetyNet") });
            else if (key[0] == 's') sms.Add(SmsDeliveryStore.FromEntity(row));
        }
        if (etag is null)
        {
            cache.Forget(applicationId);
            return null;
        }
        var stored = new StoredApplication(ApplicationState.From(history), history, outbox, etag.Value) { Sms = sms, ChainTip = tip, Projected = projected, Counted = counted };
        cache.Keep(stored);
        return stored;
    }

    /// <summary>Every application's id, in key order: one pass over the applications' rows (for an admin's rebuild, not for a request's path).</summary>
    public async IAsyncEnumerable<string> ApplicationIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(RegistryRows.PrefixFilter("a|"), select: ["RowKey"], cancellationToken: cancellationToken))
            if (RegistryRows.LocalKey(row.RowKey) == Head) yield return RegistryRows.ApplicationIdOf(row.RowKey);
    }

    /// <summary>
    /// Recomputes the audit chain from the stored rows as they are: every history row must be
    /// present in sequence and carry the hash of its content chained to the previous one, and
    /// the head must name the last. <c>BrokenAt</c> is the version of the first row that fails.
    /// </summary>
    public async Task<HistoryVerification?> VerifyHistoryAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        if (!ApplicationIds.IsWellFormed(applicationId)) return null;
        TableEntity? head = null;
        var rows = new List<TableEntity>();
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(RegistryRows.ApplicationFilter(applicationId), cancellationToken: cancellationToken))
        {
            var key = RegistryRows.LocalKey(row.RowKey);
            if (key == Head) head = row;
            else if (key[0] == 'e') rows.Add(row);
        }
        if (head is null) return null;
        int? brokenAt = null;
        var previous = "";
        var state = ApplicationState.Initial;
        foreach (var (row, n) in rows.Select((r, i) => (r, i + 1)))
        {
            var expected = AuditChain.Next(previous, row.GetString("Type") ?? "", RowData.Read(row) ?? "");
            if (RegistryRows.LocalKey(row.RowKey) != EventRowKey(n) || row.GetString("Hash") != expected) { brokenAt = n; break; }
            previous = expected;
            try { state = ApplicationState.Evolve(state, (ApplicationEvent)Deserialize(row, EventTypes)); }
            catch (Exception e) when (e is JsonException or KeyNotFoundException) { brokenAt = n; break; }
        }
        // A missing last row, or a head that names another tip, breaks the chain after the rows that are intact.
        if (brokenAt is null && (head.GetString("ChainTip") != previous || head.GetInt32("Version") != rows.Count)) brokenAt = rows.Count + 1;
        return new HistoryVerification(brokenAt is null, brokenAt, state);
    }

    /// <summary>
    /// Appends events and their side effects atomically to <paramref name="current"/> (null for a
    /// new application), with an optional single-use marker row: a marker that exists already
    /// makes the whole append fail, as a concurrent writer does. The application's list, queue and
    /// timer rows are brought in line with the new state in the same transaction (with no events,
    /// only they are: a repair), and so is the status row of each SMS it commits
    /// (<paramref name="smsStatus"/>), whose ETag the dispatch that follows the commit claims it by,
    /// and the safety-net timer of its side effects, due at <paramref name="safetyNetAt"/>. Returns the
    /// application as committed (new head ETag, the new outbox rows), or null when someone else wrote first.
    /// </summary>
    public async Task<StoredApplication?> TryAppendAsync(StoredApplication? current, IReadOnlyList<ApplicationEvent> events, IReadOnlyList<SideEffect> effects,
        DateTimeOffset safetyNetAt = default, Func<PendingSideEffect, SideEffect.SendSms, SmsDelivery>? smsStatus = null, string? useMarker = null,
        CancellationToken cancellationToken = default)
    {
        var before = current?.State ?? ApplicationState.Initial;
        var after = events.Aggregate(before, ApplicationState.Evolve);
        var id = after.Id;
        var tip = current?.ChainTip ?? "";
        var rows = new List<TableEntity>();
        var version = before.Version;
        foreach (var e in events)
        {
            var row = Serialize(id, EventRowKey(++version), e);
            tip = AuditChain.Next(tip, row.GetString("Type"), RowData.Read(row)!);
            row["Hash"] = tip;
            rows.Add(row);
        }
        // A reading (a document opened) changes nothing the list, queue and timer rows hold: they stay,
        // and the append is the head and one history row.
        var readingOnly = current is not null && events.Count > 0 && events.All(e => e.IsReading);
        var projected = readingOnly ? new List<TableEntity>() : index.RowsOf(after).Concat(timers.RowsOf(after)).ToList();
        var projectedKeys = readingOnly ? current!.Projected : projected.Select(r => r.RowKey).ToList();
        var head = Row(id, Head);
        head["Status"] = after.Status.ToString();
        head["Version"] = after.Version;
        head["Kind"] = after.Kind.ToString();
        head["CertificateNumber"] = after.CertificateNumber;
        head["CityCode"] = after.CityCode;
        head["ChainTip"] = tip;
        head["Projected"] = string.Join('\n', projectedKeys);
        var counted = ReviewCounters.KeyOf(after);
        head["Counted"] = counted;
        var batch = new List<TableTransactionAction>
        {
            current is null ? new(TableTransactionActionType.Add, head) : new(TableTransactionActionType.UpdateReplace, head, current.ETag),
        };
        batch.AddRange(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        // The review counters move with the status, in this transaction: once per commit (ADR 0024).
        batch.AddRange(ReviewCounters.DeltaRows(current?.Counted ?? "", counted, id, after.Version).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        var safetyNet = effects.Count > 0 ? new TimerIndex.Timer(id, safetyNetAt, after.Version) : null;
        if (safetyNet is not null) batch.Add(new(TableTransactionActionType.Add, safetyNet.ToEntity()));
        var outbox = effects.Select((effect, n) => new PendingSideEffect($"o{after.Version:D5}-{n}", effect) { SafetyNet = safetyNet?.RowKey }).ToList();
        foreach (var pending in outbox)
            batch.Add(new(TableTransactionActionType.Add, OutboxRow(id, pending)));
        var smsRows = smsStatus is null ? [] : outbox.Where(p => p.Effect is SideEffect.SendSms).Select(p => smsStatus(p, (SideEffect.SendSms)p.Effect)).ToList();
        var firstSmsRow = batch.Count;
        batch.AddRange(smsRows.Select(d => new TableTransactionAction(TableTransactionActionType.Add, SmsDeliveryStore.ToEntity(d))));
        if (useMarker is not null)
        {
            var marker = Row(id, MarkerRowKey(useMarker));
            marker["Version"] = after.Version;
            batch.Add(new(TableTransactionActionType.Add, marker));
        }
        // Rows of the state before that the state after no longer has go; the rest are (re)written.
        var keep = projectedKeys.ToHashSet(StringComparer.Ordinal);
        batch.AddRange((current?.Projected ?? []).Where(k => !keep.Contains(k))
            .Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(RegistryRows.Partition, k), ETag.All)));
        batch.AddRange(projected.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
        try
        {
            var responses = (await account.Applications.SubmitTransactionAsync(batch, cancellationToken)).Value;
            var sms = (current?.Sms ?? []).Concat(smsRows.Select((d, n) => d with { ETag = StoredETag.Of(responses[firstSmsRow + n]) })).ToList();
            var committed = new StoredApplication(after, [.. current?.History ?? [], .. events], outbox, StoredETag.Of(responses[0]))
            {
                Sms = sms, ChainTip = tip, Projected = projectedKeys, Counted = counted,
            };
            cache.Keep(committed);
            return committed;
        }
        // 409/412: another commit came first. 404 on the head: the draft was deleted meanwhile
        // (a copy in hand can outlive it). Either way the caller decides again on what is stored.
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 || (e.Status == 404 && e.FailedTransactionActionIndex == 0))
        {
            cache.Forget(id);
            return null;
        }
    }


    /// <summary>Whether a single-use marker was recorded for an application.</summary>
    public async Task<bool> HasMarkerAsync(string applicationId, string useMarker, CancellationToken cancellationToken = default) =>
        ApplicationIds.IsWellFormed(applicationId)
        && (await account.Applications.GetEntityIfExistsAsync<TableEntity>(RegistryRows.Partition, RegistryRows.OfApplication(applicationId, MarkerRowKey(useMarker)), ["Version"], cancellationToken)).HasValue;

    /// <summary>
    /// Records what a dispatch did in one transaction: each SMS status row replaced only if still as
    /// claimed (its ETag) with the failure list's row of one it parks, the done outbox rows and the safety-net timers with nothing left deleted,
    /// moved timers re-keyed together with the outbox rows they cover. Returns the saved status
    /// rows, or null when any condition failed (a claim lost, a row gone) and nothing was written.
    /// </summary>
    public async Task<IReadOnlyList<SmsDelivery>?> TryCompleteAsync(string applicationId, Completion completion, CancellationToken cancellationToken = default)
    {
        var batch = completion.Sms.Select(d => new TableTransactionAction(TableTransactionActionType.UpdateReplace, SmsDeliveryStore.ToEntity(d), d.ETag))
            .Concat(completion.Done.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, Row(applicationId, k), ETag.All)))
            .Concat(completion.SafetyNetsGone.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(RegistryRows.Partition, k), ETag.All)))
            .Concat(completion.Moves.SelectMany(m => MoveActions(applicationId, m)))
            .Concat(completion.Sms.Select(SmsFailureIndex.ActionFor).OfType<TableTransactionAction>()) // a parked SMS joins the failure list
            .ToList();
        if (batch.Count == 0) return [];
        if (batch.Count > 100) return null;
        try
        {
            var responses = (await account.Applications.SubmitTransactionAsync(batch, cancellationToken)).Value;
            return completion.Sms.Select((d, n) => d with { ETag = StoredETag.Of(responses[n]) }).ToList();
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    /// <summary>What <see cref="TryCompleteAsync"/> does, one row at a time and tolerating rows already gone (SMS outcomes are saved by the caller).</summary>
    public async Task CompleteOneByOneAsync(string applicationId, Completion completion, CancellationToken cancellationToken = default)
    {
        foreach (var key in completion.Done) await DeleteIfPresentAsync(RegistryRows.OfApplication(applicationId, key), cancellationToken);
        foreach (var key in completion.SafetyNetsGone) await DeleteIfPresentAsync(key, cancellationToken);
        foreach (var move in completion.Moves)
        {
            // The new timer first: a crash in between leaves two timers, never none.
            await account.Applications.UpsertEntityAsync(move.To.ToEntity(), TableUpdateMode.Replace, cancellationToken);
            foreach (var key in move.From == move.To.RowKey ? [] : move.OutboxKeys)
            {
                try { await account.Applications.UpdateEntityAsync(SafetyNetOf(applicationId, key, move.To), ETag.All, TableUpdateMode.Merge, cancellationToken); }
                catch (RequestFailedException e) when (e.Status == 404) { } // done by another dispatcher meanwhile; the timer then finds nothing and goes
            }
            if (move.From != move.To.RowKey) await DeleteIfPresentAsync(move.From, cancellationToken);
        }
    }

    private static IEnumerable<TableTransactionAction> MoveActions(string applicationId, SafetyNetMove move) => move.From == move.To.RowKey
    ? [new(TableTransactionActionType.UpsertReplace, move.To.ToEntity())] // same time: only its failure count changes
    : [
        new(TableTransactionActionType.Delete, new TableEntity(RegistryRows.Partition, move.From), ETag.All),
        new(TableTransactionActionType.Add, move.To.ToEntity()),
        .. move.OutboxKeys.Select(k => new TableTransactionAction(TableTransactionActionType.UpdateMerge, SafetyNetOf(applicationId, k, move.To), ETag.All)),
    ];

    private static TableEntity SafetyNetOf(string applicationId, string outboxKey, TimerIndex.Timer timer)
    {
        var row = Row(applicationId, outboxKey);
        row["SafetyNet"] = timer.RowKey;
        return row;
    }

    private async Task DeleteIfPresentAsync(string rowKey, CancellationToken cancellationToken)
    {
        try { await account.Applications.DeleteEntityAsync(RegistryRows.Partition, rowKey, ETag.All, cancellationToken); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>
    /// Removes a deleted draft entirely (its history included: a draft is not a record; its list
    /// rows went with the deletion), with its markers and unfinished direct uploads.
    /// </summary>
    public async Task DeleteApplicationAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        cache.Forget(applicationId);
        var actions = new List<TableTransactionAction>();
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(RegistryRows.ApplicationFilter(applicationId), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            actions.Add(new(TableTransactionActionType.Delete, row, ETag.All));
        foreach (var chunk in actions.Chunk(100))
            await account.Applications.SubmitTransactionAsync(chunk, cancellationToken);
    }

    /// <summary>The row of an outbox entry (also written when an admin resends a parked SMS).</summary>
    internal static TableEntity OutboxRow(string applicationId, PendingSideEffect pending)
    {
        var row = Serialize(applicationId, pending.RowKey, pending.Effect);
        row["SafetyNet"] = pending.SafetyNet;
        return row;
    }

    private static string EventRowKey(int version) => $"e{version:D5}";

    private static string MarkerRowKey(string marker) => "u-" + marker;

    private static TableEntity Row(string id, string localKey) => new(RegistryRows.Partition, RegistryRows.OfApplication(id, localKey));

    private static IReadOnlyList<string> ProjectedKeys(TableEntity head) =>
        head.GetString("Projected") is { Length: > 0 } keys ? keys.Split('\n') : [];

    internal static TableEntity Serialize(string id, string localKey, object value)
    {
        var row = Row(id, localKey);
        row["Type"] = value.GetType().Name;
        RowData.Write(row, JsonSerializer.Serialize(value, value.GetType(), Json.Options));
        return row;
    }

    private static object Deserialize(TableEntity row, Dictionary<string, Type> types) =>
        JsonSerializer.Deserialize(RowData.Read(row)!, types[row.GetString("Type")], Json.Options)!;
}
