using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Applications;

/// <summary>The holder as shown to a caller (masked unless they may see personal data).</summary>
public sealed record HolderView(string Name, string IdNumber);

/// <summary>Requested changes as shown to a caller.</summary>
public sealed record ChangesView(string? HolderName, string? HolderIdNumber, string? Employer, string? EmployerCode, string? CityCode = null);

/// <summary>Who acted, as shown in the history.</summary>
public sealed record ActorView(string Role, string Name);

/// <summary>One step of the history (操作轨迹): who, when, what, from → to, why.</summary>
public sealed record HistoryEntryView(int Version, DateTimeOffset At, string Action, string ActionText, ActorView Actor,
    ApplicationStatus? From, ApplicationStatus To, string ToText, string? Reason,
    IReadOnlyList<Documents.DocumentReferenceView>? Documents = null, ToFixView? ToFix = null);

/// <summary>One item a return asks to correct: its code as the API writes it and its Chinese label.</summary>
public sealed record CorrectionItemView(string Code, string Label);

/// <summary>What a return asks the applicant to correct (一次告知): fields to edit and documents to supply again.</summary>
public sealed record ToFixView(IReadOnlyList<CorrectionItemView> Fields, IReadOnlyList<CorrectionItemView> DocumentTypes)
{
    /// <summary>The view of a return's corrections, or null when it listed none.</summary>
    public static ToFixView? Of(ApplicationEvent e, ApplicationState state)
    {
        var toFix = e switch { ApplicationEvent.CityReviewReturned r => r.ToFix, ApplicationEvent.ProvinceReviewReturned r => r.ToFix, _ => null };
        if (toFix is null) return null;
        var labels = ApplicationDetailsRules.CorrectableFields(state.Kind, state.Details.Changes);
        return new ToFixView(
            toFix.Fields.Select(f => new CorrectionItemView(f, labels.GetValueOrDefault(f, f))).ToList(),
            toFix.DocumentTypes.Select(t => new CorrectionItemView(t.Code(), t.Label())).ToList());
    }
}

/// <summary>
/// An application as every endpoint answers it. <c>Version</c> is its revision, the ETag a PUT's
/// If-Match takes: it counts changes, not the document openings the history also records (a history
/// entry's <c>Version</c> is its place in the history).
/// </summary>
public sealed record ApplicationView(
    string Id, ApplicationKind Kind, string KindText, string CertificateNumber, ApplicationStatus Status, string StatusText,
    ReviewStage? Stage, int Round, HolderView Holder, string CityCode, string? CityName, string NotificationPhone,
    ChangesView? Changes, ReissueReason? ReissueReason, string? Reason, IReadOnlyList<string> Warnings,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, int Version,
    IReadOnlyList<HistoryEntryView> History, IReadOnlyList<string> AllowedActions, IReadOnlyList<SmsDeliveryView> Sms, DeadlineView? Deadline = null,
    IReadOnlyList<Security.CallbackLinkView>? CallbackLinks = null, DateTimeOffset? DocumentsPurgedAt = null, ToFixView? ToFix = null,
    bool? SocialInsuranceException = null, EnterpriseChangeView? Enterprise = null,
    IReadOnlyList<BatchLineView>? Lines = null, string? FormUrl = null, string? CertificatePdfUrl = null,
    PublicNotices.ApplicationNoticeView? PublicNotice = null, CommitmentView? Commitment = null,
    ChangesSinceLastReturnView? ChangesSinceLastReturn = null);

/// <summary>The enterprise an enterprise change concerns, as filed, and what changes (no certificate, no holder: those fields are empty).</summary>
public sealed record EnterpriseChangeView(string Uscc, string Name, string CityCode, string? NewName, string? NewCityCode);

/// <summary>One line of a list.</summary>
public sealed record ApplicationSummaryView(
    string Id, ApplicationKind Kind, string KindText, string CertificateNumber, ApplicationStatus Status, string StatusText,
    string HolderName, string CityCode, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset StatusSince, int Round,
    DateOnly? DueOn = null, DateTimeOffset? DueAt = null, bool? Overdue = null, int? RemainingWorkingDays = null);

