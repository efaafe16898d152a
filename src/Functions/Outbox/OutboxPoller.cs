using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>
/// Drains the outbox queue when the app runs on its own (locally); in Azure the OutboxDispatcher
/// queue trigger calls the same <see cref="OutboxDispatcher"/> through <see cref="OutboxFunction"/>.
/// A failed dispatch is retried with exponential back-off; after
/// <see cref="OutboxOptions.MaxDequeueCount"/> deliveries the message moves to the poison queue.
/// An idle queue is polled with exponential back-off up to <see cref="OutboxOptions.MaxPollInterval"/>.
/// </summary>
public sealed class OutboxPoller(StorageAccount account, IServiceProvider services, IOptions<OutboxOptions> options,
    TimeProvider clock, ILogger<OutboxPoller> logger) : BackgroundService
{
    /// <summary>Receives one batch and dispatches it; returns how many messages there were.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var messages = (await account.OutboxQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(2), cancellationToken)).Value;
        foreach (var message in messages)
        {
            var applicationId = message.Body.ToString();
            try
            {
                if (ApplicationIds.IsWellFormed(applicationId))
                {
                    using var scope = services.CreateScope();
                    await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchAsync(applicationId, cancellationToken);
                }
                else
                {
                    logger.LogError("Outbox message {MessageId} names no application; moved to the poison queue", message.MessageId);
                    await account.PoisonQueue.SendMessageAsync(applicationId, cancellationToken);
                }
                await account.OutboxQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Dispatch of {ApplicationId} failed (delivery {DequeueCount})", applicationId, message.DequeueCount);
                try
                {
                    if (message.DequeueCount >= o.MaxDequeueCount)
                    {
                        await account.PoisonQueue.SendMessageAsync(applicationId, cancellationToken);
                        await account.OutboxQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                        logger.LogError("Outbox of {ApplicationId} moved to the poison queue after {DequeueCount} deliveries", applicationId, message.DequeueCount);
                    }
                    else
                    {
                        await account.OutboxQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt,
                            visibilityTimeout: o.BackOff((int)message.DequeueCount), cancellationToken: cancellationToken);
                    }
                }
                catch (Azure.RequestFailedException again)
                {
                    // The message was redelivered meanwhile (its pop receipt is stale): that delivery counts instead.
                    logger.LogWarning(again, "Could not reschedule the outbox message of {ApplicationId}", applicationId);
                }
            }
        }
        return messages.Length;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PollQueue) return;
        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                wait = await PollOnceAsync(stoppingToken) > 0
                    ? TimeSpan.FromMilliseconds(200)
                    : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.Value.MaxPollInterval.Ticks));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Polling the outbox queue failed");
                wait = options.Value.MaxPollInterval;
            }
            try { await Task.Delay(wait, clock, stoppingToken); } catch (OperationCanceledException) { return; }
        }
    }
}
