using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Functions.Storage;

/// <summary>One SMS parked as failed, as the admin's list shows it (the phone masked).</summary>
public sealed record SmsFailure(
    string ApplicationId, string MessageId, SmsTemplate Template, string To, int Attempts, int Resends, string? LastError, DateTimeOffset FailedAt, bool Uncertain);

/// <summary>
/// The SMS parked as failed across every application, the latest failure first: one row
/// <c>l|sms-failed|{inverted ticks of the failing attempt}|{message id}</c> per parked SMS, written in
/// the same entity-group transaction as the status row that parks it and deleted in the one that
/// resends it (ADR 0026). An admin's list is one key range, however many applications there are.
/// </summary>
public sealed class SmsFailureIndex(StorageAccount account)
{
    private const string Prefix = "l|sms-failed|";

    /// <summary>The index row key of a parked SMS (its failing attempt is its last one, which it keeps while parked).</summary>
    public static string KeyOf(SmsDelivery d) =>
        $"{Prefix}{DateTimeOffset.MaxValue.UtcTicks - (d.LastAttemptAt ?? DateTimeOffset.MinValue).UtcTicks:D19}|{d.MessageId}";

    /// <summary>The index row of a parked SMS: what the list shows, no unmasked personal data.</summary>
    public static TableEntity RowOf(SmsDelivery d) => new(RegistryRows.Partition, KeyOf(d))
    {
        ["ApplicationId"] = d.ApplicationId, ["MessageId"] = d.MessageId, ["Template"] = d.Effect.Message.Template.ToString(),
        ["To"] = Masking.Phone(d.Effect.Phone), ["Attempts"] = d.Attempts, ["Resends"] = d.Resends, ["LastError"] = d.LastError,
        ["FailedAt"] = d.LastAttemptAt, ["Uncertain"] = d.Uncertain,
    };

    /// <summary>The index row written with a status row: the failure's row when it parks the SMS, else none.</summary>
    public static TableTransactionAction? ActionFor(SmsDelivery saved) =>
        saved.Status == SmsDeliveryStatus.Failed ? new(TableTransactionActionType.UpsertReplace, RowOf(saved)) : null;

    /// <summary>The delete of a parked SMS's index row, for the resend's transaction; null when it has none (parked before the index existed).</summary>
    public async Task<TableTransactionAction?> DeleteActionAsync(SmsDelivery parked, CancellationToken cancellationToken)
    {
        var key = KeyOf(parked);
        var row = await account.Applications.GetEntityIfExistsAsync<TableEntity>(RegistryRows.Partition, key, ["MessageId"], cancellationToken);
        return row.HasValue ? new(TableTransactionActionType.Delete, new TableEntity(RegistryRows.Partition, key), row.Value!.ETag) : null;
    }

    /// <summary>
    /// Writes the index rows of the parked SMS among <paramref name="deliveries"/> (the index rebuild); returns
    /// how many. Each row goes in one transaction with a merge of its status row that changes nothing but is
    /// conditional on the ETag it was read with: an SMS resent since it was read is not listed again.
    /// </summary>
    public async Task<int> EnsureAsync(IEnumerable<SmsDelivery> deliveries, CancellationToken cancellationToken)
    {
        var listed = 0;
        foreach (var parked in deliveries.Where(d => d.Status == SmsDeliveryStatus.Failed))
        {
            var unchanged = new TableEntity(RegistryRows.Partition, SmsDelivery.StoredKeyOf(parked.ApplicationId, parked.OutboxKey)) { ["Status"] = parked.Status.ToString() };
            try
            {
                await account.Applications.SubmitTransactionAsync(
                    [new(TableTransactionActionType.UpdateMerge, unchanged, parked.ETag), new(TableTransactionActionType.UpsertReplace, RowOf(parked))], cancellationToken);
                listed++;
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
            {
                // Resent (or otherwise changed) since it was read: its own transactions keep the list.
            }
        }
        return listed;
    }

    /// <summary>
    /// Deletes the rows whose SMS is no longer parked under that key (the index rebuild), however they came
    /// to be left (a resend by a version before the list, a row written by hand); returns how many.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var pruned = 0;
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(RegistryRows.PrefixFilter(Prefix), select: ["RowKey", "ApplicationId", "MessageId"], cancellationToken: cancellationToken))
        {
            var (applicationId, messageId) = (row.GetString("ApplicationId"), row.GetString("MessageId"));
            var outboxKey = messageId.StartsWith(applicationId + "-", StringComparison.Ordinal) ? messageId[(applicationId.Length + 1)..] : "";
            if (outboxKey.Length > 1
                && (await account.Applications.GetEntityIfExistsAsync<TableEntity>(RegistryRows.Partition, SmsDelivery.StoredKeyOf(applicationId, outboxKey), cancellationToken: cancellationToken))
                    is { HasValue: true } status
                && SmsDeliveryStore.FromEntity(status.Value!) is { Status: SmsDeliveryStatus.Failed } parked
                && KeyOf(parked) == row.RowKey)
                continue;
            try
            {
                await account.Applications.DeleteEntityAsync(RegistryRows.Partition, row.RowKey, row.ETag, cancellationToken);
                pruned++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted or rewritten meanwhile.
            }
        }
        return pruned;
    }

    /// <summary>One page of the parked SMS, the latest failure first: one key range.</summary>
    public async Task<Page<SmsFailure>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var pages = account.Applications.QueryAsync<TableEntity>(RegistryRows.PrefixFilter(Prefix), maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(string.IsNullOrEmpty(continuationToken) ? null : continuationToken, pageSize);
        try
        {
            await foreach (var page in pages)
                return new Page<SmsFailure>(page.Values.Select(FromEntity).ToList(), page.ContinuationToken);
        }
        catch (RequestFailedException e) when (e.Status == 400 && !string.IsNullOrEmpty(continuationToken))
        {
            // A made-up token storage does not accept ends the list: the filter keeps it inside the failures anyway.
        }
        return new Page<SmsFailure>([], null);
    }

    private static SmsFailure FromEntity(TableEntity e) => new(
        e.GetString("ApplicationId"), e.GetString("MessageId"), Enum.Parse<SmsTemplate>(e.GetString("Template")), e.GetString("To"),
        e.GetInt32("Attempts") ?? 0, e.GetInt32("Resends") ?? 0, e.GetString("LastError"), e.GetDateTimeOffset("FailedAt") ?? default, e.GetBoolean("Uncertain") ?? false);
}