/// <summary>A page of a list.</summary>
public sealed record PageView<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>Builds the views, masking personal data for callers who may not see it (PIPL).</summary>
public static class ApplicationViews
{
    /// <summary>The application as <paramref name="viewer"/> may see it.</summary>
    public static ApplicationView For(StoredApplication stored, Actor viewer, ProvinceProfile province, DeadlineView? deadline = null,
        Core.Certificates.ReissueNumberFormat? reissueNumbers = null)
    {
        var s = stored.State;
        var open = AccessRules.SeesPersonalData(viewer, s);
        string Id(string? v) => open ? v ?? "" : Masking.IdNumber(v);
        string Name(string? v) => open ? v ?? "" : Masking.Name(v);
        var c = s.Details.Changes;
        return new ApplicationView(
            s.Id, s.Kind, s.Kind.Label(), s.CertificateNumber, s.Status, s.Status.Label(), s.Status.Stage(), s.Round,
            new HolderView(Name(s.HolderName), Id(s.HolderIdNumber)), s.CityCode, province.CityOf(s.CityCode)?.Name,
            open ? s.Details.NotificationPhone : Masking.Phone(s.Details.NotificationPhone),
            c is null ? null : new ChangesView(c.HolderName is null ? null : Name(c.HolderName), c.HolderIdNumber is null ? null : Id(c.HolderIdNumber), c.Employer, c.EmployerCode,
                c.CityCode),
            s.Details.ReissueReason, s.Details.Reason, ApplicationDetailsRules.Warnings(s.Details),
            s.CreatedAt, s.UpdatedAt, s.SubmittedAt, s.Revision, History(stored.History, open), ApplicationDecider.AllowedActions(viewer, s),
            SmsViews.For(stored, open), deadline, DocumentsPurgedAt: s.DocumentsPurgedAt,
            // While returned: what the return that sent it back asks to correct.
            ToFix: s.Status.IsReturned() && stored.History.LastOrDefault(e => e is ApplicationEvent.CityReviewReturned or ApplicationEvent.ProvinceReviewReturned) is { } returned
                ? ToFixView.Of(returned, s) : null,
            SocialInsuranceException: s.Details.SocialInsuranceException,
            Enterprise: s.Enterprise is { } e ? new EnterpriseChangeView(e.Uscc, e.Name, e.CityCode, e.NewName, e.NewCityCode) : null,
            Lines: BatchLineView.For(s, viewer, reissueNumbers ?? Core.Certificates.ReissueNumberFormat.Default),
            FormUrl: $"/api/applications/{s.Id}/form.pdf", CertificatePdfUrl: Certificates.ElectronicCertificatesApi.PdfUrlOf(s, reissueNumbers),
            PublicNotice: PublicNotices.ApplicationNoticeView.For(s, viewer),
            Commitment: CommitmentView.AcceptedBy(s),
            ChangesSinceLastReturn: ChangesSinceLastReturnView.For(stored.History, s, viewer, open));
    }

    /// <summary>A list line as <paramref name="viewer"/> may see it.</summary>
    public static ApplicationSummaryView For(ApplicationSummary s, Actor viewer, ListDeadline? deadline = null)
    {
        var open = s.HolderIdNumbers.Any(id => AccessRules.SeesPersonalDataOf(viewer, id, s.CityCode));
        return new ApplicationSummaryView(s.Id, s.Kind, s.Kind.Label(), s.CertificateNumber, s.Status, s.Status.Label(),
            open ? s.HolderName : Masking.Name(s.HolderName), s.CityCode, s.CreatedAt, s.SubmittedAt, s.StatusSince, s.Round,
            deadline?.DueOn, deadline?.DueAt, deadline?.Overdue, deadline?.RemainingWorkingDays);
    }

