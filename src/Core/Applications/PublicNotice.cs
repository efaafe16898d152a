using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// The public notice (公示) setting: <paramref name="WorkingDays"/> of <c>Registry:PublicNoticeDays</c> (0 = off), counted on
/// <paramref name="Calendar"/>, the review clock's working-day calendar.
/// </summary>
public sealed record PublicNoticePolicy(int WorkingDays, WorkingCalendar Calendar)
{
    /// <summary>The longest notice that can be set.</summary>
    public const int MaxWorkingDays = 30;

    /// <summary>No public notice: an approval takes effect at once.</summary>
    public static PublicNoticePolicy Off { get; } = new(0, WorkingCalendar.WeekendsOnly);

    /// <summary>Whether an approval of <paramref name="kind"/> goes under notice (<see cref="PublicNoticeRules.NoticedKinds"/>).</summary>
    public bool AppliesTo(ApplicationKind kind) => WorkingDays > 0 && PublicNoticeRules.NoticedKinds.Contains(kind);

    /// <summary>
    /// When a notice started at <paramref name="startedAt"/> ends: the end (Beijing midnight) of its last working day. It runs
    /// from the next day, as every period of the review clock does: approved on a Friday, a 2-day notice covers Monday and Tuesday.
    /// </summary>
    public DateTimeOffset EndsAt(DateTimeOffset startedAt) => BeijingTime.EndOf(Calendar.AddWorkingDays(BeijingTime.DateOf(startedAt), WorkingDays));
}

/// <summary>What an approval under public notice records: the length of its notice, when it ends, and the post it publishes.</summary>
/// <param name="WorkingDays">The notice's length as configured at the approval (a later change of the setting moves no running notice).</param>
/// <param name="EndsAt">The end of its last working day (Beijing time).</param>
/// <param name="Post">The certificate's post as published, e.g. 施工员(土建施工).</param>
public sealed record PublicNoticeTerms(int WorkingDays, DateTimeOffset EndsAt, string Post);

/// <summary>A reviewer's decision on an objection.</summary>
public enum ObjectionDecision
{
    /// <summary>成立: the notice ends without effect and the application returns to its last review stop.</summary>
    Uphold,
    /// <summary>不成立: the notice goes on.</summary>
    Dismiss,
}

/// <summary>Where an objection stands.</summary>
public enum ObjectionStatus
{
    /// <summary>待处理: waiting for a reviewer's decision (the effect waits too).</summary>
    Pending,
    /// <summary>异议成立.</summary>
    Upheld,
    /// <summary>异议不成立.</summary>
    Dismissed,
    /// <summary>随公示终止: undecided when its notice ended without effect (another objection upheld, the application withdrawn).</summary>
    Closed,
}

/// <summary>One objection to a public notice, as the history records it.</summary>
/// <param name="Id">YY01, YY02, … within the application.</param>
/// <param name="Notice">The number of the notice it was filed against (1 for the first; an upheld objection's re-approval starts the next).</param>
/// <param name="Reason">What the objector says.</param>
/// <param name="ContactPhone">The objector's mobile number (personal data).</param>
/// <param name="ReceivedAt">When it came in.</param>
/// <param name="Decision">The reviewer's decision, once made.</param>
/// <param name="Note">The reviewer's note (the applicant reads it).</param>
/// <param name="DecidedBy">Who decided it.</param>
/// <param name="DecidedAt">When.</param>
public sealed record Objection(string Id, int Notice, string Reason, string ContactPhone, DateTimeOffset ReceivedAt,
    ObjectionDecision? Decision = null, string? Note = null, ActorRef? DecidedBy = null, DateTimeOffset? DecidedAt = null);

