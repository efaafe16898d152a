using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Production authentication: tokens of the configured OIDC authority (its discovery document and
/// keys served by a stub, as Entra ID would), the Easy Auth header only when trusted, and the
/// start-up refusals of unsafe configurations.
/// </summary>
public sealed class AuthenticationTests
{
    public const string Authority = "https://login.example.test/tenant-1/v2.0";
    public const string Audience = "api://funcregistry";

    /// <summary>Settings a production deployment must have.</summary>
    public static Dictionary<string, string?> ProductionSettings(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Authority"] = Authority,
            ["Auth:Audience"] = Audience,
            ["Auth:RoleValues:Registry.ProvinceReviewer"] = "province-reviewer",
            ["ReviewLinks:Keys:0:Id"] = "k1",
            ["ReviewLinks:Keys:0:Secret"] = "a-production-review-link-secret-of-some-length",
            ["Storage:PersonalDataKeySecret"] = "a-production-personal-data-secret",
            ["Certificates:VerificationKey"] = "a-production-certificate-verification-key",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return settings;
    }

    /// <summary>The provider: an RSA key published at the authority's jwks_uri.</summary>
    public sealed class OidcProvider : HttpMessageHandler
    {
        public RsaSecurityKey Key { get; } = new(RSA.Create(2048)) { KeyId = "key-1" };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            object? body = url switch
            {
                Authority + "/.well-known/openid-configuration" => new { issuer = Authority, jwks_uri = Authority + "/discovery/keys" },
                Authority + "/discovery/keys" => new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Key.Rsa.ExportParameters(false)) { KeyId = Key.KeyId }) } },
                _ => null,
            };
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") });
        }

        public string Token(DateTimeOffset now, Dictionary<string, object> claims, string issuer = Authority, string audience = Audience,
            TimeSpan? lifetime = null, SecurityKey? key = null)
        {
            var descriptor = new SecurityTokenDescriptor
            {
                Issuer = issuer, Audience = audience, Claims = claims,
                IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime.AddMinutes(-1), Expires = now.Add(lifetime ?? TimeSpan.FromHours(1)).UtcDateTime,
                SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
            };
            return new JsonWebTokenHandler().CreateToken(descriptor);
        }
    }

    public static RegistryFactory Production(OidcProvider provider, Dictionary<string, string?>? extra = null) =>
        new(environment: "Production", settings: ProductionSettings(extra),
            services: s => s.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = provider));

    private static Dictionary<string, object> ProvinceReviewer(string role = "Registry.ProvinceReviewer") =>
        new() { ["sub"] = "gs-reviewer-9", ["name"] = "省厅审核员", ["roles"] = new[] { role }, ["scp"] = "registry.access" };

    private static async Task<HttpResponseMessage> GetAsync(RegistryFactory app, string path, string? token = null, string? principal = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (principal is not null) request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        return await app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task A_token_of_the_authority_is_accepted_and_its_app_role_mapped()
    {
        var provider = new OidcProvider();
        using var app = Production(provider);
        var token = provider.Token(app.Clock.GetUtcNow(), ProvinceReviewer());
        await (await GetAsync(app, "/api/reviews/pending", token)).AssertOkAsync();
    }

    [Fact]
    public async Task A_city_reviewer_token_carries_its_city_claim()
    {
        var provider = new OidcProvider();
        using var app = Production(provider);
        var claims = new Dictionary<string, object> { ["sub"] = "lz-9", ["name"] = "兰州审核员", ["roles"] = new[] { "city-reviewer" }, ["city"] = "620100" };
        await (await GetAsync(app, "/api/reviews/pending", provider.Token(app.Clock.GetUtcNow(), claims))).AssertOkAsync();
    }

    [Fact]
    public async Task Wrong_audience_wrong_issuer_expired_foreign_key_and_dev_tokens_are_refused()
    {
        var provider = new OidcProvider();
        using var app = Production(provider);
        var now = app.Clock.GetUtcNow();
        var tokens = new Dictionary<string, string>
        {
            ["audience"] = provider.Token(now, ProvinceReviewer(), audience: "api://someone-else"),
            ["issuer"] = provider.Token(now, ProvinceReviewer(), issuer: "https://login.example.test/other-tenant/v2.0"),
            ["expired"] = provider.Token(now.AddHours(-3), ProvinceReviewer()),
            ["foreign key"] = provider.Token(now, ProvinceReviewer(), key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "key-1" }),
            ["dev token"] = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "funcregistry-dev", Audience = "funcregistry-api", Claims = new Dictionary<string, object> { ["role"] = "admin", ["sub"] = "x" },
                Expires = now.AddHours(1).UtcDateTime, IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime,
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("funcregistry-development-signing-key-not-for-production")), SecurityAlgorithms.HmacSha256),
            }),
        };
        foreach (var (what, token) in tokens)
        {
            var response = await GetAsync(app, "/api/applications", token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
            await response.AssertProblemAsync(401, "unauthenticated");
        }
    }

    [Fact]
    public async Task A_token_that_expires_while_in_use_stops_working_on_the_apps_clock()
    {
        var provider = new OidcProvider();
        using var app = Production(provider);
        var token = provider.Token(app.Clock.GetUtcNow(), ProvinceReviewer(), lifetime: TimeSpan.FromMinutes(30));
        await (await GetAsync(app, "/api/applications", token)).AssertOkAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(36)); // past expiry and the five minutes of skew
        await (await GetAsync(app, "/api/applications", token)).AssertProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task A_token_without_an_app_role_or_with_two_is_forbidden()
    {
        var provider = new OidcProvider();
        using var app = Production(provider);
        var none = new Dictionary<string, object> { ["sub"] = "u1", ["name"] = "某人", ["roles"] = new[] { "Directory.Reader" } };
        var two = new Dictionary<string, object> { ["sub"] = "u1", ["name"] = "某人", ["roles"] = new[] { "admin", "Registry.ProvinceReviewer" } };
        await (await GetAsync(app, "/api/applications", provider.Token(app.Clock.GetUtcNow(), none))).AssertProblemAsync(403, "forbidden");
        await (await GetAsync(app, "/api/applications", provider.Token(app.Clock.GetUtcNow(), two))).AssertProblemAsync(403, "forbidden");
    }

    [Fact]
    public async Task A_delegated_token_without_the_required_scope_is_refused()
    {
        var provider = new OidcProvider();
        using var app = Production(provider, new() { ["Auth:RequiredScope"] = "registry.access" });
        var withScope = provider.Token(app.Clock.GetUtcNow(), ProvinceReviewer());
        var otherScope = ProvinceReviewer();
        otherScope["scp"] = "user.read";
        await (await GetAsync(app, "/api/applications", withScope)).AssertOkAsync();
        await (await GetAsync(app, "/api/applications", provider.Token(app.Clock.GetUtcNow(), otherScope))).AssertProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task The_dev_token_endpoint_does_not_exist_outside_development()
    {
        using var app = Production(new OidcProvider());
        var response = await app.CreateClient().PostAsync("/api/dev/tokens",
            new StringContent("""{"role":"admin","subject":"a","name":"a"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string EasyAuthPrincipal(params (string Type, string Value)[] claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad", name_typ = "name", role_typ = "roles",
            claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
        })));

    [Fact]
    public async Task The_easy_auth_header_is_ignored_unless_trusted()
    {
        var principal = EasyAuthPrincipal(("sub", "gs-1"), ("name", "省厅审核员"), ("roles", "province-reviewer"));
        using (var untrusted = Production(new OidcProvider()))
            await (await GetAsync(untrusted, "/api/reviews/pending", principal: principal)).AssertProblemAsync(401, "unauthenticated");
        using var trusted = Production(new OidcProvider(), new() { ["Auth:TrustEasyAuthHeader"] = "true" });
        await (await GetAsync(trusted, "/api/reviews/pending", principal: principal)).AssertOkAsync();
        await (await GetAsync(trusted, "/api/reviews/pending", principal: "not base64 json")).AssertProblemAsync(401, "unauthenticated");
    }

    [Theory]
    [InlineData("Auth:DevTokens", "true", "Auth:DevTokens")]
    [InlineData("Auth:Authority", "", "Auth:Authority")]
    [InlineData("Auth:Audience", "", "Auth:Audience")]
    [InlineData("ReviewLinks:Keys:0:Secret", "short", "at least 32 characters")]
    [InlineData("Storage:PersonalDataKeySecret", "", "Storage:PersonalDataKeySecret")]
    public void Outside_development_an_unsafe_setting_stops_the_app_at_start(string key, string value, string message)
    {
        using var app = Production(new OidcProvider(), new() { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(message, Flatten(error));
    }

    [Fact]
    public async Task A_production_configuration_starts()
    {
        using var app = Production(new OidcProvider());
        await (await app.CreateClient().GetAsync("/api/health")).AssertOkAsync();
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
