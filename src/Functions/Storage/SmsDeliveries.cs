using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Serialization;

namespace FuncRegistry.Functions.Storage;

/// <summary>Where one SMS stands.</summary>
public enum SmsDeliveryStatus
{
    /// <summary>Not sent yet: waiting for its (next) attempt, or being sent.</summary>
    Pending,
    /// <summary>Accepted by the gateway.</summary>
    Sent,
    /// <summary>Parked after its last allowed attempt or a permanent refusal; an admin may resend it.</summary>
    Failed,
}

/// <summary>
/// One SMS of an application and where it stands, kept as a status row (<c>s00005-1</c> for the
/// outbox row <c>o00005-1</c>) among the application's rows. Its ETag is the claim: a dispatcher
/// sends only after an ETag-conditional update that took the claim, so of two dispatchers (the
/// one right after the commit and a sweep's, or two instances') exactly one sends.
/// </summary>
public sealed record SmsDelivery
{
    /// <summary>The application.</summary>
    public required string ApplicationId { get; init; }
    /// <summary>The outbox row the SMS came from, e.g. <c>o00005-1</c>.</summary>
    public required string OutboxKey { get; init; }
    /// <summary>What to send.</summary>
    public required SideEffect.SendSms Effect { get; init; }
    /// <summary>Where it stands.</summary>
    public SmsDeliveryStatus Status { get; init; }
    /// <summary>Attempts since it was committed or last resent.</summary>
    public int Attempts { get; init; }
    /// <summary>How often an admin resent it.</summary>
    public int Resends { get; init; }
    /// <summary>The gateway's id of the accepted message.</summary>
    public string? GatewayMessageId { get; init; }
    /// <summary>The last failure (no personal data).</summary>
    public string? LastError { get; init; }
    /// <summary>When the last attempt started.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }
    /// <summary>When the next attempt is due (pending after a failure).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    /// <summary>When the gateway accepted it.</summary>
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>When the first attempt (since the last resend) started: gateways' idempotency window.</summary>
    public DateTimeOffset? FirstSentAt { get; init; }
    /// <summary>Until when a dispatcher holds the claim; null when nobody is sending.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }
    /// <summary>The last attempt ended without a definite answer: the gateway may have accepted it.</summary>
    public bool Uncertain { get; init; }
    /// <summary>The admin who last resent it.</summary>
    public string? ResentBy { get; init; }
    /// <summary>When it was last resent.</summary>
    public DateTimeOffset? ResentAt { get; init; }
    /// <summary>The status row's ETag (default for one not stored yet).</summary>
    public ETag ETag { get; init; }

    /// <summary>The stable id of this SMS (shown on the application, named by the resend endpoint).</summary>
    public string MessageId => $"{ApplicationId}-{OutboxKey}";

    /// <summary>The id the gateway sees: the message id, or a new one per admin resend (a resend is a new message).</summary>
    public string GatewayRequestId => Resends == 0 ? MessageId : $"{MessageId}-r{Resends}";

    /// <summary>A new pending SMS for an outbox row.</summary>
    public static SmsDelivery For(string applicationId, PendingSideEffect pending, SideEffect.SendSms effect) =>
        new() { ApplicationId = applicationId, OutboxKey = pending.RowKey, Effect = effect };

    /// <summary>The status row key of an outbox row key.</summary>
    public static string RowKeyOf(string outboxKey) => "s" + outboxKey[1..];

    /// <summary>The status row's key in the registry partition, e.g. <c>a|SQ…|s00005-1</c>.</summary>
    public static string StoredKeyOf(string applicationId, string outboxKey) => RegistryRows.OfApplication(applicationId, RowKeyOf(outboxKey));
}

