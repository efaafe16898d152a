using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Phones;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>The filer changes the phone that receives the results (<see cref="NotificationPhoneRules"/>).</summary>
public class NotificationPhoneTests
{
    private const string NewPhone = "13987654321";

    private static ApplicationCommand.ChangeNotificationPhone Change(string phone = NewPhone, PhoneCheck? check = null, Actor? by = null, DateTimeOffset? at = null) =>
        new(phone, check ?? PhoneCheck.NotRequired, by ?? Applicant, at ?? Now);

    public static TheoryData<ApplicationStatus> OpenStatuses() =>
    [
        ApplicationStatus.Draft, ApplicationStatus.PendingConfirmation, ApplicationStatus.PendingCityReview, ApplicationStatus.CityReturned,
        ApplicationStatus.PendingProvinceReview, ApplicationStatus.ProvinceReturned,
    ];

    [Theory]
    [MemberData(nameof(OpenStatuses))]
    public void The_filer_changes_the_phone_in_any_status_but_a_closed_one_and_the_status_stays(ApplicationStatus status)
    {
        var before = StateAfter(LeadingTo(status));
        var after = Given(LeadingTo(status)).When(Change()).Then(new ApplicationEvent.NotificationPhoneChanged(NewPhone, Ref(Applicant), Now));
        Assert.Equal(NewPhone, after.Details.NotificationPhone);
        Assert.Equal(status, after.Status);
        Assert.Equal(before.StatusSince, after.StatusSince); // the review clock runs on
        Assert.Equal(before.Revision + 1, after.Revision);    // a change: an edit made against the old version is stale
    }

    [Theory]
    [InlineData(ApplicationStatus.Approved)]
    [InlineData(ApplicationStatus.Withdrawn)]
    public void A_closed_application_keeps_its_phone(ApplicationStatus status) =>
        Given(LeadingTo(status)).When(Change()).ThenRefused(RefusalKind.Conflict, "application_closed");

    [Fact]
    public void Only_the_filer_changes_it()
    {
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Change(by: Enterprise)).ThenRefused(RefusalKind.Forbidden, "not_applicant");
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Change(by: CityReviewer)).ThenRefused(RefusalKind.Forbidden, "not_applicant");
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Change(by: OtherApplicant)).ThenRefused(RefusalKind.NotFound, "application_not_found");
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1381234567")]
    [InlineData("")]
    public void A_number_that_is_no_mainland_mobile_is_refused(string phone)
    {
        var refusal = Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Change(phone)).ThenRefused(RefusalKind.Invalid, "validation_failed");
        Assert.True(refusal.Errors!.ContainsKey("phone"));
    }

    [Fact]
    public void The_same_number_again_changes_nothing() =>
        Given(LeadingTo(ApplicationStatus.PendingCityReview)).When(Change("+86" + Phone)).ThenNothingHappens();

    [Fact]
    public void With_verification_required_the_new_number_must_be_verified_by_the_filer_within_thirty_minutes()
    {
        var verified = new PhoneCheck(true, new VerifiedPhone(NewPhone, Role.Applicant, HolderIdNumber, Now));
        var pending = LeadingTo(ApplicationStatus.PendingProvinceReview);
        Given(pending).When(Change(check: new PhoneCheck(true, null))).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");
        Given(pending).When(Change(check: verified with { Latest = verified.Latest! with { Phone = Phone } })).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");
        Given(pending).When(Change(check: verified, at: Now.AddMinutes(31))).ThenRefused(RefusalKind.RuleViolated, "phone_not_verified");
        Given(pending).When(Change(check: verified, at: Now.AddMinutes(29))).ThenSingle<ApplicationEvent.NotificationPhoneChanged>();
    }

    [Fact]
    public void The_next_result_sms_goes_to_the_new_number()
    {
        var changed = StateAfter([.. LeadingTo(ApplicationStatus.PendingCityReview), new ApplicationEvent.NotificationPhoneChanged(NewPhone, Ref(Applicant), Now)]);
        var returned = ApplicationDecider.Decide(new ApplicationCommand.ReturnAtCity(ReturnReason, CityReviewer, Now), changed);
        var sms = Assert.IsType<SideEffect.SendSms>(Assert.Single(ApplicationReactions.ForTransition(changed, returned.Events, Settings)));
        Assert.Equal(NewPhone, sms.Phone);
    }

    [Fact]
    public void A_retried_review_decision_is_still_recognised_after_the_phone_changed()
    {
        ApplicationEvent[] history = [.. LeadingTo(ApplicationStatus.PendingProvinceReview), new ApplicationEvent.NotificationPhoneChanged(NewPhone, Ref(Applicant), Now)];
        Given(history).When(new ApplicationCommand.ApproveAtCity(CityReviewer, Now)).ThenNothingHappens();
    }
}
