using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>
/// Carries out an application's pending side effects, in the order they were committed, each
/// idempotently, deleting each outbox row once done. Run by the review orchestration's activity
/// (and by a command outside review) through <c>ReviewWork</c>, again when the transition's
/// safety-net timer falls due (<see cref="TimerIndex"/>: the process died in
/// between, a step failed, or an SMS waits for its next attempt). What a dispatch leaves is
/// recorded in one transaction: SMS outcomes, outbox rows done, safety-net timers that go or move
/// (to the next SMS attempt, or after a failure with back-off; an operator hears through the
/// poison queue after <see cref="OutboxOptions.FailuresBeforePoison"/> failures).
/// </summary>
public partial class OutboxDispatcher(
    ApplicationStore applications, CertificateStore certificates, SmsDispatcher sms, PoisonQueue poison,
    ReviewerWebhookClient reviewerWebhooks, DocumentStore documents, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> logger,
    Enterprises.EnterpriseChangeEffect enterpriseChanges, EnterpriseClaims enterpriseClaims, EnterpriseStore enterprises)
{
    /// <summary>Dispatches everything pending for one application, as read now. Throws when a step failed.</summary>
    public async Task<StoredApplication?> DispatchAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        var stored = await applications.LoadAsync(applicationId, cancellationToken);
        return stored is null ? null : await DispatchAsync(stored, 0, cancellationToken);
    }

    /// <summary>
    /// Dispatches the pending side effects of an application already in hand (right after its
    /// commit: no second read) and returns it as it then stands: the outbox rows still waiting
    /// (SMS not yet due) and the state of its SMS. <paramref name="priorFailures"/>: failed
    /// dispatches so far (from the safety-net timer). Virtual only so that the crash test can make
    /// the process "die" between commit and dispatch.
    /// </summary>
    public virtual async Task<StoredApplication> DispatchAsync(StoredApplication stored, int priorFailures = 0, CancellationToken cancellationToken = default)
    {
        var applicationId = stored.State.Id;
        if (stored.Outbox.Count == 0) return stored;
        using var activity = RegistryTelemetry.StartApplicationActivity("outbox.dispatch", applicationId);
        var deliveries = stored.Sms.ToDictionary(d => d.OutboxKey);
        var waiting = new Dictionary<string, DateTimeOffset>();
        var done = new List<string>();
        var outcomes = new List<SmsDelivery>();
        var failed = false;
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
                        waiting[pending.RowKey] = at;
                        continue;
                    }
                }
                else if (pending.Effect is SideEffect.SendSmsParts parts)
                {
                    if (await DeliverPartsAsync(applicationId, pending, parts, deliveries, cancellationToken) is { } at)
                    {
                        waiting[pending.RowKey] = at;
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
        catch (Exception)
        {
            failed = true;
            throw;
        }
        finally
        {
            // One transaction for every effect carried out, every SMS outcome and every safety-net
            // timer that goes or moves: a later dispatch redoes only what is not in it, and every
            // effect is idempotent.
            var safetyNets = await PlanSafetyNetsAsync(stored, done, waiting, failed, priorFailures);
            foreach (var saved in await CompleteAsync(applicationId, new Completion(outcomes, done, safetyNets.Gone, safetyNets.Moves)))
                deliveries[saved.OutboxKey] = saved;
        }
        if (stored.State.Status == ApplicationStatus.None)
            await applications.DeleteApplicationAsync(applicationId, cancellationToken);
        return stored with
        {
            Outbox = stored.Outbox.Where(p => waiting.ContainsKey(p.RowKey)).ToList(),
            Sms = deliveries.Values.OrderBy(d => d.OutboxKey, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// Per safety-net timer of the dispatched rows: gone when all its rows are done; moved to the
    /// earliest next SMS attempt when the rest only wait; moved back off after a failure.
    /// </summary>
    private async Task<(List<string> Gone, List<SafetyNetMove> Moves)> PlanSafetyNetsAsync(StoredApplication stored, List<string> done,
        Dictionary<string, DateTimeOffset> waiting, bool failed, int priorFailures)
    {
        var o = options.Value;
        var gone = new List<string>();
        var moves = new List<SafetyNetMove>();
        var alert = false;
        foreach (var covered in stored.Outbox.Where(p => p.SafetyNet is not null).GroupBy(p => p.SafetyNet!))
        {
            var left = covered.Where(p => !done.Contains(p.RowKey)).ToList();
            if (left.Count == 0)
            {
                gone.Add(covered.Key);
                continue;
            }
            TimerIndex.Timer next;
            if (!failed && left.All(p => waiting.ContainsKey(p.RowKey)))
            {
                next = new(stored.State.Id, left.Min(p => waiting[p.RowKey]), left[0].Version);
            }
            else
            {
                var failures = priorFailures + 1;
                alert |= failures == o.FailuresBeforePoison;
                next = new(stored.State.Id, clock.GetUtcNow() + o.BackOff(failures), left[0].Version, failures);
            }
            if (next.RowKey != covered.Key || next.Failures != priorFailures) moves.Add(new SafetyNetMove(covered.Key, next, left.Select(p => p.RowKey).ToList()));
        }
        if (alert)
        {
            logger.LogError("Side effects of {ApplicationId} failed {Failures} times; put on the poison queue for an operator", stored.State.Id, priorFailures + 1);
            await poison.PutAsync(stored.State.Id, CancellationToken.None);
        }
        return (gone, moves);
    }

    /// <summary>Records a dispatch in one transaction; returns the SMS status rows saved.</summary>
    private async Task<IReadOnlyList<SmsDelivery>> CompleteAsync(string applicationId, Completion completion)
    {
        if (await applications.TryCompleteAsync(applicationId, completion, CancellationToken.None) is { } together)
        {
            foreach (var saved in together) sms.Log(saved);
            return together;
        }
        // A condition failed (a claim ran out while sending and another dispatcher took over, or
        // a row was completed by another dispatcher): one by one, and an SMS whose outcome could
        // not be saved stays with the dispatcher that took over.
        var each = new List<SmsDelivery>();
        var done = completion.Done.ToList();
        foreach (var outcome in completion.Sms)
        {
            if (await sms.SaveAsync(outcome, CancellationToken.None) is { } saved)
            {
                sms.Log(saved);
                each.Add(saved);
            }
            else done.Remove(outcome.OutboxKey);
        }
        // An SMS left to another dispatcher keeps every safety-net timer: one with nothing left to
        // cover is removed when it next falls due.
        var keepTimers = done.Count < completion.Done.Count;
        await applications.CompleteOneByOneAsync(applicationId,
            completion with { Done = done, SafetyNetsGone = keepTimers ? [] : completion.SafetyNetsGone }, CancellationToken.None);
        return each;
    }

    private async Task ExecuteAsync(PendingSideEffect pending, StoredApplication stored, CancellationToken cancellationToken)
    {
        switch (pending.Effect)
        {
            case SideEffect.ApplyToCertificate a:
                await ApplyToCertificateAsync(a, stored.State.EmployerCode, cancellationToken);
                break;
            case SideEffect.ReleaseCertificateClaim c:
                await certificates.ReleaseClaimAsync(c.CertificateNumber, c.ApplicationId, cancellationToken);
                break;
            case SideEffect.ApplyToEnterprise a:
                await enterpriseChanges.ApplyAsync(a, cancellationToken);
                break;
            case SideEffect.ReleaseEnterpriseClaim c:
                await enterpriseClaims.ReleaseAsync(c.Uscc, c.ApplicationId, cancellationToken);
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
            case SideEffect.ApplyToCertificates a:
                await ApplyToCertificatesAsync(a, stored.State.EmployerCode, cancellationToken);
                break;
            case SideEffect.ReleaseCertificateClaims c:
                await ReleaseCertificateClaimsAsync(c, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Writes an approval to the register, then its indexes. <paramref name="employerWhenFiled"/>: the
    /// certificate's employer when the application was filed (its claim kept anyone else from changing
    /// it since), which a retry needs to take the certificate off that employer's roster when the first
    /// attempt wrote the certificate and died before its roster.
    /// </summary>
    private async Task ApplyToCertificateAsync(SideEffect.ApplyToCertificate effect, string employerWhenFiled, CancellationToken cancellationToken)
    {
        var today = effect.ApprovedOn ?? ApplicationDecider.Today(clock.GetUtcNow());
        // A transfer moves the certificate to the receiving enterprise as it is when the effect is carried
        // out: renamed or moved since the filing, the certificate takes its name and city of now.
        if (effect is { Kind: ApplicationKind.Transfer, Change: { EmployerCode: { } receiving } change }
            && await enterprises.GetAsync(receiving, cancellationToken) is { } now)
            effect = effect with { Change = change with { Employer = now.Name, CityCode = now.CityCode } };
        for (var attempt = 0; ; attempt++)
        {
            var found = await certificates.GetWithClaimAsync(effect.CertificateNumber, cancellationToken)
                ?? throw new InvalidOperationException($"certificate {effect.CertificateNumber} of {effect.ApplicationId} is missing");
            // Null when already applied (a redelivery): then only the claim may still be left to release.
            var applied = CertificateEffects.Apply(found.Certificate, effect, today);
            // A reissued certificate is added before the old one is voided: a crash in between
            // leaves the new one in place and the retry only voids the old one.
            // A retry finds it added: its holder index and roster line may be what the crash left undone.
            if (applied?.Issued is { } issued && !await certificates.TryAddAsync(issued, cancellationToken))
            {
                await certificates.IndexHolderAsync(issued, cancellationToken);
                await certificates.IndexEmployerAsync(issued, cancellationToken: cancellationToken);
            }
            if (await certificates.TryApplyAsync(effect.CertificateNumber, applied?.Updated, found.ETag, found.Claim, effect.ApplicationId, cancellationToken))
            {
                // An ID-number change files the certificate under the new number; a redelivery does it
                // again, as the crash that caused it may have come before the index was written.
                if (applied is { } a ? a.Updated.HolderIdNumber != found.Certificate.HolderIdNumber : effect.Change?.HolderIdNumber is not null)
                    await certificates.IndexHolderAsync(applied?.Updated ?? found.Certificate, cancellationToken);
                // The roster line follows every approval (status, valid-until, name, holder, employer), and
                // a redelivery writes it again for the same reason. A reissue's new certificate was
                // indexed when it was added, before this write.
                await certificates.IndexEmployerAsync(applied?.Updated ?? found.Certificate,
                    applied is null ? employerWhenFiled : found.Certificate.EmployerCode, cancellationToken);
                if (applied is not null)
                    logger.LogInformation("Applied {ApplicationId} ({Kind}) to certificate {CertificateNumber}", effect.ApplicationId, effect.Kind, effect.CertificateNumber);
                return;
            }
            if (attempt >= 5) throw new InvalidOperationException($"certificate {effect.CertificateNumber} keeps changing");
        }
    }
}