/// <summary>Reads and writes SMS status rows; every write is conditional on the row's ETag.</summary>
public sealed class SmsDeliveryStore(StorageAccount account, SmsFailureIndex failures)
{
    /// <summary>The status row of an outbox row, or null.</summary>
    public async Task<SmsDelivery?> GetAsync(string applicationId, string outboxKey, CancellationToken cancellationToken = default)
    {
        var row = await account.Applications.GetEntityIfExistsAsync<TableEntity>(
            RegistryRows.Partition, SmsDelivery.StoredKeyOf(applicationId, outboxKey), cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Adds a status row that does not exist yet; null when another dispatcher added it first.</summary>
    public async Task<SmsDelivery?> TryAddAsync(SmsDelivery delivery, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await account.Applications.AddEntityAsync(ToEntity(delivery), cancellationToken);
            return delivery with { ETag = StoredETag.Of(response) };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces the row if unchanged since <see cref="SmsDelivery.ETag"/>, together with the failure
    /// list's row when it parks the SMS (one transaction); null when someone else changed it.
    /// </summary>
    public async Task<SmsDelivery?> TryReplaceAsync(SmsDelivery delivery, CancellationToken cancellationToken = default)
    {
        try
        {
            if (SmsFailureIndex.ActionFor(delivery) is not { } listed)
            {
                var response = await account.Applications.UpdateEntityAsync(ToEntity(delivery), delivery.ETag, TableUpdateMode.Replace, cancellationToken);
                return delivery with { ETag = StoredETag.Of(response) };
            }
            var responses = (await account.Applications.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(delivery), delivery.ETag), listed], cancellationToken)).Value;
            return delivery with { ETag = StoredETag.Of(responses[0]) };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Puts a parked SMS back to pending and its outbox row back in place with the safety-net timer
    /// that covers it, and takes it off the failure list, in one entity-group transaction conditional
    /// on the status row's ETag. False
    /// when it changed meanwhile.
    /// </summary>
    public async Task<bool> TryResendAsync(SmsDelivery parked, SmsDelivery resent, TimerIndex.Timer safetyNet, CancellationToken cancellationToken = default)
    {
        var outboxRow = ApplicationStore.OutboxRow(resent.ApplicationId, new PendingSideEffect(resent.OutboxKey, resent.Effect) { SafetyNet = safetyNet.RowKey });
        var unlisted = await failures.DeleteActionAsync(parked, cancellationToken);
        try
        {
            await account.Applications.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(resent), resent.ETag),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, outboxRow),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, safetyNet.ToEntity()),
                .. unlisted is null ? [] : new[] { unlisted },
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404 or 409)
        {
            return false;
        }
    }

    internal static TableEntity ToEntity(SmsDelivery d) => new(RegistryRows.Partition, SmsDelivery.StoredKeyOf(d.ApplicationId, d.OutboxKey))
    {
        ["OutboxKey"] = d.OutboxKey,
        ["Data"] = JsonSerializer.Serialize(d.Effect, Json.Options),
        ["Status"] = d.Status.ToString(),
        ["Attempts"] = d.Attempts,
        ["Resends"] = d.Resends,
        ["GatewayMessageId"] = d.GatewayMessageId,
        ["LastError"] = d.LastError,
        ["LastAttemptAt"] = d.LastAttemptAt,
        ["NextAttemptAt"] = d.NextAttemptAt,
        ["SentAt"] = d.SentAt,
        ["FirstSentAt"] = d.FirstSentAt,
        ["ClaimedUntil"] = d.ClaimedUntil,
        ["Uncertain"] = d.Uncertain,
        ["ResentBy"] = d.ResentBy,
        ["ResentAt"] = d.ResentAt,
    };

    /// <summary>Reads a status row (also used when the whole partition is loaded).</summary>
    public static SmsDelivery FromEntity(TableEntity e) => new()
    {
        ApplicationId = RegistryRows.ApplicationIdOf(e.RowKey),
        OutboxKey = e.GetString("OutboxKey"),
        Effect = JsonSerializer.Deserialize<SideEffect.SendSms>(e.GetString("Data"), Json.Options)!,
        Status = Enum.Parse<SmsDeliveryStatus>(e.GetString("Status")),
        Attempts = e.GetInt32("Attempts") ?? 0,
        Resends = e.GetInt32("Resends") ?? 0,
        GatewayMessageId = e.GetString("GatewayMessageId"),
        LastError = e.GetString("LastError"),
        LastAttemptAt = e.GetDateTimeOffset("LastAttemptAt"),
        NextAttemptAt = e.GetDateTimeOffset("NextAttemptAt"),
        SentAt = e.GetDateTimeOffset("SentAt"),
        FirstSentAt = e.GetDateTimeOffset("FirstSentAt"),
        ClaimedUntil = e.GetDateTimeOffset("ClaimedUntil"),
        Uncertain = e.GetBoolean("Uncertain") ?? false,
        ResentBy = e.GetString("ResentBy"),
        ResentAt = e.GetDateTimeOffset("ResentAt"),
        ETag = e.ETag,
    };
}
