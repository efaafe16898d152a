using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Applications;

/// <summary>One line of an approved batch reissue: the certificate reissued and the number issued in its place.</summary>
public sealed record LineReissue(string CertificateNumber, string NewCertificateNumber);

/// <summary>
/// Side effects about many certificates or messages at once (a batch reissue of up to
/// <see cref="BatchReissue.MaxLines"/> lines, ADR 0019): one outbox row each, however many lines,
/// so that a transition's entity-group transaction stays within its 100 actions. The dispatcher
/// expands each into the single effects of <c>Expand()</c> and carries them out one by one, each
/// idempotently, so a run cut short anywhere is finished by the next, losing and doubling nothing.
/// </summary>
public abstract partial record SideEffect
{
    /// <summary>
    /// Reissue every line of an approved batch: one <see cref="ApplyToCertificate"/> per line
    /// (<see cref="Expand"/>), each idempotent by the application (an old certificate already carrying
    /// its endorsement is only indexed and has its claim released again), each releasing that line's claim.
    /// </summary>
    public sealed record ApplyToCertificates(string ApplicationId, IReadOnlyList<LineReissue> Lines, DateOnly ApprovedOn) : SideEffect(ApplicationId)
    {
        /// <summary>The single effect of each line, in the order of the lines.</summary>
        public IReadOnlyList<ApplyToCertificate> Expand() =>
            Lines.Select(l => new ApplyToCertificate(ApplicationId, l.CertificateNumber, ApplicationKind.Reissue, null, l.NewCertificateNumber, null, ApprovedOn)).ToList();

        /// <summary>Value equality, the lines included.</summary>
        public bool Equals(ApplyToCertificates? other) => other is not null && base.Equals(other) && ApprovedOn == other.ApprovedOn && Lines.SequenceEqual(other.Lines);

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), ApprovedOn, Lines.Count);
    }

    /// <summary>
    /// Release the claims of these certificates if this application holds them (a withdrawal, the lines a
    /// reviewer struck): one <see cref="ReleaseCertificateClaim"/> each (<see cref="Expand"/>); releasing a
    /// claim no longer held changes nothing.
    /// </summary>
    public sealed record ReleaseCertificateClaims(string ApplicationId, IReadOnlyList<string> CertificateNumbers) : SideEffect(ApplicationId)
    {
        /// <summary>The single release of each certificate.</summary>
        public IReadOnlyList<ReleaseCertificateClaim> Expand() => CertificateNumbers.Select(n => new ReleaseCertificateClaim(ApplicationId, n)).ToList();

        /// <summary>Value equality, the numbers included.</summary>
        public bool Equals(ReleaseCertificateClaims? other) => other is not null && base.Equals(other) && CertificateNumbers.SequenceEqual(other.CertificateNumbers);

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), CertificateNumbers.Count);
    }

    /// <summary>
    /// Text the applicant a result that takes several messages (a batch reissue's new numbers, split as the
    /// segment limit requires): one <see cref="SendSms"/> per message, in order (<see cref="Expand"/>), each
    /// delivered at most once by its own status row, as a single SMS is.
    /// </summary>
    public sealed record SendSmsParts(string ApplicationId, string Phone, IReadOnlyList<SmsMessage> Messages) : SideEffect(ApplicationId)
    {
        /// <summary>The single SMS of each message, in order.</summary>
        public IReadOnlyList<SendSms> Expand() => Messages.Select(m => new SendSms(ApplicationId, Phone, m)).ToList();

        /// <summary>Value equality, the messages' texts included.</summary>
        public bool Equals(SendSmsParts? other) => other is not null && base.Equals(other) && Phone == other.Phone
            && Messages.Select(m => (m.Template, m.Text)).SequenceEqual(other.Messages.Select(m => (m.Template, m.Text)));

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Phone, Messages.Count);
    }
}
