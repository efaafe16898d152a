using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Documents;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// The review workflow as a pure decider. Transition table (✓ = accepted, = = repeat of the
/// same decision by the same actor: no events, ✗ = refused with 409):
/// <code>
///                     none  draft  pendingConf  pendingCity  cityReturned  pendingProv  provReturned  approved  withdrawn
/// Create               ✓     ✗       ✗            ✗            ✗             ✗            ✗            ✗         ✗
/// Edit                 404   ✓       ✗            ✗            ✓             ✗            ✓            ✗         ✗
/// Delete               404   ✓       ✗            ✗            ✗             ✗            ✗            ✗         ✗
/// Submit               404   ✓       =            =            ✓             ✗            ✓            ✗         ✗
/// Confirm              404   ✗       ✓            ✗            ✗             ✗            ✗            ✗/=       ✗/=
/// Withdraw             404   ✗       ✓            ✓            ✓             ✓            ✓            ✗         =
/// ApproveAtCity        404   404     ✗            ✓            ✗             =            ✗            ✗         ✗
/// ReturnAtCity         404   404     ✗            ✓            =             ✗            ✗            ✗         ✗
/// ApproveAtProvince    404   404     ✗            ✗            ✗             ✓            ✗            =         ✗
/// ReturnAtProvince     404   404     ✗            ✗            ✗             ✓            =            ✗         ✗
/// ExtendDeadline       404   404     ✗            ✓            ✗             ✓            ✗            ✗         ✗
/// CheckDeadlines       404   =       ✓            ✓            ✓             ✓            ✓            ✓         ✓
/// AttachDocument       404   ✓       ✗            ✗            ✓             ✗            ✓            ✗         ✗
/// RemoveDocument       404   ✓       ✗            ✗            ✓             ✗            ✓            ✗         ✗
/// OpenDocument         404   =       ✓            ✓            ✓             ✓            ✓            ✓         ✓
/// ChangeNotificationPhone 404 ✓      ✓            ✓            ✓             ✓            ✓            ✗         ✗
/// </code>
/// A submission follows the route its kind's <see cref="WorkflowPolicy"/> gives, recorded on it: the
/// other party's confirmation first where the kind asks for one (pendingConf), then each review stop
/// in turn; an approval at the last stop (or the confirmation, with no stop) approves it. Confirm is
/// the other party's only (<see cref="AccessRules.CanConfirm"/>, 403 otherwise); a refusal withdraws
/// the application; the same answer again by the same party is =.
/// OpenDocument is ✓ (a <see cref="ApplicationEvent.DocumentOpened"/> in the history, which changes
/// neither status nor <see cref="ApplicationState.Revision"/>) when a reviewer or an admin opens a
/// document; = when the filer or the holder opens their own; 403 for whoever may not read the
/// documents (<see cref="AccessRules.CanReadDocuments"/>), 410 once they were purged.
/// ExtendDeadline is granted once per application (a second one is ✗; the same reason again by the
/// same reviewer is =). CheckDeadlines (the system's review clock) is ✓ only when something has
/// fallen due and is not recorded yet — a reminder, an escalation, the withdrawal of a returned
/// application, the purge of a closed application's documents once its retention period has
/// passed (see <see cref="ReviewClock"/>) — and = otherwise.
/// Who may act is checked first (403), then the state (409), then the rules of the certificate (422).
/// Submit also needs every document type the <see cref="DocumentPolicy"/> requires (422, all missing
/// types at once), then the commitment in force (<see cref="SubmissionTerms"/>) and, where required, a notification phone the caller
/// verified within 30 minutes (<see cref="Phones.PhoneVerificationRules.CheckVerified"/>), each 422. ChangeNotificationPhone is
/// the filer's in every status but a closed one (<see cref="NotificationPhoneRules"/>). Attaching the same document again is a repeat (=); once submitted, a document is
/// evidence: removing it later (while returned) keeps it in <see cref="ApplicationState.EarlierDocuments"/>.
/// Reviewers do not see a draft that was never submitted (AccessRules.CanView): their decisions on one are 404.
/// underNotice (公示中, <see cref="PublicNoticeRules"/>), a tenth column: the province's approval at the last stop of a
/// noticed kind, with the notice on, leads there instead of to approved. In it Withdraw ✓, ApproveAtProvince = (the same
/// approval again), CheckDeadlines ✓ once the period is over and no objection is undecided (the notice ends: it takes
/// effect), OpenDocument ✓, every other command above ✗. Two commands act only there: FileObjection, anyone's
/// (<see cref="Actor.Public"/>) while the period runs and 404 in every other case, as for an unknown application; and
/// DecideObjection, the last stop's reviewers' (403 for others), 404 for an unknown objection, ✗ for one already decided or of
/// a notice that ended, = for the same decision again; dismissing the last undecided one after the period also ends the notice.
/// The one-open-application-per-certificate rule spans applications and is enforced by storage
/// at submit (see CertificateClaim); everything else is here.
/// </summary>
public static class ApplicationDecider
{
    /// <summary>Minimum time between two approved employer changes of a certificate.</summary>
    public const int MonthsBetweenEmployerChanges = 3;

