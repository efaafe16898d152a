using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Sms;

/// <summary>One message to send. <paramref name="MessageId"/> is stable across retries of the same message.</summary>
public sealed record SmsRequest(string MessageId, string ApplicationId, string Phone, SmsMessage Message);

/// <summary>The port every SMS gateway implements. Sending the same <see cref="SmsRequest.MessageId"/> twice must deliver once.</summary>
public interface ISmsGateway
{
    /// <summary>Sends (or recognises as already sent) one message; throws when it should be retried.</summary>
    Task SendAsync(SmsRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// The Development gateway: records each message in Table storage instead of sending it,
/// keyed by message id so a retry records nothing twice.
/// </summary>
public sealed class LocalSmsRecorder(StorageAccount account, TimeProvider clock) : ISmsGateway
{
    /// <inheritdoc />
    public async Task SendAsync(SmsRequest request, CancellationToken cancellationToken = default)
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
