using Azure.Storage.Queues.Models;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>Outbox timing. Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// How long the safety-net message stays invisible. The transition's request dispatches
    /// right after commit and deletes the message; only when it could not does the message
    /// appear and the dispatcher run again.
    /// </summary>
    public TimeSpan SafetyNetDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Poll the queue from the app itself (locally). False in Azure, where a queue trigger invokes the app.</summary>
    public bool PollQueue { get; set; } = true;

    /// <summary>Longest wait between two polls of an idle queue.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries of one message before it is moved to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;
}

/// <summary>The outbox's safety net on a storage queue: one message (the application id) per transition with side effects.</summary>
public sealed class OutboxQueue(StorageAccount account, IOptions<OutboxOptions> options)
{
    /// <summary>Schedules a later dispatch of an application; returns the receipt to cancel it.</summary>
    public async Task<SendReceipt> ScheduleAsync(string applicationId, CancellationToken cancellationToken = default) =>
        (await account.OutboxQueue.SendMessageAsync(applicationId, visibilityTimeout: options.Value.SafetyNetDelay, cancellationToken: cancellationToken)).Value;

    /// <summary>Cancels a scheduled dispatch that is no longer needed.</summary>
    public async Task CancelAsync(SendReceipt receipt, CancellationToken cancellationToken = default)
    {
        try
        {
            await account.OutboxQueue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 404 or 400) { }
    }
}
