using System.Security.Cryptography;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Phones;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Phones;

/// <summary>What asking for a code came to.</summary>
public abstract record SendOutcome
{
    /// <summary>Texted: the verification to confirm.</summary>
    public sealed record Sent(PhoneVerification Verification, string MaskedPhone) : SendOutcome;
    /// <summary>Over a budget (<paramref name="Budget"/>: "phone" or "caller"); another may be asked for after <paramref name="RetryAfter"/>.</summary>
    public sealed record RateLimited(string Budget, TimeSpan RetryAfter) : SendOutcome;
    /// <summary>The gateway did not take the message.</summary>
    public sealed record NotSent : SendOutcome;
}

/// <summary>What confirming a code came to: the outcome and the verification as it now stands (null: no such verification of the caller's).</summary>
public sealed record ConfirmResult(ConfirmOutcome Outcome, StoredPhoneVerification? Stored, PhoneVerification? After);

/// <summary>
/// Texts verification codes and confirms them (<see cref="PhoneVerificationRules"/>), and tells a
/// command that sets a notification phone whether that phone is verified. The code goes straight
/// to the configured <see cref="ISmsGateway"/> (the Local recorder in Development, which the
/// development SMS viewer reads), not through an application's outbox: the outbox keeps what it
/// sends, and a code must not be kept; a code that did not arrive is asked for again.
/// </summary>
public sealed class PhoneVerifications(PhoneVerificationStore store, ISmsGateway gateway, ReactionSettings reactions, IOptions<RateLimitOptions> limits,
    IOptions<RegistryOptions> registry, IHostEnvironment environment, TimeProvider clock, ILogger<PhoneVerifications> logger)
{
    /// <summary>Whether submission and a change of the notification phone need a verified phone (<c>Registry:RequirePhoneVerification</c>; unset: outside Development).</summary>
    public bool Required { get; } = registry.Value.RequirePhoneVerification ?? !environment.IsDevelopment();

    /// <summary>Texts a new code to <paramref name="phone"/> (11 digits, validated) for <paramref name="caller"/>, within the budgets.</summary>
    public async Task<SendOutcome> SendAsync(Actor caller, MobileNumber phone, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var callerKey = store.CallerKey(caller);
        var l = limits.Value;
        if (l.Enabled)
        {
            // The caller's own budget first: one who has used theirs up cannot use up a phone's.
            if (await store.TryCountSendAsync(PhoneVerificationStore.CallerBudget(callerKey), [Limit(l.PhoneVerificationPerCaller)], now, cancellationToken) is { } callerWait)
                return new SendOutcome.RateLimited("caller", callerWait);
            if (await store.TryCountSendAsync(store.PhoneBudget(phone.Value), [Limit(l.PhoneVerificationPerPhone), Limit(l.PhoneVerificationPerPhoneDaily)], now,
                    cancellationToken) is { } phoneWait)
                return new SendOutcome.RateLimited("phone", phoneWait);
        }
        var id = PhoneVerificationStore.NewId(now);
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var verification = new PhoneVerification(id, store.HashOf(id, code), now);
        await store.AddAsync(callerKey, phone.Value, verification, cancellationToken);

        var message = reactions.Sms.VerificationCode(code);
        SmsSendResult result;
        try
        {
            result = await gateway.SendAsync(new SmsRequest("pv-" + id, "", phone.Value, message, now), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            result = new SmsSendResult.Failed(e.GetType().Name, MayHaveBeenSent: true);
        }
        RegistryTelemetry.SmsAttempt(message.Template.ToString(), sent: result is SmsSendResult.Sent);
        var masked = Masking.Phone(phone.Value);
        if (result is SmsSendResult.Failed failed)
        {
            logger.LogWarning("Verification code {VerificationId} to {Phone} not sent: {Error}", id, masked, SmsGatewayText.Scrub(failed.Error, phone.Value));
            return new SendOutcome.NotSent();
        }
        logger.LogInformation("Verification code {VerificationId} texted to {Phone}", id, masked);
        // What was sent a day ago proves nothing any more: the caller's partition stays small.
        await store.DeleteSentBeforeAsync(callerKey, now.AddDays(-1), cancellationToken);
        return new SendOutcome.Sent(verification, masked);
    }

    /// <summary>Confirms the caller's verification <paramref name="id"/> with <paramref name="code"/> (well-formed, checked before).</summary>
    public async Task<ConfirmResult> ConfirmAsync(Actor caller, string id, string code, CancellationToken cancellationToken = default)
    {
        var callerKey = store.CallerKey(caller);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var stored = await store.GetAsync(callerKey, id, cancellationToken);
            if (stored is null) return new(ConfirmOutcome.WrongCode, null, null);
            var (outcome, after) = PhoneVerificationRules.Confirm(stored.Verification, store.Matches(stored.Verification, code), clock.GetUtcNow());
            // Every try is counted before it is answered: concurrent guesses cannot exceed the limit.
            if (after == stored.Verification || await store.TryReplaceAsync(stored, after, cancellationToken))
            {
                logger.LogInformation("Verification {VerificationId} of {Phone}: {Outcome}", id, stored.MaskedPhone, outcome);
                return new(outcome, stored, after);
            }
        }
        throw new InvalidOperationException("could not record a confirmation attempt");
    }

    /// <summary>
    /// What a command that sets <paramref name="phone"/> as a notification phone is told: nothing
    /// when verification is not required (no storage is read), else the caller's latest confirmed
    /// verification of that phone still in its 30 minutes.
    /// </summary>
    public async Task<PhoneCheck> CheckAsync(Actor caller, string? phone, CancellationToken cancellationToken = default)
    {
        if (!Required) return PhoneCheck.NotRequired;
        if (!MobileNumber.TryParse(phone?.Trim(), out var number)) return new PhoneCheck(true, null);
        var confirmed = await store.LatestConfirmedAsync(store.CallerKey(caller), number!.Value, clock.GetUtcNow(), cancellationToken);
        return new PhoneCheck(true, confirmed is { } at ? new VerifiedPhone(number.Value, caller.Role, caller.Subject, at) : null);
    }

    private static SendLimit Limit(RateLimitRule rule) => new(rule.PermitLimit, rule.Window);
}
