using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Auth;

/// <summary>
/// App Service Authentication ("Easy Auth"): the platform validates the user's token and passes
/// the principal on in <c>X-MS-CLIENT-PRINCIPAL</c> (base64 JSON). Trustworthy only behind Easy
/// Auth, which removes the header from incoming requests; so this scheme is selected only when
/// <see cref="AuthOptions.TrustEasyAuthHeader"/> is set.
/// </summary>
public sealed class EasyAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "EasyAuth";

    /// <summary>The header App Service sets.</summary>
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    private sealed record PrincipalClaim([property: JsonPropertyName("typ")] string? Type, [property: JsonPropertyName("val")] string? Value);

    private sealed record ClientPrincipal(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("claims")] List<PrincipalClaim>? Claims,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!auth.Value.TrustEasyAuthHeader) return Task.FromResult(AuthenticateResult.NoResult());
        var header = Request.Headers[Header].ToString();
        if (header.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        ClientPrincipal? principal;
        try
        {
            principal = JsonSerializer.Deserialize<ClientPrincipal>(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL is not base64 JSON"));
        }
        if (principal?.Claims is null) return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL has no claims"));
        var claims = principal.Claims.Where(c => c.Type is not null && c.Value is not null).Select(c => new Claim(c.Type!, c.Value!));
        var identity = ClaimMapping.ToAppIdentity(claims, auth.Value, SchemeName, principal.RoleType);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
