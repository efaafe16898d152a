namespace FuncRegistry.Core.Certificates;

/// <summary>Rules for certificate numbers.</summary>
public static class CertificateNumbers
{
    /// <summary>
    /// The number of the certificate reissued by an application: BF (补发) + the application's
    /// digits. Derived, not drawn, so applying the approval twice issues the same certificate.
    /// </summary>
    public static string ForReissue(string applicationId) => "BF" + applicationId[2..];

    /// <summary>Numbers are 4–32 characters of letters, digits and '-': safe as storage keys and in URLs.</summary>
    public static bool IsWellFormed(string? number) =>
        number is { Length: >= 4 and <= 32 } && number.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
