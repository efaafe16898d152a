using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Phones;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;

namespace FuncRegistry.Functions.Phones;

/// <summary>POST /api/phone-verifications: the phone to text a code to.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendPhoneVerificationRequest(string? Phone);

/// <summary>POST /api/phone-verifications/{id}/confirm: the code the SMS carried.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConfirmPhoneVerificationRequest(string? Code);

/// <summary>PUT /api/applications/{id}/notification-phone: the new phone.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChangeNotificationPhoneRequest(string? Phone);

/// <summary>
/// A phone verification as its caller sees it (the phone masked: it travels in logs and caches of portals).
/// <c>ValidUntil</c>: once verified, until when it proves the phone to a submission or a change of the notification phone.
/// </summary>
public sealed record PhoneVerificationView(string VerificationId, string Phone, DateTimeOffset ExpiresAt, int TriesLeft, bool Verified,
    DateTimeOffset? VerifiedAt = null, DateTimeOffset? ValidUntil = null)
{
    /// <summary>The view of a verification.</summary>
    public static PhoneVerificationView Of(PhoneVerification v, string maskedPhone) => new(v.Id, maskedPhone, v.ExpiresAt,
        PhoneVerificationRules.TriesLeft(v), v.ConfirmedAt is not null, v.ConfirmedAt, v.ConfirmedAt + PhoneVerificationRules.ValidFor);
}

/// <summary>Phone verification (seed 003 "输入手机验证码"): text a code, confirm it; and the filer's change of an application's notification phone.</summary>
public static class PhoneVerificationsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapPhoneVerificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/phone-verifications").WithTags("Applications").RequireActor();
        group.MapPost("", Send).Produces<PhoneVerificationView>(201).RequireRateLimiting(RateLimits.Sms)
            .WithName("SendPhoneVerification").WithSummary("Text a verification code to a phone")
            .WithDescription("An applicant or enterprise asks for a 6-digit code by SMS to a mainland mobile number {phone}; it is valid for 5 minutes and takes "
                + "at most 5 tries. Codes are rationed per phone (RateLimits:PhoneVerificationPerPhone, …PerPhoneDaily) and per caller "
                + "(RateLimits:PhoneVerificationPerCaller): 429 with Retry-After. Confirm it to submit an application or change its notification phone.");
        group.MapPost("/{id}/confirm", Confirm).Produces<PhoneVerificationView>()
            .WithName("ConfirmPhoneVerification").WithSummary("Confirm a phone verification code")
            .WithDescription("{code}: the caller's own verification only. The right code within 5 minutes verifies the phone for 30 minutes; a wrong one "
                + "costs a try (422 phone_verification_code_wrong with triesLeft), the fifth kills the verification (410 phone_verification_exhausted), "
                + "an expired one is 410 phone_verification_expired.");
        app.MapPut("/api/applications/{id}/notification-phone", ChangeNotificationPhone).Produces<ApplicationView>().WithTags("Applications").RequireActor()
            .WithName("ChangeNotificationPhone").WithSummary("Change the phone that receives the results")
            .WithDescription("The filer changes the notification phone {phone} in any status but a closed one (409 application_closed); with "
                + "Registry:RequirePhoneVerification the new phone must be verified by the caller within 30 minutes (422 phone_not_verified). "
                + "The history records it (masked); later SMS go to the new phone.");
    }

    /// <summary>POST /api/phone-verifications.</summary>
    public static async Task<IResult> Send(SendPhoneVerificationRequest request, HttpContext http, ClaimsPrincipal user, PhoneVerifications verifications,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (NotForRole(actor) is { } forbidden) return forbidden;
        if (!MobileNumber.TryParse(request.Phone?.Trim(), out var phone))
            return Problems.Invalid(new() { ["phone"] = ["手机号格式不正确，应为11位大陆手机号"] });
        switch (await verifications.SendAsync(actor, phone!, cancellationToken))
        {
            case SendOutcome.Sent sent:
                return TypedResults.Created((string?)null, PhoneVerificationView.Of(sent.Verification, sent.MaskedPhone));
            case SendOutcome.RateLimited limited:
                var seconds = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Problems.Problem(429, "rate_limited",
                    (limited.Budget == "phone" ? "向该手机号发送验证码过于频繁" : "获取验证码过于频繁") + $"，请{Wait(seconds)}后再试",
                    extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
            default:
                return Problems.Problem(503, "sms_unavailable", "验证码短信发送失败，请稍后重试");
        }
    }

    /// <summary>POST /api/phone-verifications/{id}/confirm.</summary>
    public static async Task<IResult> Confirm(string id, ConfirmPhoneVerificationRequest request, ClaimsPrincipal user, PhoneVerifications verifications,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (NotForRole(actor) is { } forbidden) return forbidden;
        if (!PhoneVerificationRules.IsWellFormedCode(request.Code?.Trim()))
            return Problems.Invalid(new() { ["code"] = [$"请输入短信中的{PhoneVerificationRules.CodeDigits}位数字验证码"] });
        var result = await verifications.ConfirmAsync(actor, id, request.Code!.Trim(), cancellationToken);
        if (result.Stored is null) return Problems.Problem(404, "phone_verification_not_found", "验证码记录不存在，请重新获取验证码");
        var after = result.After!;
        var minutes = (int)PhoneVerificationRules.CodeLifetime.TotalMinutes;
        return result.Outcome switch
        {
            ConfirmOutcome.Confirmed or ConfirmOutcome.AlreadyConfirmed => TypedResults.Ok(PhoneVerificationView.Of(after, result.Stored.MaskedPhone)),
            ConfirmOutcome.Expired => Problems.Problem(410, "phone_verification_expired", $"验证码已超过{minutes}分钟有效期，请重新获取"),
            ConfirmOutcome.Exhausted => Problems.Problem(410, "phone_verification_exhausted",
                $"验证码已输错{PhoneVerificationRules.MaxAttempts}次，本验证码已失效，请重新获取"),
            _ => Problems.Problem(422, "phone_verification_code_wrong", $"验证码不正确，还可尝试{PhoneVerificationRules.TriesLeft(after)}次",
                extensions: new Dictionary<string, object?> { ["triesLeft"] = PhoneVerificationRules.TriesLeft(after) }),
        };
    }

    /// <summary>PUT /api/applications/{id}/notification-phone.</summary>
    public static Task<IResult> ChangeNotificationPhone(string id, ChangeNotificationPhoneRequest request, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, ProvinceProfile province, PhoneVerifications verifications, TimeProvider clock, CancellationToken cancellationToken) =>
        ApplicationsApi.Run(id, http, user, workflow, province, async (_, actor) =>
            new ApplicationCommand.ChangeNotificationPhone(request.Phone ?? "", await verifications.CheckAsync(actor, request.Phone, cancellationToken), actor,
                clock.GetUtcNow()), null, cancellationToken);

    /// <summary>Only those who file (applicants, enterprises) verify a notification phone: staff have no use for codes, which cost money.</summary>
    private static IResult? NotForRole(Actor actor) => actor.Role is Role.Applicant or Role.Enterprise ? null
        : Problems.Problem(403, "phone_verification_not_for_role", "只有持证人和企业用户需要验证接收短信的手机号");

    private static string Wait(int seconds) => seconds <= 120 ? $"{seconds}秒" : $"{(seconds + 59) / 60}分钟";
}
