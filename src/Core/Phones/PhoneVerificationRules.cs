using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Core.Phones;

/// <summary>
/// One code texted to one phone at the request of one caller (seed 003: "输入手机验证码,提交成功").
/// Only a keyed hash of the code is kept (<paramref name="CodeHash"/>): whoever reads the row cannot
/// tell the code. <paramref name="FailedAttempts"/> counts wrong codes; <paramref name="ConfirmedAt"/>
/// is when the right one was given.
/// </summary>
public sealed record PhoneVerification(string Id, string CodeHash, DateTimeOffset SentAt, int FailedAttempts = 0, DateTimeOffset? ConfirmedAt = null)
{
    /// <summary>After this the code is refused, right or wrong.</summary>
    public DateTimeOffset ExpiresAt => SentAt + PhoneVerificationRules.CodeLifetime;

    /// <summary>No more tries: <see cref="PhoneVerificationRules.MaxAttempts"/> wrong codes were given.</summary>
    public bool Exhausted => FailedAttempts >= PhoneVerificationRules.MaxAttempts;
}

/// <summary>A phone the caller proved to hold (they typed the code texted to it), and when.</summary>
/// <param name="Phone">The 11-digit number.</param>
/// <param name="Role">The role of the caller who confirmed it.</param>
/// <param name="Subject">Their subject (ID number, staff id).</param>
/// <param name="VerifiedAt">When the code was confirmed.</param>
public sealed record VerifiedPhone(string Phone, Role Role, string Subject, DateTimeOffset VerifiedAt);

/// <summary>
/// What a command that sets the notification phone (submit, a change of the phone) is told about
/// its verification: whether one is required (<c>Registry:RequirePhoneVerification</c>), and the
/// latest verification of that phone the caller confirmed, if any.
/// </summary>
public sealed record PhoneCheck(bool Required, VerifiedPhone? Latest)
{
    /// <summary>No verification asked for (the setting is off).</summary>
    public static PhoneCheck NotRequired { get; } = new(false, null);
}

/// <summary>One budget of codes: at most <paramref name="PermitLimit"/> sent in any <paramref name="Window"/>.</summary>
public sealed record SendLimit(int PermitLimit, TimeSpan Window);

/// <summary>What a confirmation attempt came to.</summary>
public enum ConfirmOutcome
{
    /// <summary>The right code, in time: the phone is verified.</summary>
    Confirmed,
    /// <summary>Confirmed before: nothing new (a double click, a retry).</summary>
    AlreadyConfirmed,
    /// <summary>A wrong code: one try fewer (the last wrong one kills the verification).</summary>
    WrongCode,
    /// <summary>The code's 5 minutes are over.</summary>
    Expired,
    /// <summary>Five wrong codes were given: the verification is dead, even for the right one.</summary>
    Exhausted,
}

/// <summary>
/// The rules of phone verification, in one place: a 6-digit code, valid for 5 minutes, at most 5
/// tries; a confirmed verification proves the phone to the same caller for 30 minutes; codes are
/// rationed per phone and per caller (SMS cost money and can be used to harass a number).
/// </summary>
public static class PhoneVerificationRules
{
    /// <summary>Digits of a code.</summary>
    public const int CodeDigits = 6;

    /// <summary>Wrong codes a verification takes before it dies.</summary>
    public const int MaxAttempts = 5;

    /// <summary>How long a code may be confirmed after it was sent.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How long a confirmed verification proves the phone for a submission or a change of the notification phone.</summary>
    public static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(30);

    /// <summary>A well-formed code: exactly <see cref="CodeDigits"/> ASCII digits.</summary>
    public static bool IsWellFormedCode(string? code) => code is { Length: CodeDigits } && code.All(char.IsAsciiDigit);

