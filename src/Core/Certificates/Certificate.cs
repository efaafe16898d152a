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
}

/// <summary>Labels of certificate statuses.</summary>
public static class CertificateStatusLabels
{
    /// <summary>The status as the register names it: 有效, 注销 or 作废.</summary>
    public static string Label(this CertificateStatus status) => status switch
    {
        CertificateStatus.Valid => "有效",
        CertificateStatus.Cancelled => "注销",
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
    /// <summary>Register status.</summary>
    public CertificateStatus Status { get; init; } = CertificateStatus.Valid;
    /// <summary>For a voided certificate: the number of the certificate reissued in its place.</summary>
    public string? ReplacedBy { get; init; }
    /// <summary>For a reissued certificate: the number of the certificate it replaces.</summary>
    public string? Replaces { get; init; }
    /// <summary>When the employer last changed through an approved application (3-month rule).</summary>
    public DateOnly? EmployerChangedOn { get; init; }
    /// <summary>The certificate's own history of changes (签注), oldest first.</summary>
    public IReadOnlyList<Endorsement> Endorsements { get; init; } = [];
}