/// <summary>The application's current (or last) public notice.</summary>
/// <param name="Number">1 for the first notice; each re-approval after an upheld objection starts the next.</param>
/// <param name="StartedAt">When the approval that started it was made: the approval's day dates the register's change.</param>
/// <param name="Terms">Its length, end and the post it publishes.</param>
/// <param name="ApprovedBy">The reviewer whose approval started it.</param>
public sealed record PublicNoticeState(int Number, DateTimeOffset StartedAt, PublicNoticeTerms Terms, ActorRef ApprovedBy);

/// <summary>
/// What the public list shows of an application under notice: no ID number ever, the holder's name masked, the objector's
/// way in (the application id).
/// </summary>
public sealed record NoticePublication(string ApplicationId, ApplicationKind Kind, string CertificateNumber, string HolderName, string Post,
    string Change, string CityCode, DateTimeOffset StartedAt, DateTimeOffset EndsAt);

/// <summary>
/// The public notice (公示, seeds 003/004 "审核通过后进行网上公示公告，公告无异议后发电子证书"), ADR 0022. With
/// <c>Registry:PublicNoticeDays</c> on, the province's approval of a <see cref="NoticedKinds">noticed kind</see> at the last
/// stop of its route does not take effect: the application goes under notice (<see cref="ApplicationStatus.UnderPublicNotice"/>)
/// until the end of the notice's last working day. Anyone may object meanwhile; a reviewer of the last stop upholds an
/// objection (the notice ends without effect and the application is back at that stop) or dismisses it. The approval takes
/// effect (<see cref="ApplicationEvent.PublicNoticeEnded"/>) once the period is over and every objection of the notice is
/// dismissed: recorded by the review clock (<see cref="ReviewClock"/>) when the period ends, or by the dismissal of the last
/// objection after it. The register is dated on the approval's day, as without notice.
/// </summary>
public static class PublicNoticeRules
{
    /// <summary>
    /// The kinds a notice applies to: those that change what the register says of a holder (a change, a transfer, an
    /// extension) or put a second certificate in the world (a reissue). Not a cancellation (the holder gives the certificate
    /// up), an enterprise change (the enterprise's own registered data) or a batch reissue (see ADR 0022).
    /// </summary>
    public static readonly IReadOnlySet<ApplicationKind> NoticedKinds =
        new HashSet<ApplicationKind> { ApplicationKind.Change, ApplicationKind.Reissue, ApplicationKind.Extension, ApplicationKind.Transfer };

    /// <summary>Shortest objection reason.</summary>
    public const int MinReasonLength = 5;

    /// <summary>Longest objection reason, and longest decision note.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Objections one notice takes: each texts the applicant, so a flood is cut off.</summary>
    public const int MaxObjectionsPerNotice = 10;

    /// <summary>The terms an approval records, or null when it takes effect at once (no notice for its kind, not the last stop).</summary>
    public static PublicNoticeTerms? TermsFor(ApplicationCommand.ApproveAtProvince? approval, ApplicationState state) =>
        approval?.PublicNotice is { } policy && policy.AppliesTo(state.Kind) && state.StopIndex == state.Route.Count - 1
            ? new PublicNoticeTerms(policy.WorkingDays, policy.EndsAt(approval.At), approval.Post ?? "")
            : null;

    /// <summary>The notice is running (the application is under notice).</summary>
    public static bool IsRunning(ApplicationState state) => state.Status == ApplicationStatus.UnderPublicNotice && state.PublicNotice is not null;

    /// <summary>The objections of the running notice nobody has decided yet (none when no notice runs).</summary>
    public static IReadOnlyList<Objection> Undecided(ApplicationState state) => IsRunning(state)
        ? state.Objections.Where(o => o.Notice == state.PublicNotice!.Number && o.Decision is null).ToList()
        : [];

    /// <summary>Where an objection stands.</summary>
    public static ObjectionStatus StatusOf(Objection objection, ApplicationState state) => objection.Decision switch
    {
        ObjectionDecision.Uphold => ObjectionStatus.Upheld,
        ObjectionDecision.Dismiss => ObjectionStatus.Dismissed,
        _ => IsRunning(state) && objection.Notice == state.PublicNotice!.Number ? ObjectionStatus.Pending : ObjectionStatus.Closed,
    };

