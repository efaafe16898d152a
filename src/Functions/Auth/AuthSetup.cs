using System.Security.Claims;
using FuncRegistry.Functions.Dev;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncRegistry.Functions.Auth;

/// <summary>
/// Authentication: OIDC bearer tokens of the configured authority in production, Development
/// tokens only in Development, and the Easy Auth header only when explicitly trusted. One policy
/// scheme picks the handler per request, so every endpoint sees the same claims (<see cref="ClaimNames"/>).
/// </summary>
public static class AuthSetup
{
    /// <summary>The default scheme: forwards to one of the three below.</summary>
    public const string PolicyScheme = "FuncRegistry";

    /// <summary>Tokens of the configured OIDC authority.</summary>
    public const string OidcScheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>Development tokens (<c>POST /api/dev/tokens</c>).</summary>
    public const string DevScheme = "DevBearer";

    /// <summary>Whether Development tokens are issued and accepted.</summary>
    public static bool DevTokensEnabled(AuthOptions options, IHostEnvironment environment) => options.DevTokens ?? environment.IsDevelopment();

    /// <summary>Registers the schemes.</summary>
    public static IServiceCollection AddRegistryAuthentication(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Bearer token or Easy Auth principal", o => o.ForwardDefaultSelector = http =>
            {
                var auth = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
                if (auth.TrustEasyAuthHeader && http.Request.Headers.ContainsKey(EasyAuthHandler.Header)) return EasyAuthHandler.SchemeName;
                if (DevTokensEnabled(auth, environment) && environment.IsDevelopment()
                    && (string.IsNullOrEmpty(auth.Authority) || IssuerOf(http.Request) == AuthOptions.DevIssuer))
                    return DevScheme;
                return OidcScheme;
            })
            .AddJwtBearer(OidcScheme)
            .AddJwtBearer(DevScheme)
            .AddScheme<AuthenticationSchemeOptions, EasyAuthHandler>(EasyAuthHandler.SchemeName, null);

        services.AddOptions<JwtBearerOptions>(OidcScheme).Configure<IOptions<AuthOptions>, TimeProvider>((jwt, options, clock) =>
        {
            var auth = options.Value;
            jwt.Authority = string.IsNullOrEmpty(auth.Authority) ? null : auth.Authority;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            jwt.MapInboundClaims = false;
            jwt.TimeProvider = clock;
            var p = jwt.TokenValidationParameters;
            p.ValidateIssuer = p.ValidateAudience = p.ValidateLifetime = p.ValidateIssuerSigningKey = true;
            p.RequireSignedTokens = p.RequireExpirationTime = true;
            // The authority's own issuer (from its discovery document) is always accepted; these are extra.
            p.ValidIssuers = auth.ValidIssuers;
            p.ValidAudiences = auth.Audience.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            p.LifetimeValidator = Lifetime(clock);
            p.NameClaimType = ClaimNames.Name;
            p.RoleClaimType = ClaimNames.Role;
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var claims = context.Principal!.Claims.ToList();
                    if (!ClaimMapping.HasRequiredScope(claims, auth)) context.Fail($"token lacks the scope {auth.RequiredScope}");
                    else context.Principal = new ClaimsPrincipal(ClaimMapping.ToAppIdentity(claims, auth, OidcScheme));
                    return Task.CompletedTask;
                },
            };
        });

        services.AddOptions<JwtBearerOptions>(DevScheme).Configure<IOptions<AuthOptions>, TimeProvider>((jwt, options, clock) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TimeProvider = clock;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = AuthOptions.DevIssuer, ValidAudience = AuthOptions.DevAudience,
                IssuerSigningKey = DevApi.DevSigningKey(options.Value), ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                NameClaimType = ClaimNames.Name, RoleClaimType = ClaimNames.Role, LifetimeValidator = Lifetime(clock),
            };
        });
        return services;
    }

    /// <summary>
    /// Refuses to start on a configuration that would be unsafe outside Development: Development
    /// tokens switched on, no OIDC authority or audience. The message names the setting to fix.
    /// </summary>
    public static void ValidateAtStartup(AuthOptions auth, IHostEnvironment environment)
    {
        if (environment.IsDevelopment()) return;
        if (auth.DevTokens == true)
            throw new InvalidOperationException(
                $"Auth:DevTokens=true is allowed only in the Development environment (this is '{environment.EnvironmentName}'): " +
                "Development tokens are signed with a shared key anyone can know. Remove the setting and configure Auth:Authority.");
        if (string.IsNullOrWhiteSpace(auth.Authority))
            throw new InvalidOperationException(
                $"Auth:Authority is required outside Development (this is '{environment.EnvironmentName}'): set it to the OIDC authority " +
                "(e.g. https://login.microsoftonline.com/<tenant>/v2.0) and Auth:Audience to the API's audience.");
        if (string.IsNullOrWhiteSpace(auth.Audience))
            throw new InvalidOperationException("Auth:Audience is required with Auth:Authority: set it to the audience the API's tokens are issued for.");
        if (!auth.RequireHttpsMetadata)
            throw new InvalidOperationException("Auth:RequireHttpsMetadata=false is allowed only in the Development environment.");
    }

    /// <summary>Lifetimes are judged on the app's clock (a fake one in tests), with five minutes of skew; a token must expire.</summary>
    private static LifetimeValidator Lifetime(TimeProvider clock) => (notBefore, expires, _, _) =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return (notBefore is null || notBefore <= now.AddMinutes(5)) && expires is not null && now < expires.Value.AddMinutes(5);
    };

    /// <summary>The unvalidated issuer of a bearer token, only to pick the scheme that validates it.</summary>
    private static string? IssuerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return new JsonWebToken(header["Bearer ".Length..].Trim()).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return null;
        }
    }
}
