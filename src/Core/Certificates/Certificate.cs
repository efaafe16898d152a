namespace FuncRegistry.Core.Certificates;

/// <summary>Status of a certificate in the register.</summary>
public enum CertificateStatus
{
    /// <summary>有效.</summary>
    Valid,
    /// <summary>注销: cancelled on the holder's request.</summary>
    Cancelled,
    /// <summary>作废: replaced by a reissued certificate.</summary>
    Voided,
    /// <summary>
    /// 已过期: a valid certificate past its valid-until date. Never recorded: read from the date by
    /// <see cref="Certificate.StatusOn"/>, so it holds from the day after valid-until without anyone writing it.
    /// </summary>
    Expired,
}

/// <summary>Labels of certificate statuses.</summary>
public static class CertificateStatusLabels
{
    /// <summary>The status as the register names it: 有效, 注销 or 作废.</summary>
    public static string Label(this CertificateStatus status) => status switch
    {
        CertificateStatus.Valid => "有效",
        CertificateStatus.Cancelled => "注销",
        CertificateStatus.Expired => "已过期",
        _ => "作废",
    };
}

/// <summary>One change to a certificate recorded on it (签注).</summary>
/// <param name="ApplicationId">The approved application that caused it; makes applying an approval idempotent.</param>
/// <param name="On">Date it took effect.</param>
/// <param name="Text">What changed, in Chinese.</param>
public sealed record Endorsement(string ApplicationId, DateOnly On, string Text);

/// <summary>A certificate of the register (证书).</summary>
public sealed record Certificate
{
    /// <summary>证书编号, unique.</summary>
    public required string Number { get; init; }
    /// <summary>姓名.</summary>
    public required string HolderName { get; init; }
    /// <summary>身份证号 of the holder (normalised).</summary>
    public required string HolderIdNumber { get; init; }
    /// <summary>岗位, e.g. 施工员.</summary>
    public required string Post { get; init; }
    /// <summary>专业 for 施工员 and 质量员, e.g. 土建施工; null for other posts.</summary>
    public string? Specialty { get; init; }
    /// <summary>工作单位.</summary>
    public required string Employer { get; init; }
    /// <summary>USCC of the employer.</summary>
    public required string EmployerCode { get; init; }
    /// <summary>Six-digit code of the city where it is registered: decides who reviews its applications.</summary>
    public required string CityCode { get; init; }
    /// <summary>发证日期.</summary>
    public required DateOnly IssuedOn { get; init; }
    /// <summary>有效期至.</summary>
    public required DateOnly ValidUntil { get; init; }
    /// <summary>Register status as recorded (valid, cancelled, voided): whether it has expired is read with <see cref="StatusOn"/>.</summary>
    public CertificateStatus Status { get; init; } = CertificateStatus.Valid;
    /// <summary>For a voided certificate: the number of the certificate reissued in its place.</summary>
    public string? ReplacedBy { get; init; }
    /// <summary>For a reissued certificate: the number of the certificate it replaces.</summary>
    public string? Replaces { get; init; }
    /// <summary>When the employer last changed through an approved application (3-month rule).</summary>
    public DateOnly? EmployerChangedOn { get; init; }
    /// <summary>The certificate's own history of changes (签注), oldest first.</summary>
    public IReadOnlyList<Endorsement> Endorsements { get; init; } = [];

    /// <summary>
    /// The status as of <paramref name="today"/> (a Beijing date): a valid certificate whose
    /// valid-until date has passed is <see cref="CertificateStatus.Expired"/>; valid-until is the
    /// last day it is valid. Cancelled and voided stay as recorded.
    /// </summary>
    public CertificateStatus StatusOn(DateOnly today) =>
        Status == CertificateStatus.Valid && IsPast(ValidUntil, today) ? CertificateStatus.Expired : Status;

    /// <summary>The one expiry rule: valid-until is the last day a certificate is valid; from the next day it has expired.</summary>
    public static bool IsPast(DateOnly validUntil, DateOnly today) => today > validUntil;
}

/// <summary>
/// When an extension (延续) may be filed: from <see cref="OpensDaysBefore"/> days before valid-until
/// to <see cref="ClosesDaysAfter"/> days after it, both days included (settings
/// <c>Registry:ExtensionOpensDaysBefore</c>, <c>Registry:ExtensionClosesDaysAfter</c>).
/// </summary>
/// <param name="OpensDaysBefore">Days before valid-until the window opens (default 90).</param>
/// <param name="ClosesDaysAfter">Days after valid-until it closes (default 0: on the valid-until date).</param>
public sealed record ExtensionWindow(int OpensDaysBefore, int ClosesDaysAfter)
{
    /// <summary>90 days before valid-until up to valid-until itself.</summary>
    public static ExtensionWindow Default { get; } = new(90, 0);

    /// <summary>The first day an extension of a certificate valid until <paramref name="validUntil"/> may be filed.</summary>
    public DateOnly OpensOn(DateOnly validUntil) => validUntil.AddDays(-OpensDaysBefore);

    /// <summary>The last day it may be filed.</summary>
    public DateOnly ClosesOn(DateOnly validUntil) => validUntil.AddDays(ClosesDaysAfter);

    /// <summary>Whether an extension may be filed on <paramref name="today"/>.</summary>
    public bool IsOpen(DateOnly validUntil, DateOnly today) => today >= OpensOn(validUntil) && today <= ClosesOn(validUntil);
}
