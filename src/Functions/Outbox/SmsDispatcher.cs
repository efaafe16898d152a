using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>
/// Where one SMS stands after a dispatch: done (sent or parked), or to be tried again at
/// <see cref="RetryAt"/>. <see cref="Unsaved"/>: <see cref="Delivery"/> is the outcome of an
/// attempt, still to be written (ETag-conditional) with the outbox completion.
/// </summary>
public sealed record SmsStep(SmsDelivery? Delivery, DateTimeOffset? RetryAt, bool Unsaved = false);

/// <summary>
/// Sends one committed SMS at most once: claims its status row (ETag-conditional; the row was
/// written with the commit), sends, and returns the answer for the dispatcher to record with the
/// outbox completion, conditional on the claim's ETag. A failure is retried with exponential back-off (or after the gateway's
/// Retry-After) up to <see cref="OutboxOptions.SmsMaxAttempts"/>; then, or at once after a
/// permanent refusal, the SMS is parked as failed, the application goes to the poison queue for
/// an operator, and an admin can resend it.
/// </summary>
public sealed class SmsDispatcher(SmsDeliveryStore store, ISmsGateway gateway, PoisonQueue poison, IOptions<OutboxOptions> options,
    TimeProvider clock, ILogger<SmsDispatcher> logger)
{
    private const int MaxRounds = 5;

    /// <summary>
    /// The status row of an SMS being committed, written with the commit (pending, unclaimed): the
    /// dispatch right after the commit claims it by its ETag without reading it first.
    /// </summary>
    public static SmsDelivery AtCommit(PendingSideEffect pending, SideEffect.SendSms effect) => SmsDelivery.For(effect.ApplicationId, pending, effect);

    /// <summary>
    /// Carries one SMS outbox row as far as it can go now. <paramref name="known"/> is its status
    /// row as last read or written by this process, if any (saves reading it again; a stale one
    /// only makes the conditional write fail and the row be read).
    /// </summary>
    public async Task<SmsStep> DeliverAsync(string applicationId, PendingSideEffect pending, SideEffect.SendSms effect, SmsDelivery? known = null,
        CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = clock.GetUtcNow();
            var current = known ?? await store.GetAsync(applicationId, pending.RowKey, cancellationToken);
            known = null;
            SmsDelivery? claimed;
            if (current is null)
            {
                // Insert-if-absent is the first claim: of two dispatchers only one creates the row.
                claimed = await store.TryAddAsync(Claim(SmsDelivery.For(applicationId, pending, effect), now, o), cancellationToken);
            }
            else
            {
                if (current.Status != SmsDeliveryStatus.Pending) return new(current, null);
                if (current.ClaimedUntil > now) return new(current, current.ClaimedUntil); // being sent by another dispatcher
                if (current.NextAttemptAt > now) return new(current, current.NextAttemptAt);
                claimed = await store.TryReplaceAsync(Claim(current, now, o), cancellationToken);
            }
            if (claimed is null) continue; // lost the race for the claim: look again

            var result = await SendAsync(claimed, cancellationToken);
            var recorded = Record(claimed, result, clock.GetUtcNow(), o);
            if (recorded.Status == SmsDeliveryStatus.Failed)
                await poison.PutAsync(applicationId, cancellationToken); // before the row: never parked without the operator hearing of it
            return new(recorded, recorded.Status == SmsDeliveryStatus.Pending ? recorded.NextAttemptAt : null, Unsaved: true);
        }
        return new(null, clock.GetUtcNow());
    }

    /// <summary>Saves the outcome of an attempt on its own (when it could not go with the outbox completion); null when the claim was lost meanwhile.</summary>
    public async Task<SmsDelivery?> SaveAsync(SmsDelivery recorded, CancellationToken cancellationToken = default)
    {
        var saved = await store.TryReplaceAsync(recorded, cancellationToken);
        if (saved is null)
            logger.LogWarning("Claim on SMS {MessageId} expired while sending; leaving it to the dispatcher that took over", recorded.MessageId);
        return saved;
    }

    /// <summary>
    /// Takes the claim for one more attempt. A claim that ran out belonged to a dispatcher that
    /// died while sending: the outcome of that attempt is unknown.
    /// </summary>
    private static SmsDelivery Claim(SmsDelivery current, DateTimeOffset now, OutboxOptions o) => current with
    {
        Attempts = current.Attempts + 1, LastAttemptAt = now, FirstSentAt = current.FirstSentAt ?? now,
        ClaimedUntil = now + o.SmsClaimLease, Uncertain = current.Uncertain || current.ClaimedUntil is not null,
    };

    private async Task<SmsSendResult> SendAsync(SmsDelivery claimed, CancellationToken cancellationToken)
    {
        var effect = claimed.Effect;
        var request = new SmsRequest(claimed.GatewayRequestId, claimed.ApplicationId, effect.Phone, effect.Message, claimed.FirstSentAt!.Value, claimed.Uncertain);
        // Give up well before the claim runs out, so no other dispatcher sends while we still might.
        using var budget = new CancellationTokenSource(options.Value.SmsClaimLease / 2, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var result = await gateway.SendAsync(request, linked.Token);
            RegistryTelemetry.SmsAttempt(effect.Message.Template.ToString(), sent: result is SmsSendResult.Sent);
            return result;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            RegistryTelemetry.SmsAttempt(effect.Message.Template.ToString(), sent: false);
            return new SmsSendResult.Failed($"{e.GetType().Name}: {e.Message}", MayHaveBeenSent: true);
        }
    }

    private static SmsDelivery Record(SmsDelivery claimed, SmsSendResult result, DateTimeOffset now, OutboxOptions o) => result switch
    {
        SmsSendResult.Sent s => claimed with
        {
            Status = SmsDeliveryStatus.Sent, GatewayMessageId = s.GatewayMessageId, SentAt = now, ClaimedUntil = null, NextAttemptAt = null, Uncertain = false,
        },
        SmsSendResult.Failed f when f.Permanent || claimed.Attempts >= o.SmsMaxAttempts => claimed with
        {
            Status = SmsDeliveryStatus.Failed, LastError = SmsGatewayText.Scrub(f.Error, claimed.Effect.Phone), ClaimedUntil = null, NextAttemptAt = null,
            Uncertain = f.MayHaveBeenSent,
        },
        SmsSendResult.Failed f => claimed with
        {
            LastError = SmsGatewayText.Scrub(f.Error, claimed.Effect.Phone), ClaimedUntil = null, Uncertain = f.MayHaveBeenSent,
            NextAttemptAt = now + Max(o.BackOff(claimed.Attempts), f.RetryAfter ?? TimeSpan.Zero),
        },
        _ => throw new InvalidOperationException($"unknown result {result}"),
    };

    /// <summary>Logs where a saved SMS stands (the phone masked).</summary>
    public void Log(SmsDelivery saved)
    {
        var phone = Masking.Phone(saved.Effect.Phone);
        switch (saved.Status)
        {
            case SmsDeliveryStatus.Sent:
                logger.LogInformation("SMS {MessageId} ({Template}) to {Phone} sent on attempt {Attempt}", saved.MessageId, saved.Effect.Message.Template, phone, saved.Attempts);
                break;
            case SmsDeliveryStatus.Failed:
                logger.LogError("SMS {MessageId} ({Template}) to {Phone} parked as failed after {Attempts} attempt(s): {Error}",
                    saved.MessageId, saved.Effect.Message.Template, phone, saved.Attempts, saved.LastError);
                break;
            default:
                logger.LogWarning("SMS {MessageId} to {Phone} failed (attempt {Attempt}, {Kind}): {Error}; next attempt at {NextAttemptAt}",
                    saved.MessageId, phone, saved.Attempts, saved.Uncertain ? "no definite answer" : "refused", saved.LastError, saved.NextAttemptAt);
                break;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
