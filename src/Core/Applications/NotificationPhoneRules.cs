using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Phones;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// The filer changes the phone that receives the review results, in any status but a closed one
/// (draft, awaiting confirmation, under review at any stop, returned): a lost or changed number
/// must not lose the result SMS. The new number is held to the same rule as at submission
/// (<see cref="PhoneVerificationRules.CheckVerified"/>): verified by the caller within 30 minutes
/// when verification is required. Every later SMS goes to it; the history records the change,
/// the number masked.
/// </summary>
public static class NotificationPhoneRules
{
    /// <summary>Decides <see cref="ApplicationCommand.ChangeNotificationPhone"/>: who (403), status (409), the number (400), the same number (=), its verification (422).</summary>
    public static Decision Change(ApplicationCommand.ChangeNotificationPhone c, ApplicationState state, ActorRef by)
    {
        if (!AccessRules.IsFiler(c.By, state)) return ApplicationDecider.NotFiler();
        if (state.Status.IsFinal())
            return Decision.Refuse(RefusalKind.Conflict, "application_closed", $"申请已{state.Status.Label()}，不能再更换接收短信的手机号");
        if (!MobileNumber.TryParse(c.Phone?.Trim(), out var phone))
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["phone"] = ["接收短信的手机号格式不正确，应为11位大陆手机号"] });
        if (phone!.Value == state.Details.NotificationPhone) return Decision.Unchanged;
        if (PhoneVerificationRules.CheckVerified(c.Check, phone.Value, c.By, c.At) is { } unverified) return unverified;
        return Decision.Accept(new ApplicationEvent.NotificationPhoneChanged(phone.Value, by, c.At));
    }
}
