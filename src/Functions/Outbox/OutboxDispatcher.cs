using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Outbox;

/// <summary>
/// Carries out an application's pending side effects, in the order they were committed, each
/// idempotently, deleting each outbox row once done. Runs right after a commit and again from
/// the outbox queue (the safety net when the process died in between, or a step failed). An SMS
/// that has to wait for its next attempt does not hold up the effects after it; a queue message
/// is scheduled for when it is due.
/// </summary>
public class OutboxDispatcher(
    ApplicationStore applications, CertificateStore certificates, SmsDispatcher sms, OutboxQueue queue,
    ReviewerWebhookClient reviewerWebhooks, DocumentStore documents, TimeProvider clock, ILogger<OutboxDispatcher> logger)
{
    /// <summary>Dispatches everything pending for one application. Throws when a step failed (to be retried).</summary>
    public async Task<StoredApplication?> DispatchAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        var stored = await applications.LoadAsync(applicationId, cancellationToken);
        return stored is null ? null : await DispatchAsync(stored, cancellationToken);
    }

    /// <summary>
    /// Dispatches the pending side effects of an application already in hand (right after its
    /// commit: no second read) and returns it as it then stands: the outbox rows still waiting
    /// (SMS not yet due) and the state of its SMS. Virtual only so that the crash test can make the
    /// process "die" between commit and dispatch.
    /// </summary>
    public virtual async Task<StoredApplication> DispatchAsync(StoredApplication stored, CancellationToken cancellationToken = default)
    {
        var applicationId = stored.State.Id;
        if (stored.Outbox.Count == 0) return stored;
        using var activity = RegistryTelemetry.StartApplicationActivity("outbox.dispatch", applicationId);
        var deliveries = stored.Sms.ToDictionary(d => d.OutboxKey);
        var waiting = new List<PendingSideEffect>();
        DateTimeOffset? due = null;
        var done = new List<string>();
        var outcomes = new List<SmsDelivery>();
        try
        {
        foreach (var pending in stored.Outbox)
        {
            var effect = pending.Effect.GetType().Name;
            using var span = RegistryTelemetry.StartApplicationActivity("outbox." + effect, applicationId);
            if (pending.Version >= 1 && pending.Version <= stored.History.Count)
                RegistryTelemetry.OutboxLag.Record((clock.GetUtcNow() - stored.History[pending.Version - 1].At).TotalSeconds,
                    new KeyValuePair<string, object?>("effect", effect));
            if (pending.Effect is SideEffect.SendSms s)
            {
                var step = await sms.DeliverAsync(applicationId, pending, s, deliveries.GetValueOrDefault(pending.RowKey), cancellationToken);
                if (step.Delivery is not null) deliveries[pending.RowKey] = step.Delivery;
                if (step.Unsaved) outcomes.Add(step.Delivery!);
                if (step.RetryAt is { } at)
                {
                    waiting.Add(pending);
                    due = due is null || at < due ? at : due;
                    continue;
                }
            }
            else
            {
                await ExecuteAsync(pending, stored, cancellationToken);
            }
            done.Add(pending.RowKey);
        }
        }
        finally
        {
            // One transaction for every effect carried out and every SMS outcome: a redelivery
            // redoes only what is not in it, and every effect is idempotent.
            foreach (var saved in await CompleteAsync(applicationId, done, outcomes))
                deliveries[saved.OutboxKey] = saved;
        }
        if (due is not null)
            await queue.ScheduleAsync(applicationId, due.Value - clock.GetUtcNow(), cancellationToken);
        else if (stored.State.Status == ApplicationStatus.None)
            await applications.DeleteApplicationAsync(applicationId, cancellationToken);
        return stored with { Outbox = waiting, Sms = deliveries.Values.OrderBy(d => d.OutboxKey, StringComparer.Ordinal).ToList() };
    }

    /// <summary>Saves the SMS outcomes and deletes the done outbox rows; returns the status rows saved.</summary>
    private async Task<IReadOnlyList<SmsDelivery>> CompleteAsync(string applicationId, List<string> done, List<SmsDelivery> outcomes)
    {
        if (outcomes.Count > 0 && await applications.TryCompleteAsync(applicationId, done, outcomes, CancellationToken.None) is { } together)
        {
            foreach (var saved in together) sms.Log(saved);
            return together;
        }
        // Either no SMS was attempted, or a condition failed (a claim ran out while sending and
        // another dispatcher took over, or a row was completed by another dispatcher): one by one,
        // and an SMS whose outcome could not be saved stays with the dispatcher that took over.
        var each = new List<SmsDelivery>();
        foreach (var outcome in outcomes)
        {
            if (await sms.SaveAsync(outcome, CancellationToken.None) is { } saved)
            {
                sms.Log(saved);
                each.Add(saved);
            }
            else done.Remove(outcome.OutboxKey);
        }
        await applications.CompleteSideEffectsAsync(applicationId, done, CancellationToken.None);
        return each;
    }

    private async Task ExecuteAsync(PendingSideEffect pending, StoredApplication stored, CancellationToken cancellationToken)
    {
        switch (pending.Effect)
        {
            case SideEffect.ApplyToCertificate a:
                await ApplyToCertificateAsync(a, cancellationToken);
                break;
            case SideEffect.ReleaseCertificateClaim c:
                await certificates.ReleaseClaimAsync(c.CertificateNumber, c.ApplicationId, cancellationToken);
                break;
            case SideEffect.NotifyReviewers n:
                await reviewerWebhooks.SendAsync(n.Notice, n.ApplicationId, $"{n.ApplicationId}-{pending.RowKey}", cancellationToken);
                break;
            case SideEffect.DeleteDocument d:
                await documents.DeleteAsync(d.ApplicationId, d.DocumentId, cancellationToken);
                break;
            case SideEffect.DeleteAllDocuments d:
                await documents.DeleteAllAsync(d.ApplicationId, cancellationToken);
                break;
        }
    }

    private async Task ApplyToCertificateAsync(SideEffect.ApplyToCertificate effect, CancellationToken cancellationToken)
    {
        var today = ApplicationDecider.Today(clock.GetUtcNow());
        for (var attempt = 0; ; attempt++)
        {
            var found = await certificates.GetWithClaimAsync(effect.CertificateNumber, cancellationToken)
                ?? throw new InvalidOperationException($"certificate {effect.CertificateNumber} of {effect.ApplicationId} is missing");
            // Null when already applied (a redelivery): then only the claim may still be left to release.
            var applied = CertificateEffects.Apply(found.Certificate, effect, today);
            // A reissued certificate is added before the old one is voided: a crash in between
            // leaves the new one in place and the retry only voids the old one.
            if (applied?.Issued is { } issued) await certificates.TryAddAsync(issued, cancellationToken);
            if (await certificates.TryApplyAsync(effect.CertificateNumber, applied?.Updated, found.ETag, found.Claim, effect.ApplicationId, cancellationToken))
            {
                if (applied is { } a && a.Updated.HolderIdNumber != found.Certificate.HolderIdNumber)
                    await certificates.IndexHolderAsync(a.Updated, cancellationToken);
                if (applied is not null)
                    logger.LogInformation("Applied {ApplicationId} ({Kind}) to certificate {CertificateNumber}", effect.ApplicationId, effect.Kind, effect.CertificateNumber);
                return;
            }
            if (attempt >= 5) throw new InvalidOperationException($"certificate {effect.CertificateNumber} keeps changing");
        }
    }
}
