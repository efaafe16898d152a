using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Core.Applications;

/// <summary>The certificate fields a change application changes: exactly one item.</summary>
/// <param name="HolderName">The new name.</param>
/// <param name="HolderIdNumber">The new ID number.</param>
/// <param name="Employer">The new employer's name.</param>
/// <param name="EmployerCode">The new employer's USCC.</param>
/// <param name="CityCode">For a transfer: the receiving enterprise's city, where the certificate moves.</param>
public sealed record CertificateChange(string? HolderName = null, string? HolderIdNumber = null, string? Employer = null, string? EmployerCode = null,
    string? CityCode = null)
{
    /// <summary>True when the item changed is the employer.</summary>
    public bool ChangesEmployer => Employer is not null || EmployerCode is not null;
}

/// <summary>What the applicant fills in and may edit while the application is editable.</summary>
public sealed record ApplicationDetails(
    string NotificationPhone,
    CertificateChange? Changes = null,
    ReissueReason? ReissueReason = null,
    string? Reason = null,
    bool? SocialInsuranceException = null);

/// <summary>
/// What a return asks the applicant to correct (一次告知, 行政许可法 Art. 32): the fields to edit,
/// by the JSON path the API uses (<see cref="ApplicationDetailsRules.CorrectableFields"/>), and
/// the documents to supply again.
/// </summary>
public sealed record Corrections(IReadOnlyList<string> Fields, IReadOnlyList<Documents.DocumentType> DocumentTypes)
{
    /// <summary>Same items, whatever the order (a retried return is the same return).</summary>
    public bool SameAs(Corrections? other) => other is not null
        && Fields.Order().SequenceEqual(other.Fields.Order()) && DocumentTypes.Order().SequenceEqual(other.DocumentTypes.Order());
}

/// <summary>Field rules of an application's details, per kind. Every problem is reported at once (一次告知).</summary>
public static class ApplicationDetailsRules
{
    /// <summary>Most items one return may list of each sort.</summary>
    public const int MaxCorrections = 20;

    /// <summary>
    /// The fields an applicant edits in an application of this kind (a change: the item it
    /// changes), by JSON path, with their labels: what a return may ask to correct.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CorrectableFields(ApplicationKind kind, CertificateChange? change) => kind switch
    {
        ApplicationKind.Change => new Dictionary<string, string> { ["notificationPhone"] = "接收短信的手机号", ["reason"] = "申请说明" }
            .Concat(change switch
            {
                { HolderName: not null } => [new("changes.holderName", "新姓名")],
                { HolderIdNumber: not null } => [new("changes.holderIdNumber", "新身份证号")],
                _ => new Dictionary<string, string> { ["changes.employer"] = "新工作单位", ["changes.employerCode"] = "新工作单位统一社会信用代码" },
            }).ToDictionary(),
        ApplicationKind.Reissue => new Dictionary<string, string> { ["notificationPhone"] = "接收短信的手机号", ["reissueReason"] = "补办原因", ["reason"] = "申请说明" },
        ApplicationKind.Cancellation => new Dictionary<string, string> { ["notificationPhone"] = "接收短信的手机号", ["reason"] = "注销原因" },
        ApplicationKind.Transfer => new Dictionary<string, string>
        {
            ["notificationPhone"] = "接收短信的手机号", ["socialInsuranceException"] = "社保例外情形", ["reason"] = "申请说明",
        },
        ApplicationKind.BatchReissue => new Dictionary<string, string> { ["notificationPhone"] = "接收短信的手机号", ["reissueReason"] = "补办原因", ["reason"] = "申请说明" },
        _ => new Dictionary<string, string> { ["notificationPhone"] = "接收短信的手机号", ["reason"] = "申请说明" },
    };

    /// <summary>Longest reason an applicant or reviewer may give.</summary>
    public const int MaxReasonLength = 500;
    private const int MaxNameLength = 50;
    private const int MaxEmployerLength = 100;

