using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Phones;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>The rules of a texted code (<see cref="PhoneVerificationRules"/>): 5 minutes, 5 tries, 30 minutes of proof, rationed sends.</summary>
public class PhoneVerificationTests
{
    private static readonly PhoneVerification Sent = new("v1", "hash", Now);

    [Fact]
    public void The_right_code_within_five_minutes_confirms_the_phone()
    {
        var (outcome, after) = PhoneVerificationRules.Confirm(Sent, codeMatches: true, Now.AddMinutes(4).AddSeconds(59));
        Assert.Equal(ConfirmOutcome.Confirmed, outcome);
        Assert.Equal(Now.AddMinutes(4).AddSeconds(59), after.ConfirmedAt);
    }

    [Fact]
    public void At_five_minutes_the_code_has_expired_even_when_right()
    {
        var (outcome, after) = PhoneVerificationRules.Confirm(Sent, codeMatches: true, Now.AddMinutes(5));
        Assert.Equal(ConfirmOutcome.Expired, outcome);
        Assert.Null(after.ConfirmedAt);
    }

    [Fact]
    public void A_wrong_code_costs_a_try_and_the_fifth_kills_the_verification_for_the_right_code_too()
    {
        var v = Sent;
        for (var i = 1; i <= 4; i++)
        {
            (var outcome, v) = PhoneVerificationRules.Confirm(v, codeMatches: false, Now.AddSeconds(i));
            Assert.Equal(ConfirmOutcome.WrongCode, outcome);
            Assert.Equal(PhoneVerificationRules.MaxAttempts - i, PhoneVerificationRules.TriesLeft(v));
        }
        (var fifth, v) = PhoneVerificationRules.Confirm(v, codeMatches: false, Now.AddSeconds(5));
        Assert.Equal(ConfirmOutcome.Exhausted, fifth);
        Assert.Equal(0, PhoneVerificationRules.TriesLeft(v));

        var (sixth, after) = PhoneVerificationRules.Confirm(v, codeMatches: true, Now.AddSeconds(6));
        Assert.Equal(ConfirmOutcome.Exhausted, sixth);
        Assert.Null(after.ConfirmedAt);
        Assert.Equal(5, after.FailedAttempts);
    }

    [Fact]
    public void Confirming_again_changes_nothing()
    {
        var (_, confirmed) = PhoneVerificationRules.Confirm(Sent, true, Now.AddMinutes(1));
        var (again, after) = PhoneVerificationRules.Confirm(confirmed, true, Now.AddMinutes(9));
        Assert.Equal(ConfirmOutcome.AlreadyConfirmed, again);
        Assert.Equal(confirmed, after);
    }

    [Theory]
    [InlineData("123456", true)]
    [InlineData("012345", true)]
    [InlineData("12345", false)]
    [InlineData("1234567", false)]
    [InlineData("12345a", false)]
    [InlineData("１２３４５６", false)]
    [InlineData(null, false)]
    public void A_code_is_six_ascii_digits(string? code, bool wellFormed) => Assert.Equal(wellFormed, PhoneVerificationRules.IsWellFormedCode(code));

    private static readonly SendLimit[] PerPhone = [new(1, TimeSpan.FromMinutes(1)), new(10, TimeSpan.FromDays(1))];

    [Fact]
    public void One_code_per_minute_to_a_phone_and_the_refusal_says_when_the_next_may_go()
    {
        var (first, _, kept) = PhoneVerificationRules.Admit([], PerPhone, Now);
        Assert.True(first);
        var (second, retryAfter, _) = PhoneVerificationRules.Admit(kept, PerPhone, Now.AddSeconds(20));
        Assert.False(second);
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
        Assert.True(PhoneVerificationRules.Admit(kept, PerPhone, Now.AddMinutes(1)).Admitted);
    }

    [Fact]
    public void Ten_codes_a_day_to_a_phone_then_none_until_the_first_leaves_the_day()
    {
        IReadOnlyList<DateTimeOffset> sent = [];
        for (var i = 0; i < 10; i++)
        {
            var (admitted, _, kept) = PhoneVerificationRules.Admit(sent, PerPhone, Now.AddHours(i));
            Assert.True(admitted);
            sent = kept;
        }
        var (eleventh, retryAfter, _) = PhoneVerificationRules.Admit(sent, PerPhone, Now.AddHours(10));
        Assert.False(eleventh);
        Assert.Equal(TimeSpan.FromHours(14), retryAfter);
        var (later, _, keptLater) = PhoneVerificationRules.Admit(sent, PerPhone, Now.AddDays(1));
        Assert.True(later);
        Assert.Equal(10, keptLater.Count); // the first one left the day; the new one counts
    }

    private static readonly VerifiedPhone Verified = new(Phone, Role.Applicant, HolderIdNumber, Now);
    private static readonly PhoneCheck Required = new(true, Verified);

    [Fact]
    public void A_phone_verified_by_the_caller_proves_it_for_thirty_minutes()
    {
        Assert.Null(PhoneVerificationRules.CheckVerified(Required, Phone, Applicant, Now.AddMinutes(30)));
        var late = PhoneVerificationRules.CheckVerified(Required, Phone, Applicant, Now.AddMinutes(30).AddSeconds(1));
        Assert.Equal("phone_not_verified", late?.Code);
        Assert.Equal(RefusalKind.RuleViolated, late?.Kind);
        Assert.Contains("138****5678", late!.Message);
        Assert.DoesNotContain(Phone, late.Message);
    }

    [Fact]
    public void Another_phone_or_another_caller_proves_nothing()
    {
        Assert.Equal("phone_not_verified", PhoneVerificationRules.CheckVerified(Required, "13900001111", Applicant, Now)?.Code);
        Assert.Equal("phone_not_verified", PhoneVerificationRules.CheckVerified(Required, Phone, OtherApplicant, Now)?.Code);
        // An enterprise's staff verifies the phone it files with: the holder's own verification is not theirs.
        Assert.Equal("phone_not_verified", PhoneVerificationRules.CheckVerified(Required, Phone, Enterprise, Now)?.Code);
        Assert.Equal("phone_not_verified", PhoneVerificationRules.CheckVerified(new PhoneCheck(true, null), Phone, Applicant, Now)?.Code);
    }

    [Fact]
    public void Nothing_is_asked_when_verification_is_not_required() =>
        Assert.Null(PhoneVerificationRules.CheckVerified(PhoneCheck.NotRequired, Phone, Applicant, Now));

    [Fact]
    public void The_phone_is_compared_as_a_number_with_or_without_plus_86() =>
        Assert.Null(PhoneVerificationRules.CheckVerified(Required with { Latest = Verified with { Phone = "+86" + Phone } }, Phone, Applicant, Now));
}
