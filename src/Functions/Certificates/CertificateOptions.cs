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
    /// characters, from Key Vault in Azure; required outside Development. Never rotated lightly: a new key
    /// gives every certificate a new code, and the codes on certificates already printed stop verifying.
    /// </summary>
    public string VerificationKey { get; set; } = "";

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

/// <summary>Certificates: the verification key outside Development, an absolute base URL.</summary>
internal sealed class CertificateSettingsRules(IHostEnvironment e, SettingsCatalog c, IServiceProvider p) : SettingsRules<CertificateOptions>(e, c, p)
{
    protected override IEnumerable<ValidationResult> Check(CertificateOptions o, IHostEnvironment environment)
    {
        if (o.VerificationKey.Length > 0 ? o.VerificationKey.Length < 32 : !environment.IsDevelopment())
            yield return new("must have at least 32 characters (from Key Vault in Azure): it keys the check codes printed on the certificates",
                [nameof(o.VerificationKey)]);
        if (o.PublicBaseUrl.Length > 0 && !IsAbsoluteHttp(o.PublicBaseUrl))
            yield return new("must be an absolute http(s) URL, e.g. https://zs.example.gov.cn", [nameof(o.PublicBaseUrl)]);
    }
}

/// <summary>What a certificate prints besides its register data: the authority, the check code and the verification URL.</summary>
public sealed class CertificateLinks(IOptions<CertificateOptions> options, IOptions<ReviewLinkOptions> reviewLinks, ProvinceProfile province, IHostEnvironment environment)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.VerificationKey is { Length: > 0 } key ? key
        : environment.IsDevelopment() ? CertificateOptions.DevelopmentKey
        : throw new InvalidOperationException("Certificates:VerificationKey is required outside Development"));

    /// <summary>发证机关.</summary>
    public string Authority { get; } = options.Value.IssuingAuthority is { Length: > 0 } authority ? authority : province.Name + "住房和城乡建设厅";

    /// <summary>The base of the verification URLs (no trailing slash).</summary>
    public string BaseUrl { get; } = (options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured
        : reviewLinks.Value.PublicBaseUrl is { Length: > 0 } shared ? shared
        : Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME") is { Length: > 0 } host ? "https://" + host
        : CertificateOptions.LocalBaseUrl).TrimEnd('/');

    /// <summary>The check code of a number.</summary>
    public string CheckCode(string number) => CheckCodes.Compute(_key, number);

    /// <summary>Whether a code (as typed) is the number's.</summary>
    public bool Matches(string number, string? code) => CheckCodes.Matches(_key, number, code);

    /// <summary>The verification page of a certificate, as its QR code holds it.</summary>
    public string VerifyUrl(string number) => $"{BaseUrl}/api/verify/{Uri.EscapeDataString(number)}?code={CheckCode(number)}";
}