    /// <summary>Decides a command against the current state.</summary>
    public static Decision Decide(ApplicationCommand command, ApplicationState state)
    {
        // The public objects to what it sees under notice, knowing nothing else of the application.
        if (command is ApplicationCommand.FileObjection objection) return PublicNoticeRules.File(objection, state);
        if (command is not (ApplicationCommand.Create or ApplicationCommand.CreateEnterpriseChange) && state.Status == ApplicationStatus.None)
            return Decision.Refuse(RefusalKind.NotFound, "application_not_found", "申请不存在");
        // Whoever may not even see an application learns nothing about it, not even that it exists.
        if (command is not (ApplicationCommand.Create or ApplicationCommand.CreateEnterpriseChange) && !AccessRules.CanView(command.By, state))
            return Decision.Refuse(RefusalKind.NotFound, "application_not_found", "申请不存在");
        var by = ActorRef.Of(command.By);
        return command switch
        {
            ApplicationCommand.Create c => Create(c, state, by),
            ApplicationCommand.CreateEnterpriseChange c => EnterpriseChangeRules.Create(c, state, by),
            ApplicationCommand.Edit c => Edit(c, state, by),
            ApplicationCommand.Delete c => Delete(c, state, by),
            ApplicationCommand.Submit c => Submit(c, state, by),
            ApplicationCommand.Withdraw c => Withdraw(c, state, by),
            ApplicationCommand.Confirm c => Confirm(c, state, by),
            ApplicationCommand.AttachDocument c => AttachDocument(c, state, by),
            ApplicationCommand.RemoveDocument c => RemoveDocument(c, state, by),
            ApplicationCommand.OpenDocument c => OpenDocument(c, state, by),
            ApplicationCommand.ApproveAtCity c => Review(c, state, ReviewStage.City, approve: true, null, by, strike: c.Strike),
            ApplicationCommand.ReturnAtCity c => Review(c, state, ReviewStage.City, approve: false, c.Reason, by, c.ToFix),
            ApplicationCommand.ApproveAtProvince c => Review(c, state, ReviewStage.Province, approve: true, null, by, strike: c.Strike),
            ApplicationCommand.ReturnAtProvince c => Review(c, state, ReviewStage.Province, approve: false, c.Reason, by, c.ToFix),
            ApplicationCommand.ExtendDeadline c => ExtendDeadline(c, state, by),
            ApplicationCommand.CheckDeadlines c => CheckDeadlines(c, state, by),
            ApplicationCommand.DecideObjection c => PublicNoticeRules.Decide(c, state, by),
            ApplicationCommand.ChangeNotificationPhone c => NotificationPhoneRules.Change(c, state, by),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    /// <summary>
    /// The actions this actor may take now, as the API names them, judged from the application
    /// (the certificate as filed): a filer whose certificate has since moved to another holder or
    /// employer is still offered edit and submit, and refused them with certificate_not_yours.
    /// </summary>
    public static IReadOnlyList<string> AllowedActions(Actor actor, ApplicationState state)
    {
        var actions = new List<string>();
        if (AccessRules.IsFiler(actor, state))
        {
            if (state.Status.IsEditable()) actions.AddRange(["edit", "submit"]);
            if (state.Status == ApplicationStatus.Draft) actions.Add("delete");
            if (state.Status.IsOpen()) actions.Add("withdraw");
        }
        if (state.Status == ApplicationStatus.PendingConfirmation && AccessRules.CanConfirm(actor, state)) actions.Add("confirm");
        if (state.Status.Stage() is { } stage && AccessRules.CanReview(actor, state, stage))
            actions.AddRange(stage == ReviewStage.City ? ["cityApprove", "cityReturn"] : ["provinceApprove", "provinceReturn"]);
        if (state.Status.Stage() is not null && state.Extension is null && AccessRules.CanExtendDeadline(actor))
            actions.Add("extendDeadline");
        if (PublicNoticeRules.Undecided(state).Count > 0 && AccessRules.CanDecideObjection(actor, state)) actions.Add("decideObjection");
        if (AccessRules.IsFiler(actor, state) && !state.Status.IsFinal()) actions.Add("changeNotificationPhone");
        return actions;
    }

    private static Decision Create(ApplicationCommand.Create c, ApplicationState state, ActorRef by)
    {
        if (state.Status != ApplicationStatus.None)
            return Decision.Refuse(RefusalKind.Conflict, "application_exists", "申请已存在");
        if (c.Kind == ApplicationKind.BatchReissue) return BatchReissue.Create(c, by);
        var filed = c.Details;
        var cityCode = c.Certificate.CityCode;
        if (c.Kind == ApplicationKind.Transfer)
        {
            var (change, refused) = TransferRules.CheckFiling(c.By, c.Certificate, c.Transfer);
            if (refused is not null) return refused;
            // The receiving enterprise's city reviews it (seed 001 "接收企业所在市主管部门审核").
            filed = filed with { Changes = change };
            cityCode = change!.CityCode!;
        }
        else if (!AccessRules.CanFileFor(c.By, c.Certificate)) return NotYours();
        // The rules read the details as normalised: employer fields sent empty change nothing.
        var (details, errors) = ApplicationDetailsRules.Validate(c.Kind, filed, c.Certificate, Today(c.At));
        if (CertificateRules(c.Kind, details, c.Certificate, c.ExtensionWindow, c.At, firstFiling: true) is { } refusal) return refusal;
        if (errors.Count > 0) return Refusal.InvalidFields(errors);
        return Decision.Accept(new ApplicationEvent.Created(
            c.ApplicationId, c.Kind, c.Certificate.Number, cityCode, c.Certificate.HolderIdNumber,
            c.Certificate.HolderName, c.Certificate.EmployerCode, c.Certificate.ValidUntil, details, by, c.At));
    }

    private static Decision Edit(ApplicationCommand.Edit c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsFiler(c.By, state)) return NotFiler();
        if (!AccessRules.CanFileFor(c.By, c.Certificate, state.Kind)) return NotYours();
        if (!state.Status.IsEditable())
            return Decision.Refuse(RefusalKind.Conflict, "application_not_editable", $"申请当前状态为“{state.Status.Label()}”，不能修改");
        // A transfer's change is the receiving enterprise's as filed: an edit cannot redirect it.
        var edited = state.Kind == ApplicationKind.Transfer ? c.Details with { Changes = state.Details.Changes } : c.Details;
        var (details, errors) = ApplicationDetailsRules.Validate(state.Kind, edited, c.Certificate, Today(c.At));
        if (errors.Count > 0) return Refusal.InvalidFields(errors);
        return details == state.Details ? Decision.Unchanged : Decision.Accept(new ApplicationEvent.Edited(details, by, c.At));
    }

    private static Decision Delete(ApplicationCommand.Delete c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsFiler(c.By, state)) return NotFiler();
        if (state.Status != ApplicationStatus.Draft)
            return Decision.Refuse(RefusalKind.Conflict, "application_not_draft", "只有草稿可以删除；已提交的申请可以撤回");
        return Decision.Accept(new ApplicationEvent.Deleted(by, c.At));
    }