    /// <summary>The Chinese label of an objection's status.</summary>
    public static string Label(this ObjectionStatus status) => status switch
    {
        ObjectionStatus.Pending => "待处理",
        ObjectionStatus.Upheld => "异议成立",
        ObjectionStatus.Dismissed => "异议不成立",
        _ => "随公示终止",
    };

    /// <summary>
    /// When the review clock next looks at a running notice: its end, unless an objection is undecided (then nothing falls due
    /// by time: the last dismissal ends it). Null when no notice runs.
    /// </summary>
    public static DateTimeOffset? EndCheckAt(ApplicationState state) =>
        IsRunning(state) && Undecided(state).Count == 0 ? state.PublicNotice!.Terms.EndsAt : null;

    /// <summary>What the review clock records at <paramref name="at"/> for a running notice: its end once due, else nothing.</summary>
    public static IReadOnlyList<ApplicationEvent> DueEvents(ApplicationState state, ActorRef by, DateTimeOffset at) =>
        EndCheckAt(state) is { } endsAt && at >= endsAt ? [new ApplicationEvent.PublicNoticeEnded(by, at)] : [];

    /// <summary>
    /// What is wrong with an objection's fields (all at once), or nothing; the normalised reason and phone. The one check of
    /// them: the endpoint runs it before reading anything, the decider again.
    /// </summary>
    public static (string Reason, string Phone, Dictionary<string, string[]> Errors) CheckObjection(string? reason, string? contactPhone)
    {
        var errors = new Dictionary<string, string[]>();
        var text = reason?.Trim() ?? "";
        if (text.Length == 0) errors["reason"] = ["请填写异议理由，写明具体事实"];
        else if (text.Length < MinReasonLength) errors["reason"] = [$"异议理由至少{MinReasonLength}个字，请写明具体事实"];
        else if (text.Length > MaxReasonLength) errors["reason"] = [$"异议理由不能超过{MaxReasonLength}字"];
        else if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) errors["reason"] = ["异议理由含有无效字符"];
        var phone = "";
        if (string.IsNullOrWhiteSpace(contactPhone)) errors["contactPhone"] = ["请填写联系电话（手机号码），以便核查时联系"];
        else if (!MobileNumber.TryParse(contactPhone.Trim(), out var number)) errors["contactPhone"] = ["联系电话应为11位手机号码（可带+86）"];
        else phone = number!.Value;
        return (text, phone, errors);
    }

    /// <summary>
    /// Anyone files an objection while the notice period runs. Not under notice, or its period over: 404, as for an unknown
    /// application (the public learns nothing else of it). The same objection again (reason and phone) while it is undecided is
    /// a repeat; more than <see cref="MaxObjectionsPerNotice"/> are refused.
    /// </summary>
    public static Decision File(ApplicationCommand.FileObjection c, ApplicationState state)
    {
        if (!IsRunning(state) || c.At >= state.PublicNotice!.Terms.EndsAt)
            return Decision.Refuse(RefusalKind.NotFound, "public_notice_not_found", "公示不存在或公示期已结束");
        var (reason, phone, errors) = CheckObjection(c.Reason, c.ContactPhone);
        if (errors.Count > 0) return Refusal.InvalidFields(errors);
        var notice = state.PublicNotice.Number;
        if (Undecided(state).Any(o => o.Reason == reason && o.ContactPhone == phone)) return Decision.Unchanged;
        if (state.Objections.Count(o => o.Notice == notice) >= MaxObjectionsPerNotice)
            return Decision.Refuse(RefusalKind.Conflict, "objection_limit_reached",
                $"该公示已收到{MaxObjectionsPerNotice}件异议，审核部门正在核查；如有新的事实，请直接联系审核部门");
        return Decision.Accept(new ApplicationEvent.ObjectionReceived(ObjectionIdOf(state.Objections.Count + 1), reason, phone, ActorRef.Of(Actor.Public), c.At));
    }

    /// <summary>
    /// A reviewer of the last review stop (<see cref="AccessRules.CanDecideObjection"/>) decides an undecided objection of the
    /// running notice, with a note. Upheld: the notice ends without effect. Dismissed after the period is over and no other
    /// objection undecided: the approval takes effect in the same transition.
    /// </summary>
    public static Decision Decide(ApplicationCommand.DecideObjection c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.CanDecideObjection(c.By, state))
            return Decision.Refuse(RefusalKind.Forbidden, "not_objection_reviewer", "只有作出该审批决定的审核部门（省级审核人员）可以处理公示异议");
        if (state.Objections.FirstOrDefault(o => o.Id == c.ObjectionId) is not { } objection)
            return Decision.Refuse(RefusalKind.NotFound, "objection_not_found", "异议不存在");
        var note = c.Note?.Trim() ?? "";
        if (objection.Decision is { } decided)
            return decided == c.Decision && objection.DecidedBy == by && objection.Note == note
                ? Decision.Unchanged
                : Decision.Refuse(RefusalKind.Conflict, "objection_already_decided",
                    $"异议{objection.Id}已于{ApplicationDecider.Today(objection.DecidedAt!.Value):yyyy-MM-dd}处理（{StatusOf(objection, state).Label()}），不能再次处理");
        if (StatusOf(objection, state) != ObjectionStatus.Pending)
            return Decision.Refuse(RefusalKind.Conflict, "public_notice_not_running",
                $"异议{objection.Id}所属的公示已终止（申请当前状态为“{state.Status.Label()}”），无需再处理");
        if (note.Length == 0)
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["note"] = ["处理异议须填写处理意见，意见将告知申请人"] });
        if (note.Length > MaxReasonLength)
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["note"] = [$"处理意见不能超过{MaxReasonLength}字"] });
        if (c.Decision == ObjectionDecision.Uphold) return Decision.Accept(new ApplicationEvent.ObjectionUpheld(objection.Id, note, by, c.At));
        var dismissed = new ApplicationEvent.ObjectionDismissed(objection.Id, note, by, c.At);
        var lastOne = Undecided(state).Count == 1;
        return lastOne && c.At >= state.PublicNotice!.Terms.EndsAt
            ? Decision.Accept(dismissed, new ApplicationEvent.PublicNoticeEnded(by, c.At))
            : Decision.Accept(dismissed);
    }

    /// <summary>The state after an approval that starts a notice: past the last stop, under notice (not approved).</summary>
    public static ApplicationState Started(ApplicationState state, ApplicationEvent.ProvinceReviewApproved approval, PublicNoticeTerms terms) => state with
    {
        StopIndex = state.StopIndex + 1,
        Status = ApplicationStatus.UnderPublicNotice,
        PublicNotice = new PublicNoticeState((state.PublicNotice?.Number ?? 0) + 1, approval.At, terms, approval.By),
    };

    /// <summary>The state after an event of the notice (an objection, a decision on it, the end).</summary>
    public static ApplicationState Evolve(ApplicationState state, ApplicationEvent e) => e switch
    {
        ApplicationEvent.ObjectionReceived o => state with
        {
            Objections = [.. state.Objections, new Objection(o.ObjectionId, state.PublicNotice?.Number ?? 0, o.Reason, o.ContactPhone, o.At)],
        },
        ApplicationEvent.ObjectionUpheld u => state with
        {
            Objections = Decided(state, u.ObjectionId, ObjectionDecision.Uphold, u.Note, u.By, u.At),
            // Back at the last stop of the route, whose reviewers decide again (with a fresh stage clock).
            StopIndex = Math.Max(0, state.Route.Count - 1),
            Status = state.Route.Count > 0 && state.Route[^1].Stage == ReviewStage.City ? ApplicationStatus.PendingCityReview : ApplicationStatus.PendingProvinceReview,
        },
        ApplicationEvent.ObjectionDismissed d => state with { Objections = Decided(state, d.ObjectionId, ObjectionDecision.Dismiss, d.Note, d.By, d.At) },
        ApplicationEvent.PublicNoticeEnded => state with { Status = ApplicationStatus.Approved },
        _ => state,
    };

    /// <summary>
    /// The side effects of the notice's events, or null for any other event: the applicant is texted when the notice starts,
    /// at each objection and at each decision; the reviewers of the last stop get a signed webhook for an objection. The end's
    /// side effects are the approval's (<see cref="ApplicationReactions"/>: the register, the approval SMS).
    /// </summary>
    public static IReadOnlyList<SideEffect>? Reactions(ApplicationEvent e, ApplicationState after, ReactionSettings settings)
    {
        var phone = after.Details.NotificationPhone;
        SideEffect Sms(SmsMessage message) => new SideEffect.SendSms(after.Id, phone, message);
        return e switch
        {
            ApplicationEvent.ProvinceReviewApproved { Notice: { } terms } when after.Status == ApplicationStatus.UnderPublicNotice =>
                [Sms(settings.Sms.PublicNoticeStarted(after, BeijingTime.DayEndingAt(terms.EndsAt)))],
            ApplicationEvent.ObjectionReceived when after.PublicNotice is { } notice && after.Route.Count > 0 =>
            [
                Sms(settings.Sms.ObjectionReceived(after)),
                new SideEffect.NotifyReviewers(after.Id, new ReviewerNotice(DeadlineNotice.ObjectionReceived, after.Route[^1].Stage,
                    after.Route[^1].CityCode ?? after.CityCode, notice.Terms.EndsAt, after.Round)),
            ],
            ApplicationEvent.ObjectionUpheld => [Sms(settings.Sms.ObjectionUpheld(after))],
            ApplicationEvent.ObjectionDismissed => [Sms(settings.Sms.ObjectionDismissed(after))],
            _ => null,
        };
    }

    /// <summary>What the public list shows of an application under notice, or null when none runs.</summary>
    public static NoticePublication? Publication(ApplicationState state) => IsRunning(state) && state.PublicNotice is { } notice
        ? new NoticePublication(state.Id, state.Kind, state.CertificateNumber, Masking.Name(state.HolderName), notice.Terms.Post, WhatChanges(state),
            state.CityCode, notice.StartedAt, notice.Terms.EndsAt)
        : null;

    /// <summary>What the approval changes, as the notice says it: a new name masked, an ID number never, an employer by name.</summary>
    public static string WhatChanges(ApplicationState state)
    {
        var c = state.Details.Changes;
        return state.Kind switch
        {
            ApplicationKind.Change when c?.HolderName is { } name => $"姓名变更为{Masking.Name(name)}",
            ApplicationKind.Change when c?.HolderIdNumber is not null => "身份证号码变更（号码不公示）",
            ApplicationKind.Change when c?.Employer is { } employer => $"工作单位变更为{employer}",
            ApplicationKind.Transfer when c?.Employer is { } employer => $"调入{employer}",
            ApplicationKind.Reissue => (state.Details.ReissueReason == ReissueReason.Damaged ? "污损" : "遗失") + "补办：补发新证书，原证书作废",
            ApplicationKind.Extension => "延期：延续证书有效期",
            _ => state.Kind.Label(),
        };
    }

    private static string ObjectionIdOf(int n) => $"YY{n:D2}";

    private static IReadOnlyList<Objection> Decided(ApplicationState state, string id, ObjectionDecision decision, string note, ActorRef by, DateTimeOffset at) =>
        state.Objections.Select(o => o.Id == id ? o with { Decision = decision, Note = note, DecidedBy = by, DecidedAt = at } : o).ToList();
}
