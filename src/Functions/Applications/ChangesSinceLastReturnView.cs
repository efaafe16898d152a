using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Documents;

namespace FuncRegistry.Functions.Applications;

/// <summary>One field changed since the last return: its path (as <c>toFix</c> names it), label, value before and after, and whether the return asked for it.</summary>
public sealed record FieldChangeView(string Field, string Label, string? Before, string? After, bool Requested);

/// <summary>One document change since the last return (<c>added</c>, <c>replaced</c>, <c>removed</c>), with the documents before and after.</summary>
public sealed record DocumentChangeView(DocumentChangeKind Change, string ChangeText, DocumentType Type, string TypeText, string? CertificateNumber,
    DocumentReferenceView? Before, DocumentReferenceView? After, bool Requested);

/// <summary>
/// What the applicant changed between the last return and the resubmission that followed (shown to
/// reviewers and admins): the return (stage, reason, when, which round), the fields before and after, the
/// documents added, replaced and removed, and what the return asked to correct that was left as it was.
/// Personal data (name, ID number, phone) masked as everywhere for whoever may not see it.
/// </summary>
public sealed record ChangesSinceLastReturnView(ReviewStage Stage, string StageText, string Reason, DateTimeOffset ReturnedAt, int ReturnedRound,
    DateTimeOffset ResubmittedAt, IReadOnlyList<FieldChangeView> Fields, IReadOnlyList<DocumentChangeView> Documents, ToFixView? NotChanged)
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["notificationPhone"] = "接收短信的手机号", ["changes.holderName"] = "新姓名", ["changes.holderIdNumber"] = "新身份证号",
        ["changes.employer"] = "新工作单位", ["changes.employerCode"] = "新工作单位统一社会信用代码", ["reissueReason"] = "补办原因",
        ["socialInsuranceException"] = "社保例外情形", ["reason"] = "申请说明",
    };

    /// <summary>The view for <paramref name="viewer"/>: null unless they are staff (reviewers, admins) and the application was resubmitted after a return.</summary>
    public static ChangesSinceLastReturnView? For(IReadOnlyList<ApplicationEvent> history, ApplicationState state, Actor viewer, bool seesPersonalData)
    {
        if (!AccessRules.IsStaff(viewer) || ChangesSinceReturn.Of(history) is not { } changes) return null;
        var kindLabels = ApplicationDetailsRules.CorrectableFields(state.Kind, state.Details.Changes);
        string Label(string field) => kindLabels.GetValueOrDefault(field) ?? Labels.GetValueOrDefault(field, field);
        string? Shown(string field, string? value) => value is null || seesPersonalData ? value : field switch
        {
            "notificationPhone" => Masking.Phone(value),
            "changes.holderName" => Masking.Name(value),
            "changes.holderIdNumber" => Masking.IdNumber(value),
            _ => value,
        };
        static DocumentReferenceView? Reference(AttachedDocument? d) => d is null ? null : new(d.DocumentId, d.Type, d.Type.Label(), d.Sha256);
        return new ChangesSinceLastReturnView(changes.Stage, changes.Stage == ReviewStage.City ? "市州退回" : "省级退回", changes.Reason, changes.ReturnedAt,
            changes.ReturnedRound, changes.ResubmittedAt,
            changes.Fields.Select(f => new FieldChangeView(f.Field, Label(f.Field), Shown(f.Field, f.Before), Shown(f.Field, f.After), f.Requested)).ToList(),
            changes.Documents.Select(d => new DocumentChangeView(d.Change, ChangeText(d.Change), d.Type, d.Type.Label(), d.CertificateNumber,
                Reference(d.Before), Reference(d.After), d.Requested)).ToList(),
            changes.NotChanged is { } left
                ? new ToFixView(left.Fields.Select(f => new CorrectionItemView(f, Label(f))).ToList(),
                    left.DocumentTypes.Select(t => new CorrectionItemView(t.Code(), t.Label())).ToList())
                : null);
    }

    private static string ChangeText(DocumentChangeKind change) => change switch
    {
        DocumentChangeKind.Added => "新增",
        DocumentChangeKind.Replaced => "替换",
        _ => "删除",
    };
}
