using System.ComponentModel.DataAnnotations;
namespace FuncRegistry.Functions.Auth;

/// <summary>Token validation. Bound from the <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    /// <summary>OIDC authority (e.g. https://login.microsoftonline.com/{tenant}/v2.0). Required outside Development.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Expected audience of access tokens (the API's app ID URI or client id). Required with an authority.</summary>
    public string Audience { get; set; } = "";

    /// <summary>
    /// Issuers accepted besides the one the authority's discovery document names (e.g. the v1
    /// issuer of the same Entra tenant). Usually empty.
    /// </summary>
    public List<string> ValidIssuers { get; set; } = [];

    /// <summary>
    /// When set, a token must carry this delegated scope in <c>scp</c> (space-separated) — unless
    /// it is an application token carrying app roles. Empty: not checked.
    /// </summary>
    public string RequiredScope { get; set; } = "";

    /// <summary>Fetch the discovery document over HTTPS only. Never false outside Development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Which claims of the provider's tokens carry what the app needs.</summary>
    public ClaimNameOptions Claims { get; set; } = new();

    /// <summary>
    /// The provider's role values mapped to the app's role names (applicant, enterprise,
    /// city-reviewer, province-reviewer, admin), e.g. <c>{"Registry.CityReviewer": "city-reviewer"}</c>.
    /// Values not listed are taken as the app's role names themselves.
    /// </summary>
    public Dictionary<string, string> RoleValues { get; set; } = [];

    /// <summary>
    /// Accept App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header. Only behind Easy
    /// Auth, which strips the header from client requests: anywhere else anyone could forge it.
    /// </summary>
    public bool TrustEasyAuthHeader { get; set; }

    /// <summary>
    /// Issue and accept Development tokens (<c>POST /api/dev/tokens</c>). Unset means "in
    /// Development only"; true outside Development stops the app at start.
    /// </summary>
    public bool? DevTokens { get; set; }

    /// <summary>Signing key of Development tokens (at least 32 characters). Used only in Development.</summary>
    [MinLength(32, ErrorMessage = "must be at least 32 characters")]
    public string DevSigningKey { get; set; } = "funcregistry-development-signing-key-not-for-production";

    /// <summary>Issuer of Development tokens.</summary>
    public const string DevIssuer = "funcregistry-dev";

    /// <summary>Audience of Development tokens.</summary>
    public const string DevAudience = "funcregistry-api";
}

/// <summary>
/// Names of the provider's claims. Entra ID: app roles arrive in <c>roles</c>, the user in
/// <c>sub</c>/<c>oid</c>; city and org are usually optional or directory-extension claims.
/// An applicant's subject must be their resident ID number: point <see cref="Subject"/> at the
/// claim that carries it.
/// </summary>
public sealed class ClaimNameOptions
{
    /// <summary>Role claim (may repeat, or be a JSON array).</summary>
    public string Role { get; set; } = "roles";
    /// <summary>Stable subject.</summary>
    public string Subject { get; set; } = "sub";
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "name";
    /// <summary>City code of a city reviewer.</summary>
    public string City { get; set; } = "city";
    /// <summary>USCC of an enterprise user.</summary>
    public string Org { get; set; } = "org";
}
