using System.ComponentModel.DataAnnotations;
using Azure.Storage.Queues.Models;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>Outbox timing and retry limits. Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// How long the safety-net message stays invisible. The transition's request dispatches
    /// right after commit and deletes the message; only when it could not does the message
    /// appear and the dispatcher run again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between 00:00:00 and 1.00:00:00")]
    public TimeSpan SafetyNetDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Poll the queue from the app itself (locally). False in Azure, where the OutboxDispatcher queue trigger invokes the app.</summary>
    public bool PollQueue { get; set; } = true;

    /// <summary>Longest wait between two polls of an idle queue.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between 00:00:01 and 01:00:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries of one queue message before the poller moves it to the poison queue (the host uses host.json's maxDequeueCount).</summary>
    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>First back-off after a failure (an SMS attempt, or a dispatch the poller saw fail); it doubles each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest back-off.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts of one SMS before it is parked as failed (visible on the application, re-sendable by an admin).</summary>
    public int SmsMaxAttempts { get; set; } = 5;

    /// <summary>How long a dispatcher's claim on an SMS keeps others from sending it; a claim older than this belonged to a dispatcher that died.</summary>
    public TimeSpan SmsClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The back-off after the <paramref name="failures"/>-th failure in a row.</summary>
    public TimeSpan BackOff(int failures)
    {
        var delay = RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxRetryDelay.TotalMilliseconds));
    }
}

/// <summary>The outbox on a storage queue: one message (the application id) per dispatch to do.</summary>
public sealed class OutboxQueue(StorageAccount account, IOptions<OutboxOptions> options)
{
    // A queue message can stay invisible for at most seven days.
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(6);

    /// <summary>Schedules the safety net of a transition; returns the receipt to cancel it.</summary>
    public Task<SendReceipt> ScheduleAsync(string applicationId, CancellationToken cancellationToken = default) =>
        ScheduleAsync(applicationId, options.Value.SafetyNetDelay, cancellationToken);

    /// <summary>Schedules a dispatch of an application after <paramref name="delay"/>.</summary>
    public async Task<SendReceipt> ScheduleAsync(string applicationId, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var visibility = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > LongestDelay ? LongestDelay : delay;
        return (await account.OutboxQueue.SendMessageAsync(applicationId, visibilityTimeout: visibility, cancellationToken: cancellationToken)).Value;
    }

    /// <summary>Cancels a scheduled dispatch that is no longer needed.</summary>
    public async Task CancelAsync(SendReceipt receipt, CancellationToken cancellationToken = default)
    {
        try
        {
            await account.OutboxQueue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 404 or 400) { }
    }

    /// <summary>Puts an application on the poison queue: its outbox needs an operator.</summary>
    public Task PoisonAsync(string applicationId, CancellationToken cancellationToken = default) =>
        account.PoisonQueue.SendMessageAsync(applicationId, cancellationToken: cancellationToken);
}
