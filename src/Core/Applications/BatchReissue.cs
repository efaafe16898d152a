using System.Globalization;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Applications;

/// <summary>One certificate of a batch reissue (批量补办), as filed; <paramref name="StruckReason"/> once a reviewer struck it.</summary>
/// <param name="CertificateNumber">The certificate, its number as the register writes it.</param>
/// <param name="HolderName">Its holder when filed.</param>
/// <param name="HolderIdNumber">Its holder's ID number when filed.</param>
/// <param name="Post">Its post.</param>
/// <param name="StruckReason">Why a reviewer struck it (null while not struck).</param>
/// <param name="ValidUntil">The certificate's valid-until as of the last submission (null in lines recorded before it was kept).</param>
public sealed record BatchLine(string CertificateNumber, string HolderName, string HolderIdNumber, string Post, string? StruckReason = null,
    DateOnly? ValidUntil = null)
{
    /// <summary>True once a reviewer struck the line: it is not reissued and no longer holds its certificate's claim.</summary>
    public bool Struck => StruckReason is not null;
}

/// <summary>A reviewer strikes one line of a batch reissue from its approval, with the reason.</summary>
public sealed record LineStrike(string CertificateNumber, string Reason);

/// <summary>A number of a batch the rules refused, and why (code and Chinese reason).</summary>
public sealed record RefusedLine(string CertificateNumber, string Code, string Reason);

/// <summary>
/// A number an enterprise asks to batch-reissue, as the register has it: the certificate (null when
/// no such number) and the open application that holds its claim now (null when none).
/// </summary>
public sealed record BatchCandidate(string RequestedNumber, Certificate? Certificate, string? OpenApplicationId);

/// <summary>
/// The rules of a batch reissue (批量补办, seed 001 "选择遗失证书…提交申请"): an enterprise asks for
/// 1–<see cref="MaxLines"/> of its certificates at once. Every number is checked at creation and
/// again at submission, and every refused number is listed with its reason at once (一次告知).
/// Reviewers approve or return the whole, or strike lines when approving; the approval at the last
/// stop reissues every line not struck (a new number, the old one voided) and texts the count and
/// the new numbers.
/// </summary>
public static class BatchReissue
{
    /// <summary>
    /// Most certificates one batch asks for (issue 14: 200). What a batch writes stays bounded however many
    /// lines it has (ADR 0019): its approval, withdrawal and strikes each commit one outbox row for all their
    /// lines (<see cref="SideEffect.ApplyToCertificates"/>, <see cref="SideEffect.ReleaseCertificateClaims"/>,
    /// <see cref="SideEffect.SendSmsParts"/>), which the dispatcher expands; its documents may grow with the
    /// lines (<see cref="DocumentPolicy.MaxDocumentsFor"/>). The 3-digit line index of
    /// <see cref="ReissueNumberFormat.NumberForLine"/> bounds it at 999.
    /// </summary>
    public const int MaxLines = 200;

    /// <summary>The refusal listing every refused number (422).</summary>
    public static Refusal Refused(IReadOnlyList<RefusedLine> refused) =>
        new(RefusalKind.RuleViolated, "batch_certificates_refused",
            $"以下{refused.Count}本证书不能批量补办，请移除或处理后再提交：" + string.Join("；", refused.Select(r => $"{r.CertificateNumber}：{r.Reason}")),
            Extensions: new Dictionary<string, object> { ["refused"] = refused.ToArray() });

    /// <summary>
    /// Every refused number among <paramref name="candidates"/> (none: all may be reissued): it must
    /// exist, pass the rules a single reissue of it would (valid, not expired: the decider's one
    /// certificate rule, <see cref="ApplicationDecider.CertificateRules"/>), be employed by the filing enterprise,
    /// have no open application other than <paramref name="applicationId"/>, be registered in the same
    /// city as the first (one city reviews the batch), and appear once.
    /// </summary>
    public static IReadOnlyList<RefusedLine> Check(Actor by, IReadOnlyList<BatchCandidate> candidates, DateTimeOffset at, ExtensionWindow window,
        string? applicationId = null)
    {
        var refused = new List<RefusedLine>();
        var seen = new HashSet<string>();
        var city = candidates.Select(c => c.Certificate?.CityCode).FirstOrDefault(c => c is not null);
        foreach (var candidate in candidates)
        {
            var number = CertificateNumbers.Written(candidate.RequestedNumber);
            void Refuse(string code, string reason) => refused.Add(new RefusedLine(number, code, reason));
            if (!seen.Add(CertificateNumbers.Key(number))) { Refuse("duplicate", "证书编号重复"); continue; }
            if (candidate.Certificate is not { } certificate) { Refuse("certificate_not_found", "证书编号不存在，请核对"); continue; }
            if (certificate.EmployerCode != by.Org) Refuse("certificate_not_yours", "不是本单位职工的证书");
            else if (ApplicationDecider.CertificateRules(ApplicationKind.Reissue, new ApplicationDetails(""), certificate, window, at, firstFiling: true) is { } invalid)
                Refuse(invalid.Code, invalid.Message);
            else if (candidate.OpenApplicationId is { } open && open != applicationId)
                Refuse("certificate_has_open_application", $"该证书已有办理中的申请（{open}）");
            else if (!AccessRules.SameCity(certificate.CityCode, city))
                Refuse("other_city", "证书登记在其他市州，请按市州分别申请");
        }
        return refused;
    }