    /// <summary>
    /// Judges a confirmation. <paramref name="codeMatches"/> is whether the code given hashes to the
    /// stored one (compared by the adapter, in constant time). Expiry and exhaustion are judged
    /// before the code, so a dead verification says nothing about whether a code was right.
    /// Returns the outcome and the verification as it now stands (one more failed attempt, or confirmed).
    /// </summary>
    public static (ConfirmOutcome Outcome, PhoneVerification After) Confirm(PhoneVerification verification, bool codeMatches, DateTimeOffset now)
    {
        // Verified already: the caller owns it, so saying so tells nothing (a double click, a retry).
        if (verification.ConfirmedAt is not null) return (ConfirmOutcome.AlreadyConfirmed, verification);
        if (verification.Exhausted) return (ConfirmOutcome.Exhausted, verification);
        if (now >= verification.ExpiresAt) return (ConfirmOutcome.Expired, verification);
        if (codeMatches) return (ConfirmOutcome.Confirmed, verification with { ConfirmedAt = now });
        var failed = verification with { FailedAttempts = verification.FailedAttempts + 1 };
        return (failed.Exhausted ? ConfirmOutcome.Exhausted : ConfirmOutcome.WrongCode, failed);
    }

    /// <summary>Tries left after the failed attempts so far.</summary>
    public static int TriesLeft(PhoneVerification verification) => Math.Max(0, MaxAttempts - verification.FailedAttempts);

    /// <summary>
    /// Whether one more code may be sent, given the times of the codes sent before on the same
    /// budget (a phone's, a caller's) and its limits. Returns, when it may, the times to keep
    /// (this one included, older ones than the longest window dropped); when it may not, how long
    /// until it may (the Retry-After).
    /// </summary>
    public static (bool Admitted, TimeSpan RetryAfter, IReadOnlyList<DateTimeOffset> Kept) Admit(
        IReadOnlyList<DateTimeOffset> sentBefore, IReadOnlyList<SendLimit> limits, DateTimeOffset now)
    {
        var retryAfter = TimeSpan.Zero;
        foreach (var limit in limits)
        {
            var inWindow = sentBefore.Where(t => t > now - limit.Window).Order().ToList();
            var permits = Math.Max(1, limit.PermitLimit);
            if (inWindow.Count < permits) continue;
            // The oldest send that keeps the window full must leave it first.
            var freedAt = inWindow[inWindow.Count - permits] + limit.Window;
            if (freedAt - now > retryAfter) retryAfter = freedAt - now;
        }
        if (retryAfter > TimeSpan.Zero) return (false, retryAfter, sentBefore);
        var longest = limits.Count == 0 ? TimeSpan.Zero : limits.Max(l => l.Window);
        return (true, TimeSpan.Zero, [.. sentBefore.Where(t => t > now - longest).Order(), now]);
    }

    /// <summary>
    /// The rule a notification phone is held to before it is set (submission, a change of the phone):
    /// when verification is required, <paramref name="phone"/> must have been verified by the caller
    /// (<paramref name="by"/>, whoever files: the holder or the enterprise's staff) within the last
    /// <see cref="ValidFor"/>. Null when it holds.
    /// </summary>
    public static Refusal? CheckVerified(PhoneCheck? check, string phone, Actor by, DateTimeOffset now)
    {
        if (check is not { Required: true }) return null;
        if (check.Latest is { } v && v.Role == by.Role && v.Subject == by.Subject && Same(v.Phone, phone)
            && v.VerifiedAt <= now && now - v.VerifiedAt <= ValidFor)
            return null;
        return new Refusal(RefusalKind.RuleViolated, "phone_not_verified",
            $"请先验证接收短信的手机号{Masking.Phone(phone)}：获取短信验证码并在{(int)CodeLifetime.TotalMinutes}分钟内输入，验证后{(int)ValidFor.TotalMinutes}分钟内有效",
            Extensions: new Dictionary<string, object> { ["phone"] = Masking.Phone(phone) });
    }

    private static bool Same(string a, string b) =>
        MobileNumber.TryParse(a, out var x) && MobileNumber.TryParse(b, out var y) && x!.Value == y!.Value;
}
