using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Applications;
using static FuncRegistry.Core.Applications.ApplicationStatus;

namespace FuncRegistry.Core.Tests;

/// <summary>What <see cref="ApplicationDecider.AllowedActions"/> offers each actor in each status.</summary>
public class AllowedActionsTests
{
    private static IReadOnlyList<string> ActionsOf(Actor actor, ApplicationStatus status, Actor? filer = null)
    {
        var history = History.LeadingTo(status);
        if (filer is not null) history[0] = History.Created(by: filer);
        return ApplicationDecider.AllowedActions(actor, ApplicationState.From(history));
    }

    [Theory]
    [InlineData(Draft, "edit submit delete changeNotificationPhone")]
    [InlineData(PendingCityReview, "withdraw changeNotificationPhone")]
    [InlineData(CityReturned, "edit submit withdraw changeNotificationPhone")]
    [InlineData(PendingProvinceReview, "withdraw changeNotificationPhone")]
    [InlineData(ProvinceReturned, "edit submit withdraw changeNotificationPhone")]
    [InlineData(Approved, "")]
    [InlineData(Withdrawn, "")]
    public void Filer_may_edit_and_submit_while_editable_delete_a_draft_withdraw_while_open_and_change_the_phone_until_closed(ApplicationStatus status, string expected)
    {
        Assert.Equal(Split(expected), ActionsOf(TestData.Applicant, status));
        Assert.Equal(Split(expected), ActionsOf(TestData.Enterprise, status, filer: TestData.Enterprise));
    }

    [Theory]
    [InlineData(Draft, "")]
    [InlineData(PendingCityReview, "cityApprove cityReturn")]
    [InlineData(CityReturned, "")]
    [InlineData(PendingProvinceReview, "")]
    [InlineData(ProvinceReturned, "")]
    [InlineData(Approved, "")]
    [InlineData(Withdrawn, "")]
    public void City_reviewer_of_the_city_may_decide_only_while_it_waits_for_city_review(ApplicationStatus status, string expected) =>
        Assert.Equal(Split(expected), ActionsOf(TestData.CityReviewer, status));

    [Theory]
    [InlineData(Draft, "")]
    [InlineData(PendingCityReview, "extendDeadline")]
    [InlineData(CityReturned, "")]
    [InlineData(PendingProvinceReview, "provinceApprove provinceReturn extendDeadline")]
    [InlineData(ProvinceReturned, "")]
    [InlineData(Approved, "")]
    [InlineData(Withdrawn, "")]
    public void Province_reviewer_may_decide_only_while_it_waits_for_province_review_and_extend_while_in_review(ApplicationStatus status, string expected) =>
        Assert.Equal(Split(expected), ActionsOf(TestData.ProvinceReviewer, status));

    public static TheoryData<ApplicationStatus> Statuses() => [Draft, PendingCityReview, CityReturned, PendingProvinceReview, ProvinceReturned, Approved, Withdrawn];

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Others_may_do_nothing(ApplicationStatus status)
    {
        Assert.Empty(ActionsOf(TestData.ForeignCityReviewer, status));
        Assert.Empty(ActionsOf(TestData.OtherApplicant, status));
        // Holder and employer see an application the other filed, but only the filer acts on it.
        Assert.Empty(ActionsOf(TestData.Enterprise, status));
        Assert.Empty(ActionsOf(TestData.Applicant, status, filer: TestData.Enterprise));
    }

    private static string[] Split(string actions) => actions.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The command each offered action stands for, as the API builds it.</summary>
    private static ApplicationCommand CommandFor(string action, Actor actor) => action switch
    {
        "edit" => new ApplicationCommand.Edit(TestData.CancellationDetails with { Reason = "另一个理由" }, TestData.ValidCertificate, actor, TestData.Now),
        "submit" => new ApplicationCommand.Submit(TestData.ValidCertificate, Documents.DocumentPolicy.NothingRequired, ExtensionWindow.Default, actor, TestData.Now, TestData.ReviewOnly,
            CommitmentVersion: TestData.Accepted()),
        "delete" => new ApplicationCommand.Delete(actor, TestData.Now),
        "withdraw" => new ApplicationCommand.Withdraw(actor, TestData.Now),
        "cityApprove" => new ApplicationCommand.ApproveAtCity(actor, TestData.Now),
        "cityReturn" => new ApplicationCommand.ReturnAtCity(TestData.ReturnReason, actor, TestData.Now),
        "provinceApprove" => new ApplicationCommand.ApproveAtProvince(actor, TestData.Now),
        "provinceReturn" => new ApplicationCommand.ReturnAtProvince(TestData.ReturnReason, actor, TestData.Now),
        "extendDeadline" => new ApplicationCommand.ExtendDeadline("材料需要核实", 10, actor, TestData.Now),
        "changeNotificationPhone" => new ApplicationCommand.ChangeNotificationPhone("13900001111", Phones.PhoneCheck.NotRequired, actor, TestData.Now),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static readonly string[] EveryAction =
        ["edit", "submit", "delete", "withdraw", "cityApprove", "cityReturn", "provinceApprove", "provinceReturn", "extendDeadline", "changeNotificationPhone"];

    /// <summary>
    /// The two must not drift apart: what the application offers an actor is exactly what the
    /// decider accepts from them — for every status, every kind of actor and every action (a
    /// repeat of the decision that led here is answered as done, without being offered) — with
    /// the certificate as it was filed. An offer is made from the application alone; should the
    /// certificate have moved to another holder or employer since, the command is refused
    /// (certificate_not_yours, DeciderTests).
    /// </summary>
    [Theory]
    [MemberData(nameof(Statuses))]
    public void An_action_is_offered_exactly_when_the_decider_accepts_it(ApplicationStatus status)
    {
        Actor[] actors = [TestData.Applicant, TestData.Enterprise, TestData.OtherApplicant, TestData.CityReviewer, TestData.ForeignCityReviewer, TestData.ProvinceReviewer];
        foreach (var actor in actors)
        {
            var state = ApplicationState.From(History.LeadingTo(status));
            var offered = ApplicationDecider.AllowedActions(actor, state);
            foreach (var action in EveryAction)
            {
                var decision = ApplicationDecider.Decide(CommandFor(action, actor), state);
                if (!decision.IsRefused && decision.Events.Count == 0) continue; // a retry of the decision just made: answered, not offered
                Assert.True(offered.Contains(action) == !decision.IsRefused,
                    $"{actor.Role} {action} in {status}: offered {offered.Contains(action)}, decider {(decision.IsRefused ? "refuses " + decision.Refusal!.Code : "accepts")}");
            }
        }
    }
}
