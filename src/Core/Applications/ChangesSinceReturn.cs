using FuncRegistry.Core.Documents;

namespace FuncRegistry.Core.Applications;

/// <summary>One field the applicant changed between a return and the resubmission that followed it.</summary>
/// <param name="Field">The field's JSON path as the API writes it (<c>changes.holderName</c>), as a return's <c>toFix</c> names it.</param>
/// <param name="Before">Its value when returned (null: not filled in).</param>
/// <param name="After">Its value as resubmitted (null: cleared).</param>
/// <param name="Requested">The return asked for this field to be corrected.</param>
public sealed record FieldChange(string Field, string? Before, string? After, bool Requested);

/// <summary>How a document differs between a return and the resubmission.</summary>
public enum DocumentChangeKind
{
    /// <summary>新增: a document of a type (and batch line) the returned application did not have.</summary>
    Added,
    /// <summary>替换: the document of a type (and batch line) was removed and another one attached in its place.</summary>
    Replaced,
    /// <summary>删除: a document the returned application had and the resubmission no longer has, with nothing in its place.</summary>
    Removed,
}

/// <summary>One document change: <paramref name="Before"/> is the document when returned, <paramref name="After"/> the one resubmitted.</summary>
/// <param name="Change">Added, replaced or removed.</param>
/// <param name="Type">Its type.</param>
/// <param name="CertificateNumber">The batch line a photo is for (null otherwise).</param>
/// <param name="Before">The document the returned application had (null when added).</param>
/// <param name="After">The document resubmitted (null when removed).</param>
/// <param name="Requested">The return asked for documents of this type again.</param>
public sealed record DocumentChange(DocumentChangeKind Change, DocumentType Type, string? CertificateNumber, AttachedDocument? Before, AttachedDocument? After,
    bool Requested);

/// <summary>
/// What changed in an application between its last return and the resubmission that followed:
/// the fields (before → after) and the documents (added, replaced, removed), each marked when the
/// return asked for it, and what the return asked for that did not change. Reviewers read it to
/// check the corrections without comparing the two rounds by hand.
/// </summary>
/// <param name="Stage">The stage that returned it.</param>
/// <param name="Reason">The return's reason.</param>
/// <param name="ReturnedAt">When it was returned.</param>
/// <param name="ReturnedRound">The round that was returned.</param>
/// <param name="ResubmittedAt">When it was submitted again.</param>
/// <param name="Fields">Changed fields, in the order of <see cref="ChangesSinceReturn.FieldPaths"/>.</param>
/// <param name="Documents">Changed documents: replaced, then added, then removed, each in the order attached.</param>
/// <param name="NotChanged">Items the return listed (<c>toFix</c>) that the resubmission left as they were; null when the return listed none.</param>
public sealed record ReturnChanges(ReviewStage Stage, string Reason, DateTimeOffset ReturnedAt, int ReturnedRound, DateTimeOffset ResubmittedAt,
    IReadOnlyList<FieldChange> Fields, IReadOnlyList<DocumentChange> Documents, Corrections? NotChanged);

/// <summary>
/// The one rule for "what changed since the last return" (the reviewer's 退回后修改内容): the
/// application as it stood when last returned (the fold of its history up to that return) against
/// the application as resubmitted (the fold up to the first submission after it). Not "now": after
/// the resubmission nothing the applicant edits can change, and a later purge of the documents
/// (retention) must not read as their removal. Documents are compared by id, and a document
/// removed and another attached of the same type (and, for a batch reissue's photos, the same
/// line) are one replacement: what the documents' history (attach, remove, commit of an upload) did.
/// </summary>
public static class ChangesSinceReturn
{
    /// <summary>The fields compared, by JSON path, in the order they are reported.</summary>
    public static IReadOnlyList<string> FieldPaths { get; } =
    [
        "notificationPhone", "changes.holderName", "changes.holderIdNumber", "changes.employer", "changes.employerCode",
        "reissueReason", "socialInsuranceException", "reason",
    ];

