using System.Security.Claims;

namespace FuncRegistry.Functions.Auth;

/// <summary>
/// Turns a provider's claims (OIDC token, Easy Auth principal) into the app's claims
/// (<see cref="ClaimNames"/>), by the configured claim names and role values. Whatever the
/// provider calls them, the rest of the app reads only role, sub, name, city and org.
/// </summary>
public static class ClaimMapping
{
    /// <summary>The app's identity for a provider's claims. A role that is not the app's is dropped; several roles are kept (and refused by <see cref="Caller"/>).</summary>
    public static ClaimsIdentity ToAppIdentity(IEnumerable<Claim> claims, AuthOptions options, string authenticationType, string? extraRoleClaimType = null)
    {
        var list = claims.ToList();
        var names = options.Claims;
        string? First(string type) => list.FirstOrDefault(c => c.Type == type && c.Value.Length > 0)?.Value;

        var identity = new ClaimsIdentity(authenticationType, ClaimNames.Name, ClaimNames.Role);
        var roles = list.Where(c => c.Type == names.Role || (extraRoleClaimType is not null && c.Type == extraRoleClaimType))
            .Select(c => RoleName(c.Value, options)).OfType<string>().Distinct();
        foreach (var role in roles) identity.AddClaim(new Claim(ClaimNames.Role, role));
        if (First(names.Subject) is { } subject)
            identity.AddClaim(new Claim(ClaimNames.Subject, RoleOf(identity) == "applicant" ? subject.ToUpperInvariant() : subject));
        if (First(names.Name) is { } name) identity.AddClaim(new Claim(ClaimNames.Name, name));
        if (First(names.City) is { } city) identity.AddClaim(new Claim(ClaimNames.City, city));
        if (First(names.Org) is { } org) identity.AddClaim(new Claim(ClaimNames.Org, org.ToUpperInvariant()));
        return identity;
    }

    /// <summary>
    /// A delegated token (one with <c>scp</c>) must carry the required scope; an application
    /// token has no <c>scp</c> and is authorised by its app roles alone.
    /// </summary>
    public static bool HasRequiredScope(IEnumerable<Claim> claims, AuthOptions options)
    {
        if (string.IsNullOrEmpty(options.RequiredScope)) return true;
        var scopes = claims.Where(c => c.Type is "scp" or "http://schemas.microsoft.com/identity/claims/scope").ToList();
        return scopes.Count == 0 || scopes.SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(options.RequiredScope);
    }

    private static string? RoleName(string value, AuthOptions options)
    {
        var name = options.RoleValues.TryGetValue(value, out var mapped) ? mapped : value;
        return Caller.ParseRole(name) is null ? null : name;
    }

    private static string? RoleOf(ClaimsIdentity identity) =>
        identity.FindAll(ClaimNames.Role).Select(c => c.Value).ToList() is [var only] ? only : null;
}
