using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Core.Applications;

/// <summary>One labelled value printed on a form.</summary>
public sealed record FormField(string Label, string Value);

/// <summary>A table printed on a form (the lines of a batch reissue).</summary>
public sealed record FormTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// What the printed application form (申请表) of one application says, before any layout: the
/// applicant signs it and the unit stamps it, and its scan is the <c>signedForm</c> document
/// (seeds 001/002/004: "打印表格…签字…加盖公章"). Personal data shows as the reader may see it.
/// </summary>
/// <param name="Title">The form's title, per kind, e.g. 建设工程施工现场专业人员岗位证书补办申请表.</param>
/// <param name="ApplicationId">Printed, and in the QR code, so that the scan finds its application.</param>
/// <param name="KindText">The kind's label, e.g. 遗失/污损补办.</param>
/// <param name="StatusText">The status when printed, e.g. 草稿.</param>
/// <param name="Applicant">Who applies: the holder, or the unit that files.</param>
/// <param name="Certificate">The certificate it is about (empty for an enterprise change and a batch).</param>
/// <param name="Request">What is asked for, per kind.</param>
/// <param name="Lines">A batch reissue's certificates.</param>
/// <param name="Commitment">The commitment in force for the kind (<see cref="Commitments.Current"/>).</param>
/// <param name="SignatureLabel">The signature box: 申请人（签名） or 经办人（签名）.</param>
/// <param name="StampLabel">The stamp box: 单位（盖章）.</param>
public sealed record ApplicationForm(string Title, string ApplicationId, string KindText, string StatusText,
    IReadOnlyList<FormField> Applicant, IReadOnlyList<FormField> Certificate, IReadOnlyList<FormField> Request, FormTable? Lines,
    Commitments.Commitment Commitment, string SignatureLabel, string StampLabel);

/// <summary>The content of the printed application form, per kind.</summary>
public static class ApplicationForms
{
    private const string Series = "建设工程施工现场专业人员岗位证书";

    /// <summary>遗失 or 污损.</summary>
    public static string Label(this ReissueReason reason) => reason == ReissueReason.Lost ? "遗失" : "污损";

    /// <summary>The title of a kind's form.</summary>
    public static string TitleOf(ApplicationKind kind) => kind switch
    {
        ApplicationKind.Change => Series + "信息变更申请表",
        ApplicationKind.Reissue => Series + "补办申请表",
        ApplicationKind.Cancellation => Series + "注销申请表",
        ApplicationKind.Extension => Series + "延期申请表",
        ApplicationKind.Transfer => Series + "调入变更申请表",
        ApplicationKind.EnterpriseChange => "企业信息变更申请表（" + Series + "）",
        ApplicationKind.BatchReissue => Series + "批量补办申请表",
        _ => Series + "申请表",
    };

    /// <summary>
    /// The form of an application, as filed: the holder's name, ID number and employer are those it was
    /// filed with (a form printed after approval still shows what was asked). <paramref name="certificate"/>:
    /// the certificate as the register holds it now (null when there is none, e.g. an enterprise change). <paramref name="sees"/>: whether
    /// the reader sees a holder's personal data unmasked, by the holder's ID number (AccessRules).
    /// <paramref name="cityName"/>: the name of a division code.
    /// </summary>
    public static ApplicationForm For(ApplicationState state, Certificate? certificate, Func<string, bool> sees, Func<string?, string?> cityName)
    {
        var open = state.HolderIdNumbers.Any(sees);
        string Name(string name, bool shown) => shown ? name : Masking.Name(name);
        string Id(string id, bool shown) => shown ? id : Masking.IdNumber(id);
        var byUnit = state.FiledBy?.Role == Role.Enterprise;
        var phone = open ? state.Details.NotificationPhone : Masking.Phone(state.Details.NotificationPhone);

        var applicant = new List<FormField>();
        if (byUnit)
        {
            applicant.Add(new("申请单位", UnitName(state, certificate) ?? ""));
            applicant.Add(new("统一社会信用代码", state.FiledBy?.Org ?? ""));
            applicant.Add(new("经办人", state.FiledBy?.Name ?? ""));
        }
        if (state.Kind is not (ApplicationKind.EnterpriseChange or ApplicationKind.BatchReissue))
        {
            applicant.Add(new("持证人姓名", Name(state.HolderName, open)));
            applicant.Add(new("身份证号", Id(state.HolderIdNumber, open)));
        }
        applicant.Add(new("接收短信的手机号", phone));

        var shown = new List<FormField>();
        if (state.Kind is not (ApplicationKind.EnterpriseChange or ApplicationKind.BatchReissue))
        {
            shown.Add(new("证书编号", certificate?.Number ?? state.CertificateNumber));
            if (certificate is not null)
            {
                shown.Add(new("岗位", Posts.Format(certificate.Post, certificate.Specialty)));
                shown.Add(new("工作单位", certificate.Employer));
                shown.Add(new("发证日期", Date(certificate.IssuedOn)));
                shown.Add(new("有效期至", Date(certificate.ValidUntil)));
            }
        }

        return new ApplicationForm(TitleOf(state.Kind), state.Id, state.Kind.Label(), state.Status.Label(), applicant, shown,
            Request(state, certificate, open, cityName), Lines(state, sees), Commitments.Current(state.Kind),
            byUnit ? "经办人（签名）" : "申请人（签名）", "单位（盖章）");
    }