    /// <summary>Files a batch reissue: the enterprise only (403 otherwise), every number checked, nothing written on a refusal.</summary>
    internal static Decision Create(ApplicationCommand.Create c, ActorRef by)
    {
        if (c.By.Role != Role.Enterprise || c.By.Org is null)
            return Decision.Refuse(RefusalKind.Forbidden, "enterprise_only", "批量补办只能由企业（单位）提出");
        var candidates = c.Batch ?? [];
        if (candidates.Count is 0 or > MaxLines)
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["certificateNumbers"] = [$"请选择1至{MaxLines}本要补办的证书"] });
        var (details, errors) = ApplicationDetailsRules.Validate(c.Kind, c.Details, candidates[0].Certificate ?? c.Certificate, ApplicationDecider.Today(c.At));
        if (Check(c.By, candidates, c.At, c.ExtensionWindow) is { Count: > 0 } refused) return Refused(refused);
        if (errors.Count > 0) return Refusal.InvalidFields(errors);
        var first = candidates[0].Certificate!;
        var lines = candidates.Select(l => new BatchLine(l.Certificate!.Number, l.Certificate.HolderName, l.Certificate.HolderIdNumber, l.Certificate.Post,
            ValidUntil: l.Certificate.ValidUntil)).ToList();
        return Decision.Accept(new ApplicationEvent.Created(c.ApplicationId, c.Kind, first.Number, first.CityCode, first.HolderIdNumber, first.HolderName,
            c.By.Org, first.ValidUntil, details, by, c.At, Lines: lines));
    }

    /// <summary>At submission every line not struck is checked again (the register may have changed since it was filed).</summary>
    internal static Refusal? CheckAtSubmit(ApplicationCommand.Submit c, ApplicationState state)
    {
        var live = state.Lines.Where(l => !l.Struck).Select(l => l.CertificateNumber).ToHashSet();
        var candidates = (c.Batch ?? []).Where(b => live.Contains(b.RequestedNumber)).ToList();
        var missing = live.Except(candidates.Select(b => b.RequestedNumber)).Select(n => new BatchCandidate(n, null, null));
        return Check(c.By, [.. candidates, .. missing], c.At, c.ExtensionWindow, state.Id) is { Count: > 0 } refused ? Refused(refused) : null;
    }

    /// <summary>
    /// What a reviewer's strikes are refused for: striking is for batch reissues only (400); each
    /// strike names a line not yet struck, once, with a reason of at most 500 characters; at least one
    /// line must remain (to refuse them all, return it instead).
    /// </summary>
    internal static Refusal? CheckStrikes(ApplicationState state, IReadOnlyList<LineStrike> strikes)
    {
        if (state.Kind != ApplicationKind.BatchReissue)
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["strike"] = ["只有批量补办申请可以划去证书"] });
        var errors = new List<string>();
        var seen = new HashSet<string>();
        foreach (var s in strikes)
        {
            var line = state.Lines.FirstOrDefault(l => CertificateNumbers.Same(l.CertificateNumber, s.CertificateNumber ?? ""));
            if (line is null) errors.Add($"{s.CertificateNumber}不在本申请中");
            else if (line.Struck) errors.Add($"{line.CertificateNumber}已被划去");
            else if (!seen.Add(line.CertificateNumber)) errors.Add($"{line.CertificateNumber}重复");
            if (string.IsNullOrWhiteSpace(s.Reason)) errors.Add($"划去{s.CertificateNumber}须填写原因");
            else if (s.Reason.Trim().Length > ApplicationDetailsRules.MaxReasonLength) errors.Add($"划去原因不能超过{ApplicationDetailsRules.MaxReasonLength}字");
        }
        if (errors.Count > 0) return Refusal.InvalidFields(new Dictionary<string, string[]> { ["strike"] = [.. errors] });
        if (state.Lines.Count(l => !l.Struck) <= seen.Count)
            return new Refusal(RefusalKind.RuleViolated, "strike_all_lines", "不能划去全部证书；如全部不予补办，请选择退回");
        return null;
    }

    /// <summary>The strikes as recorded: the numbers as the application writes them, the reasons trimmed.</summary>
    internal static IReadOnlyList<LineStrike>? Normalised(ApplicationState state, IReadOnlyList<LineStrike>? strikes) =>
        strikes is null or { Count: 0 } ? null
            : strikes.Select(s => new LineStrike(state.Lines.FirstOrDefault(l => CertificateNumbers.Same(l.CertificateNumber, s.CertificateNumber))?.CertificateNumber
                ?? s.CertificateNumber, (s.Reason ?? "").Trim())).ToList();

    /// <summary>The lines as a submission records them: each one not struck with its certificate's valid-until as it is now.</summary>
    internal static IReadOnlyList<BatchLine> AsSubmitted(ApplicationState state, IReadOnlyList<BatchCandidate>? fresh) =>
        state.Lines.Select(l => !l.Struck && fresh?.FirstOrDefault(b => b.Certificate is not null && CertificateNumbers.Same(b.Certificate.Number, l.CertificateNumber)) is { } b
            ? l with { ValidUntil = b.Certificate!.ValidUntil } : l).ToList();

    /// <summary>
    /// A line whose certificate expired while under review cannot be reissued (as a single reissue:
    /// the register would issue a copy of a certificate no longer valid): the approval is refused
    /// until the reviewer strikes it, every such line named at once.
    /// </summary>
    internal static Refusal? ExpiredDuringReview(ApplicationState state, IReadOnlyList<LineStrike>? strikes, DateOnly today)
    {
        var expired = state.Lines.Where(l => !l.Struck && l.ValidUntil is { } until && Certificate.IsPast(until, today)
            && !(strikes ?? []).Any(s => CertificateNumbers.Same(s.CertificateNumber, l.CertificateNumber))).ToList();
        return expired.Count == 0 ? null
            : new Refusal(RefusalKind.RuleViolated, "certificate_expired",
                "以下证书已过期，不能补发，请划去后再审核通过：" + string.Join("、", expired.Select(l => $"{l.CertificateNumber}（{l.ValidUntil:yyyy-MM-dd}到期）")),
                Extensions: new Dictionary<string, object> { ["expired"] = expired.Select(l => l.CertificateNumber).ToArray() });
    }

    /// <summary>The lines after an approval that struck <paramref name="struck"/>.</summary>
    public static IReadOnlyList<BatchLine> Strike(IReadOnlyList<BatchLine> lines, IReadOnlyList<LineStrike>? struck) =>
        struck is null or { Count: 0 } ? lines
            : lines.Select(l => struck.FirstOrDefault(s => s.CertificateNumber == l.CertificateNumber) is { } s ? l with { StruckReason = s.Reason } : l).ToList();

    /// <summary>The new number of line <paramref name="index"/> (its place among the lines as filed, from 1) once approved.</summary>
    public static string NewNumber(ApplicationState state, int index, ReissueNumberFormat format) =>
        format.NumberForLine(state.Id, state.Lines[index - 1].CertificateNumber, index);

    /// <summary>
    /// Documents a batch reissue still misses: the types the policy requires (a photo counts as
    /// present only when every line not struck has one) and, by number, the lines without a photo.
    /// </summary>
    public static (IReadOnlyList<DocumentType> Types, IReadOnlyList<string> Photos) Missing(ApplicationState state, DocumentPolicy policy)
    {
        var required = policy.RequiredFor(state.Kind, null);
        var photos = required.Contains(DocumentType.Photo)
            ? state.Lines.Where(l => !l.Struck && !state.Documents.Any(d => d.Type == DocumentType.Photo && d.CertificateNumber == l.CertificateNumber))
                .Select(l => l.CertificateNumber).ToList()
            : [];
        var types = required.Where(t => t == DocumentType.Photo ? photos.Count > 0 : state.Documents.All(d => d.Type != t)).ToList();
        return (types, photos);
    }

    /// <summary>The refusal of a submission that misses documents: the types and the numbers still without a photo.</summary>
    internal static Refusal? MissingDocuments(ApplicationState state, DocumentPolicy policy)
    {
        var (types, photos) = Missing(state, policy);
        if (types.Count == 0) return null;
        var text = string.Join("、", types.Select(t => t == DocumentType.Photo ? $"{t.Label()}（{string.Join("、", photos)}）" : t.Label()));
        return new Refusal(RefusalKind.RuleViolated, "missing_documents", "请补齐以下材料后再提交：" + text,
            Extensions: new Dictionary<string, object> { ["missingDocumentTypes"] = types.Select(t => t.Code()).ToArray(), ["missingPhotos"] = photos.ToArray() });
    }

    /// <summary>
    /// A document of a batch reissue: a photo names the line it is for (<c>certificateNumber</c>), a line
    /// not struck that has no photo yet; other types name none. Other kinds take no certificate number.
    /// Returns the number as the line writes it, or the refusal.
    /// </summary>
    public static (string? Number, Refusal? Refusal) CheckDocumentLine(ApplicationState state, DocumentUpload upload)
    {
        static Refusal Invalid(string message) => Refusal.InvalidFields(new Dictionary<string, string[]> { ["certificateNumber"] = [message] });
        if (string.IsNullOrWhiteSpace(upload.CertificateNumber))
            return state.Kind == ApplicationKind.BatchReissue && upload.Type == DocumentType.Photo
                ? (null, Invalid("批量补办的证件照须注明所属的证书编号")) : (null, null);
        if (state.Kind != ApplicationKind.BatchReissue || upload.Type != DocumentType.Photo)
            return (null, Invalid("只有批量补办的照片需要填写证书编号"));
        var line = state.Lines.FirstOrDefault(l => CertificateNumbers.Same(l.CertificateNumber, upload.CertificateNumber));
        if (line is null || line.Struck) return (null, Invalid($"证书{CertificateNumbers.Written(upload.CertificateNumber)}不在本申请中"));
        if (state.Documents.Any(d => d.Type == DocumentType.Photo && d.CertificateNumber == line.CertificateNumber))
            return (null, new Refusal(RefusalKind.Conflict, "photo_exists", $"证书{line.CertificateNumber}的照片已上传；如需更换，请先删除原照片"));
        return (line.CertificateNumber, null);
    }

    /// <summary>
    /// The side effects of a batch reissue's events, or null for those it shares with every kind.
    /// Each line holds its own certificate's claim: a struck line's is released at once, a withdrawal
    /// releases every line's, and the approval reissues each remaining line (the write releases its claim).
    /// Whatever the number of lines, each is one outbox row that the dispatcher expands (ADR 0019).
    /// </summary>
    internal static IReadOnlyList<SideEffect>? Reactions(ApplicationEvent e, ApplicationState after, ReactionSettings settings)
    {
        var phone = after.Details.NotificationPhone;
        SideEffect ReleaseAll() => new SideEffect.ReleaseCertificateClaims(after.Id, after.Lines.Select(l => l.CertificateNumber).ToList());
        switch (e)
        {
            case ApplicationEvent.CityReviewApproved or ApplicationEvent.ProvinceReviewApproved:
                var struck = (e as ApplicationEvent.CityReviewApproved)?.Struck ?? (e as ApplicationEvent.ProvinceReviewApproved)?.Struck ?? [];
                var effects = new List<SideEffect>();
                if (struck.Count > 0) effects.Add(new SideEffect.ReleaseCertificateClaims(after.Id, struck.Select(s => s.CertificateNumber).ToList()));
                if (after.Status == ApplicationStatus.Approved) effects.AddRange(ApprovalEffects(after, ApplicationDecider.Today(e.At), settings));
                return effects;
            case ApplicationEvent.Withdrawn:
                return [ReleaseAll()];
            case ApplicationEvent.ConfirmationRefused:
                return [new SideEffect.SendSms(after.Id, phone, settings.Sms.ConfirmationRefused(after)), ReleaseAll()];
            case ApplicationEvent.AutoWithdrawn w:
                return [new SideEffect.SendSms(after.Id, phone, settings.Sms.AutoWithdrawn(after, w.AfterDays)), ReleaseAll()];
            default:
                return null;
        }
    }

    /// <summary>The approval's effects: every line not struck reissued under its derived number, and the count and new numbers texted.</summary>
    private static IEnumerable<SideEffect> ApprovalEffects(ApplicationState after, DateOnly approvedOn, ReactionSettings settings)
    {
        var lines = after.Lines.Select((line, i) => (line, index: i + 1)).Where(l => !l.line.Struck)
            .Select(l => new LineReissue(l.line.CertificateNumber, NewNumber(after, l.index, settings.ReissueNumbers))).ToList();
        yield return new SideEffect.ApplyToCertificates(after.Id, lines, approvedOn);
        yield return new SideEffect.SendSmsParts(after.Id, after.Details.NotificationPhone,
            settings.Sms.BatchReissueApproved(after, lines.Select(l => l.NewCertificateNumber).ToList()));
    }

    /// <summary>Formats a count for SMS templates.</summary>
    internal static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
