using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// Work a transition leaves for later, committed with it in the outbox and carried out by an
/// adapter, idempotently: each is keyed by the application and the version that caused it.
/// </summary>
public abstract partial record SideEffect(string ApplicationId)
{
    /// <summary>
    /// Apply an approved application to the register. The approval ends the application, so the
    /// same write also releases its claim on the certificate (one transaction: both rows live in
    /// the certificate's partition). The register is dated on <paramref name="ApprovedOn"/>, the
    /// day (Beijing time) of the approval at the last stop of its route, however late the effect is carried out;
    /// null only in outbox rows written before it was recorded, which fall back to the day applied.
    /// </summary>
    public sealed record ApplyToCertificate(
        string ApplicationId, string CertificateNumber, ApplicationKind Kind, CertificateChange? Change,
        string? NewCertificateNumber, DateOnly? NewValidUntil, DateOnly? ApprovedOn = null) : SideEffect(ApplicationId);

    /// <summary>
    /// Apply an approved enterprise change (<see cref="EnterpriseChangeRules"/>) to the enterprise
    /// and every valid certificate it employs, in resumable batches; the same work releases the
    /// enterprise's claim. <paramref name="OldName"/> is quoted by the endorsement of a rename.
    /// </summary>
    public sealed record ApplyToEnterprise(string ApplicationId, string Uscc, string OldName, string? NewName, string? NewCityCode,
        DateOnly ApprovedOn) : SideEffect(ApplicationId);

    /// <summary>The enterprise change is finished: the enterprise may file another.</summary>
    public sealed record ReleaseEnterpriseClaim(string ApplicationId, string Uscc) : SideEffect(ApplicationId);

    /// <summary>Text the applicant the result.</summary>
    public sealed record SendSms(string ApplicationId, string Phone, SmsMessage Message) : SideEffect(ApplicationId);

    /// <summary>The application is finished: the certificate may have another open application.</summary>
    public sealed record ReleaseCertificateClaim(string ApplicationId, string CertificateNumber) : SideEffect(ApplicationId);

    /// <summary>Delete the bytes of a document no reviewer ever saw (removed from a draft or returned application).</summary>
    public sealed record DeleteDocument(string ApplicationId, string DocumentId) : SideEffect(ApplicationId);

    /// <summary>
    /// Delete every stored byte of an application: its documents and any unfinished direct upload
    /// (a deleted draft; a closed application at the end of its retention period).
    /// </summary>
    public sealed record DeleteAllDocuments(string ApplicationId) : SideEffect(ApplicationId);
    /// <summary>Tell the reviewers concerned (a signed webhook to their city's or the province's URL) what the review clock recorded.</summary>
    public sealed record NotifyReviewers(string ApplicationId, ReviewerNotice Notice) : SideEffect(ApplicationId);
}

/// <summary>
/// A notice of the review clock for reviewers: no personal data, only what lets them find the
/// application. Reminders go to the reviewers of the stage; an escalation goes to the province.
/// </summary>
/// <param name="Kind">Due soon, overdue, or escalated.</param>
/// <param name="Stage">The stage concerned.</param>
/// <param name="CityCode">The application's city code.</param>
/// <param name="DueAt">When the stage is (was) due.</param>
/// <param name="Round">The submission round.</param>
public sealed record ReviewerNotice(DeadlineNotice Kind, ReviewStage Stage, string CityCode, DateTimeOffset DueAt, int Round)
{
    /// <summary>True when the province is told (its own stage, or an escalation); otherwise the city.</summary>
    public bool ToProvince => Kind == DeadlineNotice.Escalated || Stage == ReviewStage.Province;
}

/// <summary>Settings the reactions need.</summary>
/// <param name="Sms">Signature and templates.</param>
/// <param name="ExtensionYears">How far an extension moves valid-until (default 3 years).</param>
/// <param name="ReissueNumberFormat">How a reissued certificate's number is written (null: <see cref="Certificates.ReissueNumberFormat.Default"/>).</param>
public sealed record ReactionSettings(SmsComposer Sms, int ExtensionYears = 3, Certificates.ReissueNumberFormat? ReissueNumberFormat = null)
{
    /// <summary>The reissue number format in force.</summary>
    public Certificates.ReissueNumberFormat ReissueNumbers => ReissueNumberFormat ?? Certificates.ReissueNumberFormat.Default;
}

/// <summary>Which side effects an event causes.</summary>
public static class ApplicationReactions
{
    /// <summary>All side effects of one transition: each event's, in order. (Lists, queues and timers are not side effects: they are written with the transition.)</summary>
    public static IReadOnlyList<SideEffect> ForTransition(ApplicationState before, IReadOnlyList<ApplicationEvent> events, ReactionSettings settings)
    {
        var effects = new List<SideEffect>();
        var state = before;
        foreach (var e in events)
        {
            state = ApplicationState.Evolve(state, e);
            effects.AddRange(For(e, state, settings));
        }
        return effects;
    }

