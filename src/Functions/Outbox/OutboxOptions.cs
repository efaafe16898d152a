using System.ComponentModel.DataAnnotations;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>Outbox timing and retry limits. Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// When a transition's safety-net timer falls due, after its commit. The transition's request
    /// dispatches right after the commit and deletes the timer with the last outbox row; only when
    /// it could not does the timer's sweep run the dispatcher again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between 00:00:00 and 1.00:00:00")]
    public TimeSpan SafetyNetDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed dispatches of a transition's side effects before the application goes to the poison queue for an operator (retries go on).</summary>
    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    public int FailuresBeforePoison { get; set; } = 5;

    /// <summary>First back-off after a failure (an SMS attempt, or a dispatch); it doubles each time.</summary>
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

/// <summary>The poison queue: applications whose side effects need an operator (an SMS parked as failed, a dispatch failing again and again).</summary>
public sealed class PoisonQueue(StorageAccount account)
{
    /// <summary>Puts an application on the poison queue.</summary>
    public Task PutAsync(string applicationId, CancellationToken cancellationToken = default) =>
        account.PoisonQueue.SendMessageAsync(applicationId, cancellationToken: cancellationToken);
}
