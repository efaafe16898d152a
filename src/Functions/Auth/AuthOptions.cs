namespace FuncRegistry.Functions.Auth;

/// <summary>Token validation. Bound from the <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    /// <summary>OIDC authority (e.g. https://login.microsoftonline.com/{tenant}/v2.0). Required outside Development.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Expected audience of access tokens.</summary>
    public string Audience { get; set; } = "";

    /// <summary>Signing key of Development tokens (at least 32 characters). Used only in Development.</summary>
    public string DevSigningKey { get; set; } = "funcregistry-development-signing-key-not-for-production";

    /// <summary>Issuer of Development tokens.</summary>
    public const string DevIssuer = "funcregistry-dev";

    /// <summary>Audience of Development tokens.</summary>
    public const string DevAudience = "funcregistry-api";
}
