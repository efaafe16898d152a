using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Documents;

namespace FuncRegistry.Core.Applications;

/// <summary>Who did something, as recorded in the history (操作轨迹).</summary>
public sealed record ActorRef(Role Role, string Subject, string Name, string? City = null, string? Org = null)
{
    /// <summary>The reference recorded for an actor.</summary>
    public static ActorRef Of(Actor actor) => new(actor.Role, actor.Subject, actor.Name, actor.City, actor.Org);
}

/// <summary>What happened to an application: past tense, with who and when.</summary>
public abstract record ApplicationEvent(ActorRef By, DateTimeOffset At)
{
    /// <summary>
    /// A record that something was read, not a change: it leaves the application (status, details,
    /// revision, last decision, list rows) as it was and only extends the history.
    /// </summary>
    public bool IsReading => this is DocumentOpened;

    /// <summary>A draft was filed; <paramref name="Enterprise"/> is what an enterprise change changes (null for every other kind).</summary>
    public sealed record Created(
        string ApplicationId, ApplicationKind Kind, string CertificateNumber, string CityCode,
        string HolderIdNumber, string HolderName, string EmployerCode, DateOnly CertificateValidUntil, ApplicationDetails Details,
        ActorRef By, DateTimeOffset At, EnterpriseChange? Enterprise = null, IReadOnlyList<BatchLine>? Lines = null) : ApplicationEvent(By, At);
    /// <summary>The applicant changed the details.</summary>
    public sealed record Edited(ApplicationDetails Details, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The draft was deleted.</summary>
    public sealed record Deleted(ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>
    /// Submitted for review (again, after a return): round counts submissions. Records the
    /// certificate's valid-until as of submission: from then on the application holds the
    /// certificate's claim, so nothing else changes it before approval. <paramref name="Documents"/>
    /// are exactly the documents this round's reviewers see, with their SHA-256 (the evidence);
    /// null in events written before documents existed.
    /// </summary>
    /// <paramref name="Route"/> is the review it goes through (<see cref="WorkflowPolicy"/>), null in events written before
    /// routes existed (the city, then the province); <paramref name="AwaitsConfirmation"/> says the other party confirms it first.
    /// <paramref name="CommitmentVersion"/>: the version of the kind's commitment (<see cref="Commitments"/>) the applicant accepted; null in events written before it was asked for.
    public sealed record Submitted(int Round, DateOnly CertificateValidUntil, ActorRef By, DateTimeOffset At,
        IReadOnlyList<DocumentReference>? Documents = null, IReadOnlyList<ReviewStop>? Route = null, bool AwaitsConfirmation = false,
        IReadOnlyList<BatchLine>? Lines = null, string? CommitmentVersion = null) : ApplicationEvent(By, At)
    {
        /// <summary>Value equality, the document list and route included (none and an empty list are the same).</summary>
        public bool Equals(Submitted? other) => other is not null && base.Equals(other) && Round == other.Round
            && CertificateValidUntil == other.CertificateValidUntil && (Documents ?? []).SequenceEqual(other.Documents ?? [])
            && (Route ?? []).SequenceEqual(other.Route ?? []) && AwaitsConfirmation == other.AwaitsConfirmation && (Lines ?? []).SequenceEqual(other.Lines ?? [])
            && CommitmentVersion == other.CommitmentVersion;

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Round, CertificateValidUntil, (Documents ?? []).Count);
    }
    /// <summary>A document was attached (its bytes are in blob storage under the server's name).</summary>
    public sealed record DocumentAttached(AttachedDocument Document, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>A document was removed; if an earlier round's reviewers saw it, it is kept as evidence.</summary>
    public sealed record DocumentRemoved(string DocumentId, DocumentType Type, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>
    /// A reviewer or an admin opened a document (its bytes were served to them): a reading, not a
    /// change. It is part of the history and its hash chain, but changes neither the status nor the
    /// <see cref="ApplicationState.Revision"/> clients edit against (see <see cref="IsReading"/>).
    /// </summary>
    public sealed record DocumentOpened(DocumentReference Document, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The other party (the holder, or the employer) confirmed the submission: review starts, or, with no review stage, it is approved.</summary>
    public sealed record ConfirmationGiven(ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The other party refused to confirm: the application is withdrawn.</summary>
    public sealed record ConfirmationRefused(ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The applicant withdrew it.</summary>
    public sealed record Withdrawn(ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The city approved: on to the province.</summary>
    /// <paramref name="ConditionMet"/>: for a transfer claiming the social-insurance exception, the condition the reviewer found met;
    /// <paramref name="Struck"/>: the lines of a batch reissue the reviewer struck (none otherwise).
    public sealed record CityReviewApproved(ActorRef By, DateTimeOffset At, SocialInsuranceCondition? ConditionMet = null, IReadOnlyList<LineStrike>? Struck = null)
        : ApplicationEvent(By, At);
    /// <summary>The city returned it to the applicant, with the reason and what to correct (none in returns recorded before it was asked for).</summary>
    public sealed record CityReviewReturned(string Reason, ActorRef By, DateTimeOffset At, Corrections? ToFix = null) : ApplicationEvent(By, At);
    /// <summary>The province approved: the application takes effect — or, with <paramref name="Notice"/>, goes under public notice first (<see cref="PublicNoticeRules"/>).</summary>
    /// <paramref name="Struck"/>: the lines of a batch reissue the reviewer struck (none otherwise).
    public sealed record ProvinceReviewApproved(ActorRef By, DateTimeOffset At, IReadOnlyList<LineStrike>? Struck = null, PublicNoticeTerms? Notice = null)
        : ApplicationEvent(By, At);
    /// <summary>The province returned it to the applicant, with the reason and what to correct.</summary>
    public sealed record ProvinceReviewReturned(string Reason, ActorRef By, DateTimeOffset At, Corrections? ToFix = null) : ApplicationEvent(By, At);
    /// <summary>
    /// A province reviewer extended the deadline (行政许可法 Art. 42): once per application, by
    /// <paramref name="WorkingDays"/> for the whole application and for the stage it was granted in;
    /// the reason is texted to the applicant.
    /// </summary>
    public sealed record DeadlineExtended(string Reason, int WorkingDays, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The review clock reminded the reviewers of <paramref name="Stage"/> that it falls due soon or is overdue (due <paramref name="DueAt"/>).</summary>
    public sealed record ReviewReminderSent(ReviewStage Stage, DeadlineNotice Kind, DateTimeOffset DueAt, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The city stage, due <paramref name="DueAt"/>, ran late by more than the margin: the province was told.</summary>
    public sealed record StageEscalated(ReviewStage Stage, DateTimeOffset DueAt, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>Returned and not resubmitted within <paramref name="AfterDays"/> days: withdrawn by the system.</summary>
    public sealed record AutoWithdrawn(int AfterDays, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>
    /// Closed <paramref name="AfterDays"/> days ago (the configured retention): the bytes of
    /// <paramref name="Documents"/> — every document it still held — were purged by the system.
    /// The references (id, type, SHA-256) stay in the history as evidence of what there was.
    /// </summary>
    public sealed record DocumentsPurged(int AfterDays, IReadOnlyList<DocumentReference> Documents, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At)
    {
        /// <summary>Value equality, the document list included.</summary>
        public bool Equals(DocumentsPurged? other) => other is not null && base.Equals(other) && AfterDays == other.AfterDays
            && Documents.SequenceEqual(other.Documents);

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), AfterDays, Documents.Count);
    }
    /// <summary>
    /// Someone of the public objected to an application under public notice (公示异议): <paramref name="ContactPhone"/> is the
    /// objector's (personal data, shown only to the reviewers who decide it); <paramref name="By"/> is <see cref="Actor.Public"/>.
    /// </summary>
    public sealed record ObjectionReceived(string ObjectionId, string Reason, string ContactPhone, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The objection holds: the notice ends without effect and the application returns to its last review stop.</summary>
    public sealed record ObjectionUpheld(string ObjectionId, string Note, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The objection does not hold: the notice goes on.</summary>
    public sealed record ObjectionDismissed(string ObjectionId, string Note, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>The notice period is over and every objection was dismissed (or none came): the approval takes effect.</summary>
    public sealed record PublicNoticeEnded(ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
    /// <summary>
    /// The filer changed the phone that receives the results to <paramref name="Phone"/> (verified, where that is required):
    /// a change of contact, not a decision (<see cref="ApplicationState.LastEvent"/> stays the decision before it).
    /// </summary>
    public sealed record NotificationPhoneChanged(string Phone, ActorRef By, DateTimeOffset At) : ApplicationEvent(By, At);
}
