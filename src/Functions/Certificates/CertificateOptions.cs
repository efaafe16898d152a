using System.ComponentModel.DataAnnotations;
using System.Text;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Security;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Certificates;

/// <summary>The electronic certificate and its public verification (ADR 0020). Bound from the <c>Certificates</c> section.</summary>
public sealed class CertificateOptions
{
    /// <summary>
    /// The HMAC key of the check codes printed on the certificates (<see cref="CheckCodes"/>): at least 32
    /// characters, from Key Vault in Azure; required outside Development. A new key gives every certificate
    /// a new code (the PDFs re-render with it); the codes already on paper verify only while the old key is
    /// one of <see cref="PreviousVerificationKeys"/> (docs/certificates.md, "Rotating the verification key").
    /// </summary>
    public string VerificationKey { get; set; } = "";

    /// <summary>
    /// Keys the current one replaced: they make no new code, but a code made under one of them still
    /// verifies, so certificates printed before a rotation keep verifying. Each at least 32 characters;
    /// an empty entry is no key. Remove a key once no certificate printed with its codes may still be shown.
    /// </summary>
    public List<string> PreviousVerificationKeys { get; set; } = [];

    /// <summary>
    /// Base of the verification URL in the certificates' QR codes, as the public reaches the API (e.g.
    /// https://zs.example.gov.cn). Empty: <c>ReviewLinks:PublicBaseUrl</c>, else the app's own host name in
    /// Azure (WEBSITE_HOSTNAME), else http://127.0.0.1:7071, where ./run.sh serves.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The issuing authority printed on the certificates (发证机关). Empty: {Registry:ProvinceName}住房和城乡建设厅.</summary>
    [StringLength(40, ErrorMessage = "must be at most 40 characters")]
    public string IssuingAuthority { get; set; } = "";

    /// <summary>The key Development uses when none is configured (never outside Development).</summary>
    public const string DevelopmentKey = "funcregistry-development-certificate-verification-key";

    /// <summary>Where ./run.sh serves the API: the QR codes' base when nothing else says.</summary>
    public const string LocalBaseUrl = "http://127.0.0.1:7071";
}

/// <summary>Certificates: the verification key outside Development, previous keys as long, an absolute base URL.</summary>
internal sealed class CertificateSettingsRules(IHostEnvironment e, SettingsCatalog c, IServiceProvider p) : SettingsRules<CertificateOptions>(e, c, p)
{
    protected override IEnumerable<ValidationResult> Check(CertificateOptions o, IHostEnvironment environment)
    {
        if (o.VerificationKey.Length > 0 ? o.VerificationKey.Length < 32 : !environment.IsDevelopment())
            yield return new("must have at least 32 characters (from Key Vault in Azure): it keys the check codes printed on the certificates",
                [nameof(o.VerificationKey)]);
        for (var i = 0; i < o.PreviousVerificationKeys.Count; i++)
        {
            var key = o.PreviousVerificationKeys[i];
            // Lists are not searched by the common check: an unresolved reference would otherwise be taken for a key.
            if (KeyVaultReferences.IsUnresolved(key))
                yield return new(KeyVaultReferences.Problem, [$"{nameof(o.PreviousVerificationKeys)}:{i}"]);
            else if (key.Length is > 0 and < 32)
                yield return new("must have at least 32 characters (from Key Vault in Azure): it verifies the check codes printed under a key the current one replaced",
                    [$"{nameof(o.PreviousVerificationKeys)}:{i}"]);
        }
        if (o.PublicBaseUrl.Length > 0 && !IsAbsoluteHttp(o.PublicBaseUrl))
            yield return new("must be an absolute http(s) URL, e.g. https://zs.example.gov.cn", [nameof(o.PublicBaseUrl)]);
    }
}

/// <summary>What a certificate prints besides its register data: the authority, the check code and the verification URL.</summary>
public sealed class CertificateLinks(IOptions<CertificateOptions> options, IOptions<ReviewLinkOptions> reviewLinks, ProvinceProfile province, IHostEnvironment environment)
{
    // The current key first: it makes every code. The keys it replaced only verify the codes printed under them.
    private readonly byte[][] _keys =
    [
        Encoding.UTF8.GetBytes(options.Value.VerificationKey is { Length: > 0 } key ? key
            : environment.IsDevelopment() ? CertificateOptions.DevelopmentKey
            : throw new InvalidOperationException("Certificates:VerificationKey is required outside Development")),
        .. options.Value.PreviousVerificationKeys.Where(k => k.Length > 0).Select(k => Encoding.UTF8.GetBytes(k)),
    ];

    /// <summary>发证机关.</summary>
    public string Authority { get; } = options.Value.IssuingAuthority is { Length: > 0 } authority ? authority : province.Name + "住房和城乡建设厅";

    /// <summary>The base of the verification URLs (no trailing slash).</summary>
    public string BaseUrl { get; } = (options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured
        : reviewLinks.Value.PublicBaseUrl is { Length: > 0 } shared ? shared
        : Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME") is { Length: > 0 } host ? "https://" + host
        : CertificateOptions.LocalBaseUrl).TrimEnd('/');

    /// <summary>The check code of a number, under the current key.</summary>
    public string CheckCode(string number) => CheckCodes.Compute(_keys[0], number);

    /// <summary>Whether a code (as typed) is the number's under the current key or a previous one.</summary>
    public bool Matches(string number, string? code) => CheckCodes.Matches(_keys, number, code);

    /// <summary>The verification page of a certificate, as its QR code holds it.</summary>
    public string VerifyUrl(string number) => $"{BaseUrl}/api/verify/{Uri.EscapeDataString(number)}?code={CheckCode(number)}";
}
