using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Certificates;

/// <summary>What an approved application does to the register.</summary>
public static class CertificateEffects
{
    private const string NameChangeText = "姓名";

    /// <summary>
    /// An endorsement as shown to someone who may not see the holder's personal data: a name
    /// change says only that the name changed (its text quotes both names).
    /// </summary>
    public static Endorsement MaskedForOthers(Endorsement e) =>
        e.Text.StartsWith(NameChangeText + "由", StringComparison.Ordinal) ? e with { Text = NameChangeText + "变更" } : e;

    /// <summary>
    /// Valid-until after an approved extension: <paramref name="years"/> from the later of the
    /// current valid-until and the approval day, so an extension approved after the certificate
    /// expired never ends in the past (nor starts its new period before it was granted).
    /// </summary>
    public static DateOnly ExtendedValidUntil(DateOnly validUntil, DateOnly approvedOn, int years) =>
        (approvedOn > validUntil ? approvedOn : validUntil).AddYears(years);

    /// <summary>
    /// Applies an approval. Returns the certificate as it becomes and, for a reissue, the new
    /// certificate; returns null when this application was already applied (idempotent).
    /// </summary>
    public static (Certificate Updated, Certificate? Issued)? Apply(Certificate current, SideEffect.ApplyToCertificate effect, DateOnly today)
    {
        if (current.Endorsements.Any(e => e.ApplicationId == effect.ApplicationId)) return null;
        Certificate Endorse(Certificate c, string text) => c with { Endorsements = [.. c.Endorsements, new Endorsement(effect.ApplicationId, today, text)] };

        switch (effect.Kind)
        {
            case ApplicationKind.Change when effect.Change is { } change:
                if (change.HolderName is { } name)
                    return (Endorse(current with { HolderName = name }, $"{NameChangeText}由“{current.HolderName}”变更为“{name}”"), null);
                if (change.HolderIdNumber is { } id)
                    return (Endorse(current with { HolderIdNumber = id }, "身份证号变更"), null);
                return (Endorse(current with { Employer = change.Employer!, EmployerCode = change.EmployerCode!, EmployerChangedOn = today },
                    $"工作单位由“{current.Employer}”变更为“{change.Employer}”"), null);
            // A batch reissue applies one reissue per line (its effects carry Reissue; BatchReissue is read the same).
            case ApplicationKind.Reissue or ApplicationKind.BatchReissue:
                var number = effect.NewCertificateNumber!;
                var issued = current with
                {
                    Number = number, IssuedOn = today, Status = CertificateStatus.Valid, Replaces = current.Number, ReplacedBy = null,
                    Endorsements = [new Endorsement(effect.ApplicationId, today, $"补发，原证书{current.Number}作废")],
                };
                return (Endorse(current with { Status = CertificateStatus.Voided, ReplacedBy = number }, $"补发新证书{number}，本证书作废"), issued);
            case ApplicationKind.Transfer when effect.Change is { EmployerCode: { } code } moved:
                return (Endorse(current with { Employer = moved.Employer!, EmployerCode = code, CityCode = moved.CityCode ?? current.CityCode, EmployerChangedOn = today },
                    $"调入：工作单位由“{current.Employer}”变更为“{moved.Employer}”"), null);
            case ApplicationKind.Cancellation:
                return (Endorse(current with { Status = CertificateStatus.Cancelled }, "证书注销"), null);
            case ApplicationKind.Extension:
                var until = effect.NewValidUntil ?? current.ValidUntil;
                return (Endorse(current with { ValidUntil = until }, $"有效期由{current.ValidUntil:yyyy-MM-dd}延至{until:yyyy-MM-dd}"), null);
            // Never one certificate's effect: SideEffect.ApplyToEnterprise applies it to every certificate of the enterprise.
            case ApplicationKind.EnterpriseChange:
                return null;
            default:
                return (current, null);
        }
    }
}