    /// <summary>
    /// Validates details for a kind against the certificate they would change. Returns field
    /// errors keyed by JSON path, empty when valid. The details are returned normalised.
    /// </summary>
    public static (ApplicationDetails Normalised, Dictionary<string, string[]> Errors) Validate(
        ApplicationKind kind, ApplicationDetails details, Certificate certificate, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        var phone = details.NotificationPhone;
        if (MobileNumber.TryParse(details.NotificationPhone, out var mobile)) phone = mobile!.Value;
        else Add("notificationPhone", "接收短信的手机号格式不正确，应为11位大陆手机号");

        var reason = string.IsNullOrWhiteSpace(details.Reason) ? null : details.Reason.Trim();
        if (reason is { Length: > MaxReasonLength }) Add("reason", $"原因不能超过{MaxReasonLength}字");

        CertificateChange? changes = null;
        switch (kind)
        {
            case ApplicationKind.Change:
                changes = ValidateChange(details.Changes, certificate, today, Add);
                break;
            case ApplicationKind.Reissue or ApplicationKind.BatchReissue:
                if (details.ReissueReason is null) Add("reissueReason", "请选择补办原因：遗失（lost）或污损（damaged）");
                break;
            case ApplicationKind.Cancellation:
                if (reason is null) Add("reason", "注销申请须填写注销原因");
                break;
        }
        // A transfer's change is the receiving enterprise's, filled in from the register, never the client's.
        if (kind is not ApplicationKind.Change and not ApplicationKind.Transfer && details.Changes is not null)
            Add("changes", "只有证书信息变更申请可以填写变更内容");
        if (kind != ApplicationKind.Transfer && details.SocialInsuranceException is not null)
            Add("socialInsuranceException", "只有调入变更申请可以选择社保例外情形");
        if (kind == ApplicationKind.Transfer) changes = details.Changes;
        if (kind is not (ApplicationKind.Reissue or ApplicationKind.BatchReissue) && details.ReissueReason is not null)
            Add("reissueReason", "只有补办申请可以填写补办原因");

        return (new ApplicationDetails(phone, changes, kind is ApplicationKind.Reissue or ApplicationKind.BatchReissue ? details.ReissueReason : null, reason,
            kind == ApplicationKind.Transfer && details.SocialInsuranceException == true ? true : null), errors);
    }

    private static CertificateChange? ValidateChange(CertificateChange? change, Certificate certificate, DateOnly today, Action<string, string> add)
    {
        if (change is null)
        {
            add("changes", "请填写要变更的一项内容：姓名、身份证号或工作单位");
            return null;
        }
        var name = Trimmed(change.HolderName);
        var idNumber = Trimmed(change.HolderIdNumber);
        var employer = Trimmed(change.Employer);
        var employerCode = Trimmed(change.EmployerCode);
        var items = (name is null ? 0 : 1) + (idNumber is null ? 0 : 1) + (employer is null && employerCode is null ? 0 : 1);
        if (items != 1)
        {
            add("changes", items == 0
                ? "请填写变更后的内容：新姓名、新身份证号或新工作单位（任选一项）"
                : "每次只能变更一项内容：姓名、身份证号或工作单位（含统一社会信用代码）");
            return null;
        }
        if (name is not null)
        {
            if (name.Length > MaxNameLength || name.Any(char.IsControl)) add("changes.holderName", "姓名格式不正确");
            else if (name == certificate.HolderName) add("changes.holderName", "新姓名与证书上的姓名相同");
            return new CertificateChange(HolderName: name);
        }
        if (idNumber is not null)
        {
            if (!ResidentIdNumber.TryParse(idNumber, today, out var parsed)) add("changes.holderIdNumber", "身份证号不正确，请核对18位号码及校验位");
            else if (parsed!.Value == certificate.HolderIdNumber) add("changes.holderIdNumber", "新身份证号与证书上的相同");
            return new CertificateChange(HolderIdNumber: parsed?.Value ?? idNumber);
        }
        if (employer is null) add("changes.employer", "变更工作单位须填写新单位名称");
        else if (employer.Length > MaxEmployerLength || employer.Any(char.IsControl)) add("changes.employer", "单位名称格式不正确");
        if (employerCode is null) add("changes.employerCode", "变更工作单位须填写新单位的统一社会信用代码");
        else if (!CreditCode.TryParse(employerCode, out var code)) add("changes.employerCode", "统一社会信用代码格式不正确，应为18位");
        else
        {
            employerCode = code!.Value;
            if (employerCode == certificate.EmployerCode) add("changes.employerCode", "新单位与证书上的工作单位相同");
        }
        return new CertificateChange(Employer: employer, EmployerCode: employerCode);
    }

    /// <summary>
    /// Warnings that do not block (a USCC whose check character fails: early pilot codes are
    /// legally valid). Shown to reviewers.
    /// </summary>
    public static IReadOnlyList<string> Warnings(ApplicationDetails details) =>
        details.Changes?.EmployerCode is { } code && CreditCode.TryParse(code, out var parsed) && !parsed!.CheckCharacterMatches
            ? ["统一社会信用代码校验位不符（早期试点代码可能如此），请审核人员核实"]
            : [];

    private static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
