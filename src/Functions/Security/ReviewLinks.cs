using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Security;

/// <summary>One signing key of review links.</summary>
public sealed class ReviewLinkKey
{
    /// <summary>Key id, carried in every link it signs (letters, digits, '-', '_').</summary>
    public string Id { get; set; } = "";

    /// <summary>The HMAC-SHA256 secret: at least 32 characters (from Key Vault in Azure).</summary>
    public string Secret { get; set; } = "";
}

/// <summary>Signed review callback links. Bound from the <c>ReviewLinks</c> section.</summary>
public sealed class ReviewLinkOptions
{
    /// <summary>
    /// Keys that verify links. Rotation: add the new key, make it active, and remove the old one
    /// once the links it signed have expired (<see cref="Lifetime"/>).
    /// </summary>
    public List<ReviewLinkKey> Keys { get; set; } = [];

    /// <summary>Id of the key that signs new links; may be empty when there is exactly one key.</summary>
    public string ActiveKeyId { get; set; } = "";

    /// <summary>How long a link stays usable.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Base of the links' absolute URLs (e.g. https://registry.example.gov.cn); empty: the request's own scheme and host.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The key Development uses when none is configured (never outside Development).</summary>
    public static ReviewLinkKey DevelopmentKey { get; } = new() { Id = "dev", Secret = "funcregistry-development-review-link-key-not-for-production" };
}

/// <summary>A review link offered to a reviewer: POST <c>{decision, reason?}</c> to <paramref name="Href"/>, no bearer token needed.</summary>
public sealed record CallbackLinkView(ReviewStage Stage, int Round, string Href, DateTimeOffset ExpiresAt);

/// <summary>What a link grants: one decision on one application, in one stage and round, by one reviewer, until it expires.</summary>
public sealed record ReviewLinkGrant(string LinkId, string ApplicationId, ReviewStage Stage, int Round, Actor Reviewer, DateTimeOffset ExpiresAt);

/// <summary>Why a link was not accepted.</summary>
public enum ReviewLinkError
{
    /// <summary>Not a link we issued: malformed, unknown key or bad signature.</summary>
    Invalid,
    /// <summary>Genuine but past its expiry.</summary>
    Expired,
}

/// <summary>
/// Issues and checks review links: <c>v1.{payload}.{mac}</c>, the payload base64url JSON
/// (key id, application, stage, round, the reviewer it was issued to, expiry, link id) and the
/// MAC HMAC-SHA256 over "v1." + payload with the named key. The link is the reviewer's
/// credential for exactly one decision: whoever presents it acts as that reviewer.
/// </summary>
public sealed class ReviewLinkSigner(IOptions<ReviewLinkOptions> options, IHostEnvironment environment, TimeProvider clock)
{
    private const string Version = "v1";

    private sealed record Payload(
        [property: JsonPropertyName("k")] string KeyId, [property: JsonPropertyName("a")] string ApplicationId,
        [property: JsonPropertyName("s")] ReviewStage Stage, [property: JsonPropertyName("r")] int Round,
        [property: JsonPropertyName("by")] LinkReviewer By, [property: JsonPropertyName("exp")] long Expires,
        [property: JsonPropertyName("n")] string LinkId);

    private sealed record LinkReviewer(
        [property: JsonPropertyName("role")] string Role, [property: JsonPropertyName("sub")] string Subject,
        [property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("city")] string? City);

    private static readonly JsonSerializerOptions PayloadJson = new() { Converters = { new StrictEnumConverter() } };

    /// <summary>The links offered to <paramref name="viewer"/>: one for the stage they may decide now, if any.</summary>
    public IReadOnlyList<CallbackLinkView>? OfferTo(Actor viewer, ApplicationState state, HttpRequest request)
    {
        if (AccessRules.StageToDecide(viewer, state) is not { } stage) return null;
        var (token, expires) = Issue(state.Id, stage, state.Round, viewer);
        var baseUrl = options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return [new CallbackLinkView(stage, state.Round, $"{baseUrl}/api/review-links/{token}", expires)];
    }

