namespace FuncRegistry.Core.Documents;

/// <summary>The kinds of material (附件) an applicant attaches. Which a kind of application requires is <see cref="DocumentPolicy"/>.</summary>
public enum DocumentType
{
    /// <summary>身份证人像面 (front of the resident ID card).</summary>
    IdCardFront,
    /// <summary>身份证国徽面 (back of the resident ID card).</summary>
    IdCardBack,
    /// <summary>二寸免冠证件照.</summary>
    Photo,
    /// <summary>劳动（聘用）合同, for an employer change.</summary>
    EmploymentContract,
    /// <summary>社会保险缴纳证明, for an employer change.</summary>
    SocialInsuranceProof,
    /// <summary>遗失声明/承诺书, for a reissue.</summary>
    LossStatement,
    /// <summary>继续教育证明, for an extension.</summary>
    ContinuingEducationProof,
    /// <summary>
    /// 签字盖章的申请表: the signed and stamped scan of the application's own form, printed from
    /// <c>GET /api/applications/{id}/form.pdf</c> (<see cref="Applications.ApplicationForms"/>), so reviewers
    /// can open the two side by side.
    /// </summary>
    SignedForm,
    /// <summary>其他材料: anything a reviewer asked for.</summary>
    Other,
    /// <summary>加盖公章的承诺书, for a batch reissue.</summary>
    EnterpriseCommitment,
}

/// <summary>Labels, codes and accepted formats of the document types.</summary>
public static class DocumentTypes
{
    private static readonly DocumentFormat[] ImagesOnly = [DocumentFormat.Jpeg, DocumentFormat.Png];
    private static readonly DocumentFormat[] ImagesOrPdf = [DocumentFormat.Jpeg, DocumentFormat.Png, DocumentFormat.Pdf];

    /// <summary>The Chinese label shown to users.</summary>
    public static string Label(this DocumentType type) => type switch
    {
        DocumentType.IdCardFront => "身份证人像面",
        DocumentType.IdCardBack => "身份证国徽面",
        DocumentType.Photo => "二寸免冠证件照",
        DocumentType.EmploymentContract => "劳动（聘用）合同",
        DocumentType.SocialInsuranceProof => "社会保险缴纳证明",
        DocumentType.LossStatement => "遗失声明/承诺书",
        DocumentType.ContinuingEducationProof => "继续教育证明",
        DocumentType.SignedForm => "申请表（签字盖章）",
        DocumentType.Other => "其他材料",
        DocumentType.EnterpriseCommitment => "加盖公章的承诺书",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The stable code used in the API and in configuration, e.g. <c>idCardFront</c>.</summary>
    public static string Code(this DocumentType type)
    {
        var name = type.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>Parses a code (case-insensitive; numbers are not codes).</summary>
    public static bool TryParse(string? code, out DocumentType type)
    {
        foreach (var candidate in Enum.GetValues<DocumentType>())
        {
            if (string.Equals(candidate.ToString(), code?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>What a type may be: a photo is an image; everything else may also be a PDF.</summary>
    public static IReadOnlyList<DocumentFormat> AcceptedFormats(this DocumentType type) => type == DocumentType.Photo ? ImagesOnly : ImagesOrPdf;
}
