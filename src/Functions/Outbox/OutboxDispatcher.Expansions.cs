using System.Diagnostics;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Outbox;

/// <summary>
/// The side effects about many certificates or messages at once (a batch reissue's, ADR 0019): one
/// outbox row each, expanded here into the single effects they stand for, each carried out as the
/// single effect is, idempotently. The row is done only when every one of them is: a run cut short
/// (a crash, a failing write) leaves the row, and the next run does them all again, finding done what
/// was done — a line already reissued is only indexed and released again, a part of an SMS already
/// recorded is not sent again.
/// </summary>
public partial class OutboxDispatcher
{
    /// <summary>Lines written at once (each line's write is a few requests to different partitions).</summary>
    public const int LineParallelism = 8;

    /// <summary>
    /// Called after each single effect of an expanded row is carried out (<paramref name="step"/>: how many
    /// of this row this run has done). Virtual only so that the crash test can make the process die half-way.
    /// </summary>
    protected virtual void AfterExpandedStep(SideEffect expanded, int step)
    {
    }

    /// <summary>The messages of a <see cref="SideEffect.SendSmsParts"/> row as single SMS, each under its own outbox key <c>o{version}-{n}-{part:D3}</c> (its status row's key follows).</summary>
    public static IReadOnlyList<PendingSideEffect> PartsOf(PendingSideEffect pending, SideEffect.SendSmsParts parts) =>
        parts.Expand().Select((sms, i) => new PendingSideEffect($"{pending.RowKey}-{i + 1:D3}", sms) { SafetyNet = pending.SafetyNet }).ToList();

    /// <summary>Reissues every line (<see cref="SideEffect.ApplyToCertificates.Expand"/>), a few at a time, each by the single reissue's write.</summary>
    private async Task ApplyToCertificatesAsync(SideEffect.ApplyToCertificates effect, string employerWhenFiled, CancellationToken cancellationToken)
    {
        var timer = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(effect.Expand(), new ParallelOptions { MaxDegreeOfParallelism = LineParallelism, CancellationToken = cancellationToken },
            async (line, ct) =>
            {
                await ApplyToCertificateAsync(line, employerWhenFiled, ct);
                AfterExpandedStep(effect, Interlocked.Increment(ref done));
            });
        logger.LogInformation("Applied {ApplicationId} to {Lines} certificates in {Seconds:F1} s", effect.ApplicationId, effect.Lines.Count, timer.Elapsed.TotalSeconds);
    }

    /// <summary>Releases each certificate's claim this application holds, a few at a time.</summary>
    private async Task ReleaseCertificateClaimsAsync(SideEffect.ReleaseCertificateClaims effect, CancellationToken cancellationToken)
    {
        var done = 0;
        await Parallel.ForEachAsync(effect.Expand(), new ParallelOptions { MaxDegreeOfParallelism = LineParallelism, CancellationToken = cancellationToken },
            async (release, ct) =>
            {
                await certificates.ReleaseClaimAsync(release.CertificateNumber, release.ApplicationId, ct);
                AfterExpandedStep(effect, Interlocked.Increment(ref done));
            });
    }

    /// <summary>
    /// Delivers the messages of a <see cref="SideEffect.SendSmsParts"/> row in order, each as a single SMS
    /// is (<see cref="SmsDispatcher"/>: its own status row, claimed by ETag, so sent at most once), each
    /// outcome saved at once, so a run cut short sends nothing again that it recorded. A part that must wait
    /// (its next attempt, or another dispatcher holding it) holds back the parts after it, so they arrive in
    /// order. Returns when to look at the row again, or null when every part is done (sent, or parked for an admin).
    /// </summary>
    private async Task<DateTimeOffset?> DeliverPartsAsync(string applicationId, PendingSideEffect pending, SideEffect.SendSmsParts parts,
        Dictionary<string, SmsDelivery> deliveries, CancellationToken cancellationToken)
    {
        var step = 0;
        foreach (var part in PartsOf(pending, parts))
        {
            var sent = await sms.DeliverAsync(applicationId, part, (SideEffect.SendSms)part.Effect, deliveries.GetValueOrDefault(part.RowKey), cancellationToken);
            var delivery = sent.Delivery;
            if (sent.Unsaved)
            {
                delivery = await sms.SaveAsync(sent.Delivery!, CancellationToken.None);
                // The claim ran out while sending and another dispatcher took the part over: it records the outcome.
                if (delivery is null) return clock.GetUtcNow() + options.Value.SmsClaimLease;
                sms.Log(delivery);
            }
            if (delivery is not null) deliveries[part.RowKey] = delivery;
            if (sent.RetryAt is { } at) return at;
            AfterExpandedStep(parts, ++step);
        }
        return null;
    }
}