    /// <summary>Signs a link for one decision (also for a reviewer webhook).</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(string applicationId, ReviewStage stage, int round, Actor reviewer)
    {
        var key = ActiveKey();
        var expires = clock.GetUtcNow().Add(options.Value.Lifetime);
        var payload = new Payload(key.Id, applicationId, stage, round,
            new LinkReviewer(Caller.NameOf(reviewer.Role), reviewer.Subject, reviewer.Name, reviewer.City),
            expires.ToUnixTimeSeconds(), WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)));
        var body = WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson));
        return ($"{Version}.{body}.{Mac(key, body)}", DateTimeOffset.FromUnixTimeSeconds(payload.Expires));
    }

    /// <summary>Checks a link: signature (constant-time), then expiry. Never trusts any part of it before the signature holds.</summary>
    public (ReviewLinkGrant? Grant, ReviewLinkError? Error) Verify(string token)
    {
        var parts = token.Split('.');
        if (parts is not [Version, var body, var mac] || body.Length > 2048) return (null, ReviewLinkError.Invalid);
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(WebEncoders.Base64UrlDecode(body), PayloadJson);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return (null, ReviewLinkError.Invalid);
        }
        var key = payload is null ? null : Keys().FirstOrDefault(k => k.Id == payload.KeyId);
        if (key is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, body)), Encoding.ASCII.GetBytes(mac)))
            return (null, ReviewLinkError.Invalid);
        if (Caller.ParseRole(payload!.By.Role) is not { } role) return (null, ReviewLinkError.Invalid);
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        if (clock.GetUtcNow() >= expires) return (null, ReviewLinkError.Expired);
        var reviewer = new Actor(role, payload.By.Subject, payload.By.Name, payload.By.City);
        return (new ReviewLinkGrant(payload.LinkId, payload.ApplicationId, payload.Stage, payload.Round, reviewer, expires), null);
    }

    /// <summary>Refuses to start with keys that cannot protect links: none outside Development, too short, or no active one.</summary>
    public static void ValidateAtStartup(ReviewLinkOptions options, IHostEnvironment environment)
    {
        var keys = Configured(options);
        if (keys.Count == 0)
        {
            if (environment.IsDevelopment()) return;
            throw new InvalidOperationException(
                $"ReviewLinks:Keys is empty in '{environment.EnvironmentName}': configure at least one key " +
                "(ReviewLinks__Keys__0__Id, ReviewLinks__Keys__0__Secret of 32+ characters, e.g. from Key Vault) and ReviewLinks:ActiveKeyId.");
        }
        foreach (var key in keys)
        {
            if (string.IsNullOrWhiteSpace(key.Id) || key.Id.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
                throw new InvalidOperationException($"ReviewLinks:Keys: key id '{key.Id}' must be letters, digits, '-' or '_'.");
            if (key.Secret.Length < 32)
                throw new InvalidOperationException($"ReviewLinks:Keys: the secret of key '{key.Id}' must have at least 32 characters.");
        }
        if (keys.Select(k => k.Id).Distinct().Count() != keys.Count)
            throw new InvalidOperationException("ReviewLinks:Keys: key ids must be unique.");
        if (!(options.ActiveKeyId.Length == 0 ? keys.Count == 1 : keys.Any(k => k.Id == options.ActiveKeyId)))
            throw new InvalidOperationException("ReviewLinks:ActiveKeyId must name one of ReviewLinks:Keys (it may be empty only when there is one key).");
    }

    private IReadOnlyList<ReviewLinkKey> Keys() => Configured(options.Value) is { Count: > 0 } keys ? keys
        : environment.IsDevelopment() ? [ReviewLinkOptions.DevelopmentKey] : [];

    /// <summary>The keys given; an entry with neither id nor secret (an empty settings line) is no key.</summary>
    private static List<ReviewLinkKey> Configured(ReviewLinkOptions options) => options.Keys.Where(k => k.Id.Length > 0 || k.Secret.Length > 0).ToList();

    private ReviewLinkKey ActiveKey()
    {
        var keys = Keys();
        var active = Configured(options.Value).Count == 0 ? "" : options.Value.ActiveKeyId;
        return (active.Length == 0 ? keys.FirstOrDefault() : keys.FirstOrDefault(k => k.Id == active))
            ?? throw new InvalidOperationException("no active review-link key (ReviewLinks:ActiveKeyId)");
    }

    private static string Mac(ReviewLinkKey key, string body) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.Secret), Encoding.ASCII.GetBytes($"{Version}.{body}")));
}
