using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Sms;

/// <summary>One message to send.</summary>
/// <param name="MessageId">
/// Stable across retries of one message (an admin's resend gets a new one): gateways derive their
/// idempotency keys from it (ACS repeatability id, Aliyun OutId).
/// </param>
/// <param name="ApplicationId">The application the message is about.</param>
/// <param name="Phone">The 11-digit mainland number.</param>
/// <param name="Message">Template, parameters and full text.</param>
/// <param name="FirstSentAt">When the first attempt of this message was made; the same on every retry.</param>
/// <param name="MayHaveBeenSent">
/// An earlier attempt ended without a definite answer (timeout, 5xx, a dispatcher that died while
/// sending): a gateway that is not idempotent checks with its provider before sending again.
/// </param>
public sealed record SmsRequest(string MessageId, string ApplicationId, string Phone, SmsMessage Message,
    DateTimeOffset FirstSentAt = default, bool MayHaveBeenSent = false);

/// <summary>What a gateway answered for one message.</summary>
public abstract record SmsSendResult
{
    /// <summary>Accepted by the provider (or recognised as accepted before).</summary>
    public sealed record Sent(string? GatewayMessageId) : SmsSendResult;

    /// <summary>Not accepted.</summary>
    /// <param name="Error">What went wrong, for the operator (no personal data).</param>
    /// <param name="Permanent">Retrying the same message cannot succeed (invalid number, template refused).</param>
    /// <param name="MayHaveBeenSent">The provider may have accepted it all the same (no definite answer).</param>
    /// <param name="RetryAfter">The provider asked us to wait at least this long.</param>
    public sealed record Failed(string Error, bool Permanent = false, bool MayHaveBeenSent = false, TimeSpan? RetryAfter = null) : SmsSendResult;
}

/// <summary>
/// The port every SMS gateway implements. The outbox claims a message before handing it over,
/// so a gateway sees each message once unless an earlier attempt ended without an answer.
/// </summary>
public interface ISmsGateway
{
    /// <summary>Sends one message. An exception counts as a failure with no definite answer.</summary>
    Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Helpers shared by the gateways.</summary>
public static class SmsGatewayText
{
    /// <summary>An error text safe to store and show: the recipient's number masked, at most 500 characters.</summary>
    public static string Scrub(string? error, string phone)
    {
        var text = error ?? "";
        if (MobileNumber.TryParse(phone, out var number))
            text = text.Replace(number!.E164, Masking.Phone(number.E164)).Replace(number.Value, Masking.Phone(number.Value));
        return text.Length <= 500 ? text : text[..500] + "…";
    }
}

/// <summary>
/// The Development gateway: records each message in Table storage instead of sending it,
/// keyed by message id so a retry records nothing twice.
/// </summary>
public sealed class LocalSmsRecorder(StorageAccount account, TimeProvider clock) : ISmsGateway
{
    /// <inheritdoc />
    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(account.PersonalKey(request.Phone), request.MessageId)
        {
            ["To"] = request.Phone, ["Text"] = request.Message.Text, ["ApplicationId"] = request.ApplicationId,
            ["Template"] = request.Message.Template.ToString(), ["At"] = clock.GetUtcNow(),
        };
        try
        {
            await account.SmsRecords.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409) { }
        return new SmsSendResult.Sent("local:" + request.MessageId);
    }

    /// <summary>What was recorded for a phone, oldest first.</summary>
    public async Task<IReadOnlyList<RecordedSms>> ForPhoneAsync(string phone, CancellationToken cancellationToken = default)
    {
        var list = new List<RecordedSms>();
        await foreach (var e in account.SmsRecords.QueryAsync<TableEntity>(x => x.PartitionKey == account.PersonalKey(phone), cancellationToken: cancellationToken))
            list.Add(new RecordedSms(e.GetString("To"), e.GetString("Text"), e.GetString("ApplicationId"), e.GetDateTimeOffset("At")!.Value));
        return list.OrderBy(s => s.At).ToList();
    }
}

/// <summary>A message the local gateway recorded.</summary>
public sealed record RecordedSms(string To, string Text, string ApplicationId, DateTimeOffset At);