    /// <summary>The side effects of <paramref name="e"/>, given the state after it.</summary>
    public static IReadOnlyList<SideEffect> For(ApplicationEvent e, ApplicationState after, ReactionSettings settings) =>
        after.Kind == ApplicationKind.EnterpriseChange ? EnterpriseChangeRules.Adapt(ForAny(e, after, settings), e, after) : ForAny(e, after, settings);

    private static IReadOnlyList<SideEffect> ForAny(ApplicationEvent e, ApplicationState after, ReactionSettings settings)
    {
        if (after.Kind == ApplicationKind.BatchReissue && BatchReissue.Reactions(e, after, settings) is { } batch) return batch;
        if (PublicNoticeRules.Reactions(e, after, settings) is { } notice) return notice;
        var phone = after.Details.NotificationPhone;
        switch (e)
        {
            case ApplicationEvent.CityReviewReturned r:
                return [new SideEffect.SendSms(after.Id, phone, settings.Sms.Returned(after, ReviewStage.City, r.Reason))];
            case ApplicationEvent.ProvinceReviewReturned r:
                return [new SideEffect.SendSms(after.Id, phone, settings.Sms.Returned(after, ReviewStage.Province, r.Reason))];
            // The approval at the last stop of the route, or the confirmation of one with none, takes effect — or the end of
            // the public notice it started, dated on the approval's day all the same.
            case ApplicationEvent.CityReviewApproved or ApplicationEvent.ProvinceReviewApproved or ApplicationEvent.ConfirmationGiven or ApplicationEvent.PublicNoticeEnded
                when after.Status == ApplicationStatus.Approved:
                var approvedAt = e is ApplicationEvent.PublicNoticeEnded && after.PublicNotice is { } started ? started.StartedAt : e.At;
                var newNumber = after.Kind == ApplicationKind.Reissue ? settings.ReissueNumbers.NumberFor(after.Id, after.CertificateNumber) : null;
                DateOnly? newValidUntil = after.Kind == ApplicationKind.Extension
                    ? Certificates.CertificateEffects.ExtendedValidUntil(after.CertificateValidUntil, ApplicationDecider.Today(approvedAt), settings.ExtensionYears)
                    : null;
                return
                [
                    new SideEffect.ApplyToCertificate(after.Id, after.CertificateNumber, after.Kind, after.Details.Changes, newNumber, newValidUntil,
                        ApplicationDecider.Today(approvedAt)),
                    new SideEffect.SendSms(after.Id, phone, settings.Sms.Approved(after, newNumber, newValidUntil)),
                ];
            case ApplicationEvent.Withdrawn:
                return [new SideEffect.ReleaseCertificateClaim(after.Id, after.CertificateNumber)];
            case ApplicationEvent.ConfirmationRefused:
                return
                [
                    new SideEffect.SendSms(after.Id, phone, settings.Sms.ConfirmationRefused(after)),
                    new SideEffect.ReleaseCertificateClaim(after.Id, after.CertificateNumber),
                ];
            case ApplicationEvent.AutoWithdrawn w:
                return
                [
                    new SideEffect.SendSms(after.Id, phone, settings.Sms.AutoWithdrawn(after, w.AfterDays)),
                    new SideEffect.ReleaseCertificateClaim(after.Id, after.CertificateNumber),
                ];
            case ApplicationEvent.DeadlineExtended x:
                return [new SideEffect.SendSms(after.Id, phone, settings.Sms.DeadlineExtended(after, x.WorkingDays, x.Reason))];
            case ApplicationEvent.ReviewReminderSent r:
                return [new SideEffect.NotifyReviewers(after.Id, new ReviewerNotice(r.Kind, r.Stage, after.ReviewCityCode, r.DueAt, after.Round))];
            case ApplicationEvent.StageEscalated x:
                return [new SideEffect.NotifyReviewers(after.Id, new ReviewerNotice(DeadlineNotice.Escalated, x.Stage, after.ReviewCityCode, x.DueAt, after.Round))];
            // A removed document that some round's reviewers saw stays as evidence; any other goes.
            case ApplicationEvent.DocumentRemoved r when after.Document(r.DocumentId) is null:
                return [new SideEffect.DeleteDocument(after.Id, r.DocumentId)];
            case ApplicationEvent.Deleted:
            case ApplicationEvent.DocumentsPurged:
                return [new SideEffect.DeleteAllDocuments(after.Id)];
            default:
                return [];
        }
    }
}
