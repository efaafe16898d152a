using System.Globalization;
using System.Threading.RateLimiting;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Security;

/// <summary>One limit: at most <see cref="PermitLimit"/> requests per caller in each <see cref="Window"/>.</summary>
public sealed class RateLimitRule
{
    /// <summary>Requests allowed per window.</summary>
    public int PermitLimit { get; set; }

    /// <summary>Length of the window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Per-caller limits on what costs money or writes. Bound from the <c>RateLimits</c> section.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Off only where a test or benchmark needs it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Filing applications.</summary>
    public RateLimitRule Create { get; set; } = new() { PermitLimit = 20 };

    /// <summary>Submitting applications.</summary>
    public RateLimitRule Submit { get; set; } = new() { PermitLimit = 20 };

    /// <summary>Uploading documents.</summary>
    public RateLimitRule Upload { get; set; } = new() { PermitLimit = 30 };

    /// <summary>Anything that sends an SMS (paid): review decisions, review links, resends.</summary>
    public RateLimitRule Sms { get; set; } = new() { PermitLimit = 60 };

    /// <summary>Public certificate verification (no sign-in), per client address: slows the guessing of check codes.</summary>
    public RateLimitRule Verify { get; set; } = new() { PermitLimit = 30 };
    /// <summary>Reading the public notices (anyone, without signing in: per client address).</summary>
    public RateLimitRule PublicNotices { get; set; } = new() { PermitLimit = 60 };

    /// <summary>Objections to a public notice (anyone: per client address; each texts the applicant).</summary>
    public RateLimitRule Objections { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(10) };
    /// <summary>
    /// Verification codes one caller asks for, to any phones. This and the two per-phone budgets are
    /// counted in Table storage on the app's clock (<see cref="Storage.PhoneVerificationStore"/>), so
    /// they hold across instances and restarts; a refusal is 429 with Retry-After, as the others.
    /// </summary>
    public RateLimitRule PhoneVerificationPerCaller { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    /// <summary>Verification codes sent to one phone, whoever asks (carriers' usual rule for codes: one a minute).</summary>
    public RateLimitRule PhoneVerificationPerPhone { get; set; } = new() { PermitLimit = 1, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Verification codes sent to one phone in a day, whoever asks: a number cannot be flooded.</summary>
    public RateLimitRule PhoneVerificationPerPhoneDaily { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromDays(1) };
}

/// <summary>
/// The rate-limit policies. Attach one to an endpoint with <c>.RequireRateLimiting(RateLimits.Sms)</c>.
/// Each caller has their own budget: the token's role and subject, or the client address when
/// there is no token. A refused request gets 429 problem+json with Retry-After.
/// </summary>
public static class RateLimits
{
    /// <summary>Filing applications.</summary>
    public const string Create = "create";
    /// <summary>Submitting applications.</summary>
    public const string Submit = "submit";
    /// <summary>Uploading documents.</summary>
    public const string Upload = "upload";
    /// <summary>Anything that sends an SMS.</summary>
    public const string Sms = "sms";
    /// <summary>Public certificate verification: per client address, signed in or not.</summary>
    public const string Verify = "verify";
    /// <summary>Reading the public notices.</summary>
    public const string PublicNotices = "public-notices";
    /// <summary>Objecting to a public notice.</summary>
    public const string Objections = "objections";

    /// <summary>Registers the policies.</summary>
    public static IServiceCollection AddRegistryRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.Problem(429, "rate_limited", $"请求过于频繁，请{seconds}秒后重试").ExecuteAsync(context.HttpContext);
            };
            Add(o, Create, r => r.Create);
            Add(o, Submit, r => r.Submit);
            Add(o, Upload, r => r.Upload);
            Add(o, Sms, r => r.Sms);
            Add(o, Verify, r => r.Verify, byAddress: true);
            Add(o, PublicNotices, r => r.PublicNotices);
            Add(o, Objections, r => r.Objections);
        });
        return services;
    }

    private static void Add(RateLimiterOptions options, string policy, Func<RateLimitOptions, RateLimitRule> rule, bool byAddress = false) =>
        options.AddPolicy(policy, http =>
        {
            var settings = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            if (!settings.Enabled) return RateLimitPartition.GetNoLimiter("off");
            var r = rule(settings);
            return RateLimitPartition.GetFixedWindowLimiter(byAddress ? AddressOf(http) : PartitionOf(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, r.PermitLimit), Window = r.Window, QueueLimit = 0, AutoReplenishment = true,
            });
        });

    /// <summary>The caller's budget: role and subject from the token, else the client address.</summary>
    private static string PartitionOf(HttpContext http) =>
        Caller.ActorOf(http.User) is { } actor
            ? $"{actor.Role}|{actor.Subject}"
            : AddressOf(http);

    private static string AddressOf(HttpContext http) => "ip|" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