    private static IReadOnlyList<HistoryEntryView> History(IReadOnlyList<ApplicationEvent> events, bool seesPersonalData)
    {
        var list = new List<HistoryEntryView>(events.Count);
        var state = ApplicationState.Initial;
        foreach (var e in events)
        {
            var next = ApplicationState.Evolve(state, e);
            var (action, text, reason) = e switch
            {
                ApplicationEvent.Created => ("create", "创建申请", null),
                ApplicationEvent.Edited => ("edit", "修改申请", null),
                ApplicationEvent.Deleted => ("delete", "删除草稿", null),
                ApplicationEvent.Submitted sub => ("submit", sub.Round > 1 ? "重新提交" : "提交申请", null),
                ApplicationEvent.Withdrawn => ("withdraw", "撤回申请", null),
                ApplicationEvent.ConfirmationGiven => ("confirm", "对方确认", null),
                ApplicationEvent.ConfirmationRefused => ("refuseConfirmation", "对方不同意，申请撤回", null),
                ApplicationEvent.CityReviewApproved { ConditionMet: { } met } => ("cityApprove", "市州审核通过（社保例外：" + met.Label() + "）", null),
                ApplicationEvent.CityReviewApproved { Struck.Count: > 0 } a => ("cityApprove", $"市州审核通过，划去{a.Struck.Count}本证书", StruckText(a.Struck)),
                ApplicationEvent.CityReviewApproved => ("cityApprove", "市州审核通过", null),
                ApplicationEvent.CityReviewReturned r => ("cityReturn", "市州退回", r.Reason),
                ApplicationEvent.ProvinceReviewApproved { Notice: { } n } => ("provinceApprove", $"省级审核通过，予以公示（公示期至{BeijingTime.DayEndingAt(n.EndsAt):yyyy-MM-dd}）", null),
                ApplicationEvent.ProvinceReviewApproved { Struck.Count: > 0 } a => ("provinceApprove", $"省级审核通过，划去{a.Struck.Count}本证书", StruckText(a.Struck)),
                ApplicationEvent.ProvinceReviewApproved => ("provinceApprove", "省级审核通过", null),
                ApplicationEvent.ProvinceReviewReturned r => ("provinceReturn", "省级退回", r.Reason),
                ApplicationEvent.DeadlineExtended x => ("extendDeadline", $"延长办理期限{x.WorkingDays}个工作日", x.Reason),
                ApplicationEvent.ReviewReminderSent r => ("remind", $"{StageText(r.Stage)}{(r.Kind == DeadlineNotice.DueSoon ? "即将到期" : "已逾期")}，已提醒审核人员", null),
                ApplicationEvent.StageEscalated x => ("escalate", $"{StageText(x.Stage)}逾期，已上报省级", null),
                ApplicationEvent.AutoWithdrawn w => ("autoWithdraw", $"退回后{w.AfterDays}日内未重新提交，系统自动撤回", null),
                ApplicationEvent.DocumentAttached => ("attachDocument", "上传材料", null),
                ApplicationEvent.DocumentRemoved => ("removeDocument", "删除材料", null),
                ApplicationEvent.DocumentOpened => ("openDocument", "查看材料", null),
                ApplicationEvent.DocumentsPurged p => ("purgeDocuments", $"办结满{p.AfterDays}日，材料已按保存期限清除", null),
                // What an objector wrote is not in the history: staff read it under publicNotice.objections.
                ApplicationEvent.ObjectionReceived o => ("objection", $"公示期间收到异议{o.ObjectionId}", null),
                ApplicationEvent.ObjectionUpheld u => ("upholdObjection", $"异议{u.ObjectionId}经核查成立，公示终止，转回审核", u.Note),
                ApplicationEvent.ObjectionDismissed d => ("dismissObjection", $"异议{d.ObjectionId}经核查不成立，予以驳回", d.Note),
                ApplicationEvent.PublicNoticeEnded => ("endPublicNotice", "公示期满，无异议或异议均不成立，审批生效", null),
                ApplicationEvent.NotificationPhoneChanged p => ("changeNotificationPhone", $"更换接收短信的手机号为{Masking.Phone(p.Phone)}", null),
                _ => ("unknown", "", (string?)null),
            };
            // Reviewers are named (they act for the authority); the holder by name only to whom
            // may see the holder's personal data (the holder, the reviewers), masked for others.
            var name = e.By.Role is Role.Applicant && !seesPersonalData ? Masking.Name(e.By.Name) : e.By.Name;
            var role = e.By == ActorRef.Of(Actor.System) ? "system" : Caller.NameOf(e.By.Role);
            list.Add(new HistoryEntryView(next.Version, e.At, action, text, new ActorView(role, name),
                state.Status == ApplicationStatus.None ? null : state.Status, next.Status, next.Status.Label(), reason, Documents.DocumentHistory.Of(e),
                ToFixView.Of(e, next)));
            state = next;
        }
        return list;
    }

    private static string StruckText(IReadOnlyList<LineStrike> struck) => string.Join("；", struck.Select(s => $"{s.CertificateNumber}：{s.Reason}"));

    private static string StageText(ReviewStage stage) => stage == ReviewStage.City ? "市州审核" : "省级审核";
}