    /// <summary>What is asked for, per kind.</summary>
    private static List<FormField> Request(ApplicationState state, Certificate? certificate, bool open, Func<string?, string?> cityName)
    {
        var d = state.Details;
        var request = new List<FormField> { new("申请事项", state.Kind.Label()) };
        switch (state.Kind)
        {
            case ApplicationKind.Change when d.Changes is { HolderName: { } name }:
                request.Add(new("变更项目", "姓名"));
                request.Add(new("变更前", open ? state.HolderName : Masking.Name(state.HolderName)));
                request.Add(new("变更后", open ? name : Masking.Name(name)));
                break;
            case ApplicationKind.Change when d.Changes is { HolderIdNumber: { } id }:
                request.Add(new("变更项目", "身份证号"));
                request.Add(new("变更前", open ? state.HolderIdNumber : Masking.IdNumber(state.HolderIdNumber)));
                request.Add(new("变更后", open ? id : Masking.IdNumber(id)));
                break;
            case ApplicationKind.Change when d.Changes is { } employer:
                request.Add(new("变更项目", "工作单位"));
                request.Add(new("变更前", EmployerWhenFiled(state, certificate)));
                request.Add(new("变更后", $"{employer.Employer}（统一社会信用代码 {employer.EmployerCode}）"));
                break;
            case ApplicationKind.Reissue or ApplicationKind.BatchReissue:
                request.Add(new("补办原因", d.ReissueReason?.Label() ?? ""));
                break;
            case ApplicationKind.Extension:
                request.Add(new("现有效期至", Date(certificate?.ValidUntil ?? state.CertificateValidUntil)));
                request.Add(new("申请", "按规定延长证书有效期（延长后的日期以审核通过时核定为准）"));
                break;
            case ApplicationKind.Transfer:
                request.Add(new("调出单位", EmployerWhenFiled(state, certificate)));
                request.Add(new("调入单位", $"{d.Changes?.Employer}（统一社会信用代码 {d.Changes?.EmployerCode}）"));
                if (d.SocialInsuranceException == true) request.Add(new("社保例外情形", "申请适用（两次变更单位间隔不足3个月）"));
                break;
            case ApplicationKind.EnterpriseChange when state.Enterprise is { } e:
                request.Add(new("企业名称", e.Name));
                if (e.NewName is { } newName) request.Add(new("变更后名称", newName));
                if (e.NewCityCode is { } newCity)
                {
                    request.Add(new("所在市州", cityName(e.CityCode) ?? e.CityCode));
                    request.Add(new("迁入市州", cityName(newCity) ?? newCity));
                }
                break;
        }
        if (d.Reason is { } reason) request.Add(new(state.Kind == ApplicationKind.Cancellation ? "注销原因" : "申请说明", reason));
        return request;
    }

    /// <summary>A batch reissue's lines: number, holder (as the reader may see), post, valid-until, and a struck line's reason.</summary>
    private static FormTable? Lines(ApplicationState state, Func<string, bool> sees) => state.Kind != ApplicationKind.BatchReissue ? null
        : new FormTable(["序号", "证书编号", "姓名", "岗位", "有效期至", "备注"],
            state.Lines.Select((line, i) => (IReadOnlyList<string>)
            [
                (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), line.CertificateNumber,
                sees(line.HolderIdNumber) ? line.HolderName : Masking.Name(line.HolderName), line.Post,
                line.ValidUntil is { } until ? Date(until) : "", line.StruckReason is { } struck ? "不予补办：" + struck : "",
            ]).ToList());

    /// <summary>
    /// The employer when the application was filed: the certificate's while it still has it (it has until
    /// approval), else only its USCC (a form printed after the change took effect).
    /// </summary>
    private static string EmployerWhenFiled(ApplicationState state, Certificate? certificate) =>
        certificate?.EmployerCode == state.EmployerCode ? certificate.Employer : $"统一社会信用代码 {state.EmployerCode}";

    /// <summary>The unit that files: the enterprise of an enterprise change, the receiving one of a transfer, else the employer.</summary>
    private static string? UnitName(ApplicationState state, Certificate? certificate) => state.Kind switch
    {
        ApplicationKind.EnterpriseChange => state.Enterprise?.Name,
        ApplicationKind.Transfer => state.Details.Changes?.Employer,
        _ => certificate?.EmployerCode == state.FiledBy?.Org ? certificate?.Employer : null,
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