    /// <summary>
    /// The changes between the last return and the resubmission after it, or null when the
    /// application was never returned, or was returned and not (yet) submitted again.
    /// </summary>
    public static ReturnChanges? Of(IReadOnlyList<ApplicationEvent> history)
    {
        var state = ApplicationState.Initial;
        ApplicationState? atReturn = null, atResubmission = null;
        ApplicationEvent? returned = null;
        DateTimeOffset resubmittedAt = default;
        foreach (var e in history)
        {
            state = ApplicationState.Evolve(state, e);
            if (e is ApplicationEvent.CityReviewReturned or ApplicationEvent.ProvinceReviewReturned)
                (returned, atReturn, atResubmission) = (e, state, null);
            else if (e is ApplicationEvent.Submitted && atReturn is not null && atResubmission is null)
                (atResubmission, resubmittedAt) = (state, e.At);
        }
        if (returned is null || atReturn is null || atResubmission is null) return null;

        var (stage, reason, toFix) = returned switch
        {
            ApplicationEvent.CityReviewReturned r => (ReviewStage.City, r.Reason, r.ToFix),
            ApplicationEvent.ProvinceReviewReturned r => (ReviewStage.Province, r.Reason, r.ToFix),
            _ => throw new InvalidOperationException("not a return"),
        };
        var fields = FieldsChanged(atReturn.Details, atResubmission.Details, toFix);
        var documents = DocumentsChanged(atReturn.Documents, atResubmission.Documents, toFix);
        Corrections? notChanged = toFix is null ? null : new Corrections(
            toFix.Fields.Where(f => fields.All(c => c.Field != f)).ToList(),
            toFix.DocumentTypes.Where(t => documents.All(d => d.Type != t)).ToList());
        return new ReturnChanges(stage, reason, returned.At, atReturn.Round, resubmittedAt, fields, documents, notChanged);
    }

    /// <summary>The editable fields of details by JSON path, as the API writes their values (enums camelCase).</summary>
    public static IReadOnlyDictionary<string, string?> FieldValues(ApplicationDetails details) => new Dictionary<string, string?>
    {
        ["notificationPhone"] = details.NotificationPhone,
        ["changes.holderName"] = details.Changes?.HolderName,
        ["changes.holderIdNumber"] = details.Changes?.HolderIdNumber,
        ["changes.employer"] = details.Changes?.Employer,
        ["changes.employerCode"] = details.Changes?.EmployerCode,
        ["reissueReason"] = details.ReissueReason is { } r ? char.ToLowerInvariant(r.ToString()[0]) + r.ToString()[1..] : null,
        ["socialInsuranceException"] = details.SocialInsuranceException is { } s ? (s ? "true" : "false") : null,
        ["reason"] = details.Reason,
    };

    private static List<FieldChange> FieldsChanged(ApplicationDetails before, ApplicationDetails after, Corrections? toFix)
    {
        var (was, now) = (FieldValues(before), FieldValues(after));
        return FieldPaths.Where(f => !string.Equals(was[f], now[f], StringComparison.Ordinal))
            .Select(f => new FieldChange(f, was[f], now[f], toFix?.Fields.Contains(f) == true))
            .ToList();
    }

    private static List<DocumentChange> DocumentsChanged(IReadOnlyList<AttachedDocument> before, IReadOnlyList<AttachedDocument> after, Corrections? toFix)
    {
        var removed = before.Where(b => after.All(a => a.DocumentId != b.DocumentId)).ToList();
        var added = after.Where(a => before.All(b => b.DocumentId != a.DocumentId)).ToList();
        bool Requested(DocumentType type) => toFix?.DocumentTypes.Contains(type) == true;
        var replaced = new List<DocumentChange>();
        foreach (var attached in added.ToList())
        {
            // The earliest removed document of the same type and line is the one it replaces.
            if (removed.FirstOrDefault(r => r.Type == attached.Type && r.CertificateNumber == attached.CertificateNumber) is not { } old) continue;
            replaced.Add(new DocumentChange(DocumentChangeKind.Replaced, attached.Type, attached.CertificateNumber, old, attached, Requested(attached.Type)));
            removed.Remove(old);
            added.Remove(attached);
        }
        return
        [
            .. replaced,
            .. added.Select(a => new DocumentChange(DocumentChangeKind.Added, a.Type, a.CertificateNumber, null, a, Requested(a.Type))),
            .. removed.Select(r => new DocumentChange(DocumentChangeKind.Removed, r.Type, r.CertificateNumber, r, null, Requested(r.Type))),
        ];
    }
}
