using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Core.Deadlines;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>Which side effects (outbox messages) a transition leaves: SMS, register updates, claims, listings.</summary>
public class ReactionTests
{
    /// <summary>The side effects of the last event of a history.</summary>
    private static IReadOnlyList<SideEffect> EffectsOfLast(params ApplicationEvent[] history) =>
        ApplicationReactions.For(history[^1], ApplicationState.From(history), Settings);

    [Fact]
    public void City_return_texts_the_applicant_the_reason()
    {
        var sms = Assert.IsType<SideEffect.SendSms>(Assert.Single(EffectsOfLast(Created(), Submitted(), CityReturned("材料不清晰"))));

        Assert.Equal(ApplicationNumber, sms.ApplicationId);
        Assert.Equal(Phone, sms.Phone);
        Assert.Equal(SmsTemplate.CityReturned, sms.Message.Template);
        Assert.Equal("材料不清晰", sms.Message.Parameters["reason"]);
        Assert.Equal($"【甘肃住建】您的注销申请（{ApplicationNumber}）被市州退回，原因：材料不清晰。请修改后重新提交。", sms.Message.Text);
    }

    [Fact]
    public void Province_return_texts_the_applicant_the_reason()
    {
        var sms = Assert.IsType<SideEffect.SendSms>(Assert.Single(EffectsOfLast(Created(), Submitted(), CityApproved(), ProvinceReturned("缺少单位证明"))));

        Assert.Equal(SmsTemplate.ProvinceReturned, sms.Message.Template);
        Assert.Contains("被省级退回，原因：缺少单位证明。", sms.Message.Text);
    }

    [Fact]
    public void Sms_goes_to_the_phone_of_the_details_as_last_edited()
    {
        var edited = CancellationDetails with { NotificationPhone = "13900001111" };
        var sms = Assert.IsType<SideEffect.SendSms>(Assert.Single(EffectsOfLast(Created(), Edited(edited), Submitted(), CityReturned())));

        Assert.Equal("13900001111", sms.Phone);
    }

    [Fact]
    public void Province_approval_applies_to_the_certificate_which_also_releases_the_claim_and_texts_the_applicant()
    {
        var history = LeadingTo(ApplicationStatus.Approved, ApplicationKind.Change);
        var effects = EffectsOfLast([.. history]);

        Assert.Collection(effects,
            e =>
            {
                var apply = Assert.IsType<SideEffect.ApplyToCertificate>(e);
                // Dated on the day of the approval (Beijing time), not on the day it is carried out.
                Assert.Equal(new SideEffect.ApplyToCertificate(ApplicationNumber, ValidCertificate.Number, ApplicationKind.Change,
                    new CertificateChange(HolderName: "张叁"), null, null, BeijingTime.DateOf(history[^1].At)), apply);
            },
            e => Assert.Equal($"【甘肃住建】您的证书变更申请（{ApplicationNumber}）已审批通过，证书信息已更新。",
                Assert.IsType<SideEffect.SendSms>(e).Message.Text));
    }

    [Fact]
    public void Reissue_approval_issues_a_BF_number_and_texts_it()
    {
        var effects = EffectsOfLast(LeadingTo(ApplicationStatus.Approved, ApplicationKind.Reissue));

        var apply = Assert.Single(effects.OfType<SideEffect.ApplyToCertificate>());
        Assert.Equal("BF20261123000042", apply.NewCertificateNumber);
        var sms = Assert.Single(effects.OfType<SideEffect.SendSms>());
        Assert.Equal(SmsTemplate.ReissueApproved, sms.Message.Template);
        Assert.Equal($"【甘肃住建】您的遗失补办申请（{ApplicationNumber}）已通过审核，新证书编号BF20261123000042，原证书作废。", sms.Message.Text);
    }

    [Fact]
    public void Extension_approval_moves_valid_until_by_the_configured_years_from_when_filed()
    {
        var effects = EffectsOfLast(LeadingTo(ApplicationStatus.Approved, ApplicationKind.Extension));

        var apply = Assert.Single(effects.OfType<SideEffect.ApplyToCertificate>());
        Assert.Equal(new DateOnly(2029, 12, 31), apply.NewValidUntil);
        Assert.Contains("证书有效期延至2029年12月31日。", Assert.Single(effects.OfType<SideEffect.SendSms>()).Message.Text);

        var fiveYears = ApplicationReactions.For(ProvinceApproved(), ApplicationState.From(LeadingTo(ApplicationStatus.Approved, ApplicationKind.Extension)),
            Settings with { ExtensionYears = 5 });
        Assert.Equal(new DateOnly(2031, 12, 31), Assert.Single(fiveYears.OfType<SideEffect.ApplyToCertificate>()).NewValidUntil);
    }

    [Fact]
    public void Withdrawal_releases_the_claim_and_sends_nothing() =>
        Assert.Equal(new SideEffect[] { new SideEffect.ReleaseCertificateClaim(ApplicationNumber, ValidCertificate.Number) }, EffectsOfLast(Created(), Submitted(), Withdrawn()));

    [Theory]
    [MemberData(nameof(Quiet))]
    public void Other_events_cause_no_side_effect_of_their_own(string name)
    {
        ApplicationEvent[] history = name switch
        {
            "created" => [Created()],
            "edited" => [Created(), Edited(CancellationDetails)],
            "submitted" => [Created(), Submitted()],
            _ => [Created(), Submitted(), CityApproved()],
        };
        Assert.Empty(EffectsOfLast(history));
    }

    // A deleted draft deletes its documents: see DocumentTests.
    public static TheoryData<string> Quiet() => ["created", "edited", "submitted", "city approved"];

    [Fact]
    public void Transition_has_the_effects_of_its_events_only()
    {
        var before = ApplicationState.From([Created(), Submitted()]);

        var effects = ApplicationReactions.ForTransition(before, [CityReturned()], Settings);

        Assert.IsType<SideEffect.SendSms>(Assert.Single(effects));
    }

    [Fact]
    public void Edit_alone_has_no_side_effects()
    {
        var before = ApplicationState.From([Created()]);

        Assert.Empty(ApplicationReactions.ForTransition(before, [Edited(CancellationDetails with { NotificationPhone = "13900001111" })], Settings));
    }

    [Fact]
    public void No_events_no_side_effects() =>
        Assert.Empty(ApplicationReactions.ForTransition(ApplicationState.From([Created(), Submitted()]), [], Settings));
}
