using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Outbox;

/// <summary>One SMS of an application as the application shows it.</summary>
/// <param name="MessageId">Stable id; the admin's resend endpoint names it.</param>
/// <param name="Template">Which message.</param>
/// <param name="To">The recipient (masked unless the viewer may see personal data).</param>
/// <param name="Status">pending / sent / failed.</param>
/// <param name="StatusText">待发送 / 已发送 / 发送失败.</param>
/// <param name="Attempts">Attempts since it was committed or last resent.</param>
/// <param name="Resends">How often an admin resent it.</param>
/// <param name="GatewayMessageId">The gateway's id once accepted.</param>
/// <param name="LastError">The last failure.</param>
/// <param name="LastAttemptAt">When the last attempt started.</param>
/// <param name="NextAttemptAt">When a pending SMS is tried again.</param>
/// <param name="SentAt">When the gateway accepted it.</param>
public sealed record SmsDeliveryView(
    string MessageId, SmsTemplate Template, string To, SmsDeliveryStatus Status, string StatusText, int Attempts, int Resends,
    string? GatewayMessageId, string? LastError, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt);

/// <summary>One SMS parked as failed, in the admin's list across applications.</summary>
/// <param name="ApplicationId">The application it belongs to.</param>
/// <param name="MessageId">Its id; the resend endpoint names it.</param>
/// <param name="Template">Which message.</param>
/// <param name="To">The recipient, masked.</param>
/// <param name="Attempts">Attempts before it was parked.</param>
/// <param name="Resends">How often an admin resent it before.</param>
/// <param name="LastError">The gateway's last answer (no personal data).</param>
/// <param name="FailedAt">When its last attempt started.</param>
/// <param name="Uncertain">The last attempt had no definite answer: the gateway may have sent it.</param>
public sealed record SmsFailureView(
    string ApplicationId, string MessageId, SmsTemplate Template, string To, int Attempts, int Resends, string? LastError,
    DateTimeOffset FailedAt, bool Uncertain)
{
    /// <summary>The view of a listed failure.</summary>
    public static SmsFailureView Of(SmsFailure f) => new(
        f.ApplicationId, f.MessageId, f.Template, f.To, f.Attempts, f.Resends, f.LastError, f.FailedAt, f.Uncertain);
}

/// <summary>Builds <see cref="SmsDeliveryView"/>s.</summary>
public static class SmsViews
{
    /// <summary>The Chinese label of a status.</summary>
    public static string Label(SmsDeliveryStatus status) => status switch
    {
        SmsDeliveryStatus.Sent => "已发送",
        SmsDeliveryStatus.Failed => "发送失败",
        _ => "待发送",
    };

    /// <summary>
    /// The application's SMS in the order they were committed: each status row, and as pending
    /// each SMS still in the outbox that no dispatcher has touched yet (each part of a message in parts).
    /// </summary>
    public static IReadOnlyList<SmsDeliveryView> For(StoredApplication stored, bool seesPersonalData)
    {
        var known = stored.Sms.ToDictionary(d => d.OutboxKey);
        foreach (var pending in stored.Outbox.SelectMany(p => p.Effect is SideEffect.SendSmsParts parts ? OutboxDispatcher.PartsOf(p, parts) : [p]))
            if (pending.Effect is SideEffect.SendSms s && !known.ContainsKey(pending.RowKey))
                known[pending.RowKey] = SmsDelivery.For(stored.State.Id, pending, s);
        return known.Values.OrderBy(d => d.OutboxKey, StringComparer.Ordinal).Select(d => new SmsDeliveryView(
            d.MessageId, d.Effect.Message.Template, seesPersonalData ? d.Effect.Phone : Masking.Phone(d.Effect.Phone), d.Status, Label(d.Status),
            d.Attempts, d.Resends, d.GatewayMessageId, d.LastError, d.LastAttemptAt, d.Status == SmsDeliveryStatus.Pending ? d.NextAttemptAt : null, d.SentAt)).ToList();
    }
}