    private static Decision Submit(ApplicationCommand.Submit c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsFiler(c.By, state)) return NotFiler();
        if (state.Status.IsOpen() && !state.Status.IsReturned() && state.LastEvent is ApplicationEvent.Submitted s && s.By == by)
            return Decision.Unchanged;
        if (!state.Status.IsEditable())
            return Decision.Refuse(RefusalKind.Conflict, "application_not_submittable", $"申请当前状态为“{state.Status.Label()}”，不能提交");
        // A batch checks every line not struck, each against its certificate as it is now; its first
        // line (the certificate the command carries) may be struck and is not the application's alone.
        if (state.Kind == ApplicationKind.BatchReissue)
        {
            if (BatchReissue.CheckAtSubmit(c, state) is { } batchRefusal) return batchRefusal;
        }
        // Filed while the certificate was theirs: it may have changed employer (or holder) since.
        else if (!AccessRules.CanFileFor(c.By, c.Certificate, state.Kind)) return NotYours();
        // A transfer is for the holder it was filed for: the holder confirms it.
        else if (state.Kind == ApplicationKind.Transfer && c.Certificate.HolderIdNumber != state.HolderIdNumber) return NotYours();
        // An enterprise change is checked against the enterprise as it is now (the command's subject): filed
        // before another change of it took effect, its route and endorsement would name what no longer is.
        else if (state.Enterprise is { } change && (c.Certificate.Employer != change.Name || c.Certificate.CityCode != change.CityCode))
            return new Refusal(RefusalKind.Conflict, "enterprise_changed_since_filing",
                $"本单位信息在本申请填写后已变更（现为“{c.Certificate.Employer}”），请删除本草稿后重新申请");
        // The employer recorded when it was filed sees it and confirms it: a draft whose certificate moved since must be filed anew.
        else if (state.Kind != ApplicationKind.Transfer && state.Enterprise is null && c.Certificate.EmployerCode != state.EmployerCode)
            return new Refusal(RefusalKind.Conflict, "employer_changed_since_filing",
                $"证书的工作单位在本申请填写后已变更为“{c.Certificate.Employer}”，请删除本草稿后重新申请");
        // An extension filed in its window and returned stays filed in time: the window is checked
        // until the first submission only, or a return near the window's end would lose it.
        else if (CertificateRules(state.Kind, state.Details, c.Certificate, c.ExtensionWindow, c.At, firstFiling: state.Round == 0) is { } refusal) return refusal;
        // Details were valid when saved, but the certificate may have changed since (e.g. the same name now).
        var (_, errors) = ApplicationDetailsRules.Validate(state.Kind, state.Details, c.Certificate, Today(c.At));
        if (errors.Count > 0) return Refusal.InvalidFields(errors);
        if (state.Kind == ApplicationKind.BatchReissue && BatchReissue.MissingDocuments(state, c.DocumentPolicy) is { } missingBatch) return missingBatch;
        var missing = c.DocumentPolicy.MissingFor(state);
        if (missing.Count > 0)
            return new Refusal(RefusalKind.RuleViolated, "missing_documents", "请补齐以下材料后再提交：" + string.Join("、", missing.Select(t => t.Label())),
                Extensions: new Dictionary<string, object> { ["missingDocumentTypes"] = missing.Select(t => t.Code()).ToArray() });
        // What the applicant accepts (the commitment in force) and where the results go (a verified phone), after the materials.
        if (SubmissionTerms.CheckCommitment(state.Kind, c.CommitmentVersion) is { } commitment) return commitment;
        if (Phones.PhoneVerificationRules.CheckVerified(c.Phone, state.Details.NotificationPhone, c.By, c.At) is { } unverified) return unverified;
        // The route is fixed at submission: a change of the settings never reroutes an application under review.
        var workflow = (c.Workflow ?? WorkflowPolicy.Default).For(state.Kind);
        var route = (c.Workflow ?? WorkflowPolicy.Default).RouteFor(state);
        // The usual route (its city, then the province) is recorded as none, as before routes existed.
        IReadOnlyList<ReviewStop>? recorded = route.SequenceEqual([new ReviewStop(ReviewStage.City, state.CityCode), new ReviewStop(ReviewStage.Province)]) ? null : route;
        var awaitsConfirmation = workflow.ConfirmedByOtherParty && state.Confirmation is null;
        if (route.Count == 0 && !awaitsConfirmation) throw new InvalidOperationException($"a {state.Kind} has neither a review stage nor a confirmation");
        return Decision.Accept(new ApplicationEvent.Submitted(state.Round + 1, c.Certificate.ValidUntil, by, c.At,
            state.Documents.Select(d => d.ToReference()).ToList(), recorded, awaitsConfirmation,
            state.Kind == ApplicationKind.BatchReissue ? BatchReissue.AsSubmitted(state, c.Batch) : null, Commitments.Current(state.Kind).Version));
    }

    private static Decision AttachDocument(ApplicationCommand.AttachDocument c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsFiler(c.By, state)) return NotFiler();
        // A retried commit of the same file: nothing new, whatever the status is by now.
        if (state.Document(c.Upload.DocumentId) is { } existing)
            return existing.Sha256 == c.Upload.Sha256 ? Decision.Unchanged
                : Decision.Refuse(RefusalKind.Conflict, "document_exists", "该材料编号已被使用，请重新上传");
        if (DocumentRules.CheckChange(c.By, state) is { } refusal) return refusal;
        if (DocumentRules.CheckRoom(state, c.DocumentPolicy) is { } full) return full;
        var (document, invalid) = DocumentRules.Check(c.Upload, c.DocumentPolicy, c.At);
        if (invalid is not null) return invalid;
        var (line, noLine) = BatchReissue.CheckDocumentLine(state, c.Upload);
        return noLine ?? Decision.Accept(new ApplicationEvent.DocumentAttached(document! with { CertificateNumber = line }, by, c.At));
    }

    private static Decision RemoveDocument(ApplicationCommand.RemoveDocument c, ApplicationState state, ActorRef by)
    {
        if (DocumentRules.CheckChange(c.By, state) is { } refusal) return refusal;
        if (state.Documents.FirstOrDefault(d => d.DocumentId == c.DocumentId) is not { } document)
            return Decision.Refuse(RefusalKind.NotFound, "document_not_found", "材料不存在");
        return Decision.Accept(new ApplicationEvent.DocumentRemoved(document.DocumentId, document.Type, by, c.At));
    }

    private static Decision OpenDocument(ApplicationCommand.OpenDocument c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.CanReadDocuments(c.By, state))
            return DocumentRules.NotReadable;
        if (state.DocumentsPurgedAt is { } purgedAt && state.PurgedDocuments.Any(d => d.DocumentId == c.DocumentId))
            return Decision.Refuse(RefusalKind.Gone, "document_purged", $"材料已按保存期限于{Today(purgedAt):yyyy-MM-dd}清除（申请办结后保存期满），无法再查看");
        if (state.Document(c.DocumentId) is not { } document)
            return Decision.Refuse(RefusalKind.NotFound, "document_not_found", "材料不存在");
        // Staff reading someone's ID card is what the record is for; the applicant reading their own is not.
        return AccessRules.IsStaff(c.By)
            ? Decision.Accept(new ApplicationEvent.DocumentOpened(document.ToReference(), by, c.At))
            : Decision.Unchanged;
    }

    private static Decision Withdraw(ApplicationCommand.Withdraw c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsFiler(c.By, state)) return NotFiler();
        if (state.Status == ApplicationStatus.Withdrawn && state.LastEvent?.By == by) return Decision.Unchanged;
        if (state.Status == ApplicationStatus.Draft)
            return Decision.Refuse(RefusalKind.Conflict, "draft_cannot_be_withdrawn", "草稿尚未提交，无需撤回，可直接删除");
        if (!state.Status.IsOpen())
            return Decision.Refuse(RefusalKind.Conflict, "application_closed", $"申请已{state.Status.Label()}，不能撤回");
        return Decision.Accept(new ApplicationEvent.Withdrawn(by, c.At));
    }

    private static Decision Confirm(ApplicationCommand.Confirm c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.CanConfirm(c.By, state))
            return Decision.Refuse(RefusalKind.Forbidden, "not_confirming_party",
                state.FiledBy?.Role == Role.Enterprise ? "只有持证人本人可以确认该申请" : "只有持证人所在单位可以确认该申请");
        // The same answer again by the same party: nothing new.
        if (state.LastEvent is ApplicationEvent.ConfirmationGiven or ApplicationEvent.ConfirmationRefused && state.LastEvent.By == by
            && (state.LastEvent is ApplicationEvent.ConfirmationGiven) == c.Accept)
            return Decision.Unchanged;
        if (state.Status != ApplicationStatus.PendingConfirmation)
            return Decision.Refuse(RefusalKind.Conflict, "not_awaiting_confirmation", $"申请当前状态为“{state.Status.Label()}”，无需确认");
        return Decision.Accept(c.Accept ? new ApplicationEvent.ConfirmationGiven(by, c.At) : new ApplicationEvent.ConfirmationRefused(by, c.At));
    }

    private static Decision Review(ApplicationCommand c, ApplicationState state, ReviewStage stage, bool approve, string? reason, ActorRef by,
        Corrections? toFix = null, IReadOnlyList<LineStrike>? strike = null)
    {
        if (!AccessRules.CanReview(c.By, state, stage))
            return Decision.Refuse(RefusalKind.Forbidden, "not_reviewer_of_stage",
                stage == ReviewStage.City ? "只有申请所属市州的审核人员可以作出市州审核决定" : "只有省级审核人员可以作出省级审核决定");
        reason = reason?.Trim();
        // Strikes are checked before anything else of the decision: the repeat test below compares the recorded strikes.
        if (strike is { Count: > 0 } && state.Status.Stage() == stage && BatchReissue.CheckStrikes(state, strike) is { } badStrike) return badStrike;
        if (strike is { Count: > 0 } && state.Kind != ApplicationKind.BatchReissue) return BatchReissue.CheckStrikes(state, strike)!;
        if (toFix is not null && (toFix.Fields.Any(string.IsNullOrWhiteSpace) || toFix.Fields.Count > ApplicationDetailsRules.MaxCorrections))
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["toFix.fields"] = [$"需补正的字段不能为空，最多{ApplicationDetailsRules.MaxCorrections}项"] });
        if (toFix is not null && (toFix.DocumentTypes.Any(t => !Enum.IsDefined(t)) || toFix.DocumentTypes.Count > ApplicationDetailsRules.MaxCorrections))
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["toFix.documentTypes"] = ["需补交的材料类型无效"] });
        toFix = toFix is null ? null : new Corrections([.. toFix.Fields.Select(f => f.Trim()).Distinct()], [.. toFix.DocumentTypes.Distinct()]);
        if (toFix is { Fields.Count: 0, DocumentTypes.Count: 0 }) toFix = null;
        ApplicationEvent decided = (stage, approve) switch
        {
            (ReviewStage.City, true) => new ApplicationEvent.CityReviewApproved(by, c.At, (c as ApplicationCommand.ApproveAtCity)?.ConditionMet,
                BatchReissue.Normalised(state, strike)),
            (ReviewStage.City, false) => new ApplicationEvent.CityReviewReturned(reason ?? "", by, c.At, toFix),
            (ReviewStage.Province, true) => new ApplicationEvent.ProvinceReviewApproved(by, c.At, BatchReissue.Normalised(state, strike),
                PublicNoticeRules.TermsFor(c as ApplicationCommand.ApproveAtProvince, state)),
            _ => new ApplicationEvent.ProvinceReviewReturned(reason ?? "", by, c.At, toFix),
        };
        if (state.LastEvent is { } last && last.GetType() == decided.GetType() && last.By == by && SameReason(last, decided))
            return Decision.Unchanged;
        if (state.Status.Stage() != stage)
            return Decision.Refuse(RefusalKind.Conflict, "not_in_review_stage",
                $"申请当前状态为“{state.Status.Label()}”，不在{(stage == ReviewStage.City ? "市州" : "省级")}审核阶段，不能作出该审核决定");
        if (approve && ExpiredDuringReview(state, Today(c.At)) is { } expired) return expired;
        if (approve && state.Kind == ApplicationKind.BatchReissue && BatchReissue.ExpiredDuringReview(state, strike, Today(c.At)) is { } expiredLines) return expiredLines;
        if (approve && TransferRules.CheckCondition(state, stage, (c as ApplicationCommand.ApproveAtCity)?.ConditionMet) is { } condition) return condition;
        if (!approve && string.IsNullOrWhiteSpace(reason))
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["reason"] = ["退回时必须填写退回原因，并一次性列明需补正的全部内容"] });
        if (reason is { Length: > ApplicationDetailsRules.MaxReasonLength })
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["reason"] = [$"退回原因不能超过{ApplicationDetailsRules.MaxReasonLength}字"] });
        var correctable = ApplicationDetailsRules.CorrectableFields(state.Kind, state.Details.Changes);
        if (toFix?.Fields.Where(f => !correctable.ContainsKey(f)).ToList() is { Count: > 0 } unknown)
            return Refusal.InvalidFields(new Dictionary<string, string[]>
            {
                ["toFix.fields"] = [$"不是该类申请可补正的字段：{string.Join("、", unknown)}；可选：{string.Join("、", correctable.Keys)}"],
            });
        return Decision.Accept(decided);
    }

    private static Decision ExtendDeadline(ApplicationCommand.ExtendDeadline c, ApplicationState state, ActorRef by)
    {
        var reason = c.Reason?.Trim() ?? "";
        if (!AccessRules.CanExtendDeadline(c.By))
            return Decision.Refuse(RefusalKind.Forbidden, "not_province_reviewer", "只有省级审核人员可以延长办理期限");
        if (state.Extension is { } granted)
            return granted.By == by && granted.Reason == reason
                ? Decision.Unchanged
                : Decision.Refuse(RefusalKind.Conflict, "deadline_already_extended",
                    $"办理期限已于{Today(granted.At):yyyy-MM-dd}延长{granted.WorkingDays}个工作日，依法只能延长一次");
        if (state.Status.Stage() is null)
            return Decision.Refuse(RefusalKind.Conflict, "not_in_review_stage",
                $"申请当前状态为“{state.Status.Label()}”，不在审核中，不能延长办理期限");
        if (reason.Length == 0)
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["reason"] = ["延长办理期限须说明理由，理由将以短信告知申请人"] });
        if (reason.Length > ApplicationDetailsRules.MaxReasonLength)
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["reason"] = [$"延期理由不能超过{ApplicationDetailsRules.MaxReasonLength}字"] });
        if (c.WorkingDays < 1) throw new ArgumentOutOfRangeException(nameof(c), "an extension adds at least one working day");
        return Decision.Accept(new ApplicationEvent.DeadlineExtended(reason, c.WorkingDays, by, c.At));
    }

    private static Decision CheckDeadlines(ApplicationCommand.CheckDeadlines c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsSystem(c.By))
            return Decision.Refuse(RefusalKind.Forbidden, "system_only", "办理时限由系统自动计时");
        var due = ReviewClock.DueEvents(state, c.Policy, by, c.At);
        return due.Count == 0 ? Decision.Unchanged : new Decision(due, null);
    }

    private static bool SameCorrections(Corrections? a, Corrections? b) => a is null ? b is null : a.SameAs(b);

    private static bool SameReason(ApplicationEvent a, ApplicationEvent b) => (a, b) switch
    {
        (ApplicationEvent.CityReviewReturned x, ApplicationEvent.CityReviewReturned y) => x.Reason == y.Reason && SameCorrections(x.ToFix, y.ToFix),
        (ApplicationEvent.ProvinceReviewReturned x, ApplicationEvent.ProvinceReviewReturned y) => x.Reason == y.Reason && SameCorrections(x.ToFix, y.ToFix),
        _ => true,
    };

    /// <summary>
    /// The rules that depend on the certificate: it must be valid (cancelled and voided ones refused);
    /// an expired one may only be extended (within the <see cref="ExtensionWindow"/>) or cancelled; an
    /// extension only within the window; employer changes 3 months apart.
    /// </summary>
    internal static Refusal? CertificateRules(ApplicationKind kind, ApplicationDetails details, Certificate certificate, ExtensionWindow window, DateTimeOffset at,
        bool firstFiling)
    {
        var today = Today(at);
        var status = certificate.StatusOn(today);
        if (status is CertificateStatus.Cancelled or CertificateStatus.Voided)
            return new Refusal(RefusalKind.RuleViolated, "certificate_not_valid",
                $"证书{certificate.Number}当前状态为“{status.Label()}”，只有有效证书可以办理业务");
        if (kind == ApplicationKind.Extension && firstFiling && ExtensionWindowRule(certificate, window, today) is { } closed) return closed;
        if (status == CertificateStatus.Expired && kind is ApplicationKind.Change or ApplicationKind.Reissue or ApplicationKind.Transfer)
            return new Refusal(RefusalKind.RuleViolated, "certificate_expired",
                $"证书{certificate.Number}已于{certificate.ValidUntil:yyyy-MM-dd}到期（已过期），不能办理{kind.Label()}；" + (window.IsOpen(certificate.ValidUntil, today)
                    ? $"请先在{window.ClosesOn(certificate.ValidUntil):yyyy-MM-dd}前申请延期（延续），延期获批后再办理"
                    : $"延期申请期限已于{window.ClosesOn(certificate.ValidUntil):yyyy-MM-dd}截止，请重新申请取得证书"));
        if (kind == ApplicationKind.Transfer && TransferRules.TooSoon(certificate, details, today) is { } tooSoon) return tooSoon;
        if (kind == ApplicationKind.Change && details.Changes?.ChangesEmployer == true) return EmployerChangeTooSoon(certificate, today);
        return null;
    }

    /// <summary>
    /// The one 3-month rule between two employer changes of a certificate (seed 001), for a change of
    /// employer and a transfer alike (a transfer may claim the social-insurance exception to it: <see cref="TransferRules.TooSoon"/>);
    /// <paramref name="hint"/> is said after the dates.
    /// </summary>
    public static Refusal? EmployerChangeTooSoon(Certificate certificate, DateOnly today, string? hint = null)
    {
        if (certificate.EmployerChangedOn is not { } last || last.AddMonths(MonthsBetweenEmployerChanges) <= today) return null;
        return new Refusal(RefusalKind.RuleViolated, "employer_change_too_soon",
            $"两次变更工作单位须间隔{MonthsBetweenEmployerChanges}个月以上；上次变更于{last:yyyy-MM-dd}，{last.AddMonths(MonthsBetweenEmployerChanges):yyyy-MM-dd}起可再次申请" + hint);
    }

    /// <summary>
    /// A change or reissue of a certificate that expired while under review cannot be approved: the
    /// register would record a change to, or issue a copy of, a certificate no longer valid (a
    /// reissue issued after its own valid-until). The reviewer returns it; the holder withdraws and
    /// extends first, as at filing.
    /// </summary>
    private static Refusal? ExpiredDuringReview(ApplicationState state, DateOnly today) =>
        state.Kind is ApplicationKind.Change or ApplicationKind.Reissue or ApplicationKind.Transfer && Certificate.IsPast(state.CertificateValidUntil, today)
            ? new Refusal(RefusalKind.RuleViolated, "certificate_expired",
                $"证书{state.CertificateNumber}已于{state.CertificateValidUntil:yyyy-MM-dd}到期（已过期），不能批准{state.Kind.Label()}；请退回申请，由申请人撤回后先办理延期（延续）")
            : null;

    /// <summary>An extension is filed from the window's first day to its last; before, it is too early; after, the certificate must be applied for anew.</summary>
    private static Refusal? ExtensionWindowRule(Certificate certificate, ExtensionWindow window, DateOnly today)
    {
        var (opens, closes) = (window.OpensOn(certificate.ValidUntil), window.ClosesOn(certificate.ValidUntil));
        if (today < opens)
            return new Refusal(RefusalKind.RuleViolated, "extension_not_open",
                $"证书{certificate.Number}有效期至{certificate.ValidUntil:yyyy-MM-dd}，延期申请自{opens:yyyy-MM-dd}起方可提出");
        if (today > closes)
            return new Refusal(RefusalKind.RuleViolated, "extension_window_closed",
                $"证书{certificate.Number}已于{certificate.ValidUntil:yyyy-MM-dd}到期，延期申请期限已于{closes:yyyy-MM-dd}截止，不能再申请延期；请重新申请取得证书");
        return null;
    }

    private static Decision NotYours() =>
        Decision.Refuse(RefusalKind.Forbidden, "certificate_not_yours", "只能为本人（或本单位职工）的证书提出申请");

    internal static Decision NotFiler() =>
        Decision.Refuse(RefusalKind.Forbidden, "not_applicant", "只有提出该申请的持证人或企业可以进行此操作");

    /// <summary>Dates of the register are Beijing dates (UTC+8, no daylight saving).</summary>
    public static DateOnly Today(DateTimeOffset at) => BeijingTime.DateOf(at);
}
