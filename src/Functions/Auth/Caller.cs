using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Http;

namespace FuncRegistry.Functions.Auth;

/// <summary>Claim names the app reads from tokens (dev tokens and the OIDC provider alike).</summary>
public static class ClaimNames
{
    /// <summary>Role: applicant, enterprise, city-reviewer, province-reviewer, admin.</summary>
    public const string Role = "role";
    /// <summary>Subject.</summary>
    public const string Subject = "sub";
    /// <summary>Display name.</summary>
    public const string Name = "name";
    /// <summary>City code of a city reviewer.</summary>
    public const string City = "city";
    /// <summary>USCC of an enterprise user.</summary>
    public const string Org = "org";
}

/// <summary>Turns the authenticated principal into the domain's <see cref="Actor"/>.</summary>
public static class Caller
{
    private static readonly Dictionary<string, Role> Roles = new()
    {
        ["applicant"] = Role.Applicant, ["enterprise"] = Role.Enterprise, ["city-reviewer"] = Role.CityReviewer,
        ["province-reviewer"] = Role.ProvinceReviewer, ["admin"] = Role.Admin,
    };

    /// <summary>The role names used in tokens.</summary>
    public static IReadOnlyCollection<string> RoleNames => Roles.Keys;

    /// <summary>Parses a role name.</summary>
    public static Role? ParseRole(string? name) => name is not null && Roles.TryGetValue(name, out var r) ? r : null;

    /// <summary>The token name of a role.</summary>
    /// (<see cref="Role.Public"/>, whom no token names, is <c>public</c>.)
    public static string NameOf(Role role) => role == Role.Public ? "public" : Roles.First(r => r.Value == role).Key;

    /// <summary>
    /// Requires an authenticated caller whose token names a usable role and subject; answers
    /// 403 problem+json otherwise, so handlers can take <see cref="Of"/> for granted.
    /// </summary>
    public static TBuilder RequireActor<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().AddEndpointFilter(async (context, next) => ActorOf(context.HttpContext.User) is null
            ? Problems.Problem(StatusCodes.Status403Forbidden, "forbidden", "令牌中缺少角色或用户标识，或含有多个角色")
            : await next(context));

    /// <summary>The actor of a request behind <see cref="RequireActor{TBuilder}"/>.</summary>
    public static Actor Of(ClaimsPrincipal user) =>
        ActorOf(user) ?? throw new InvalidOperationException("endpoint is missing RequireActor()");

    /// <summary>The actor of a request; null when the token lacks a usable role or subject.</summary>
    public static Actor? ActorOf(ClaimsPrincipal user)
    {
        // A caller acts in exactly one role: a token naming several is refused rather than guessed at.
        var roles = user.FindAll(ClaimNames.Role).Concat(user.FindAll(ClaimTypes.Role)).Select(c => c.Value).Distinct().ToList();
        var role = roles.Count == 1 ? ParseRole(roles[0]) : null;
        var subject = user.FindFirst(ClaimNames.Subject)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (role is null || string.IsNullOrEmpty(subject)) return null;
        var name = user.FindFirst(ClaimNames.Name)?.Value ?? subject;
        return new Actor(role.Value, subject, name, user.FindFirst(ClaimNames.City)?.Value, user.FindFirst(ClaimNames.Org)?.Value);
    }
}
