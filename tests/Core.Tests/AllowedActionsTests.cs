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
    [InlineData(Draft, "edit submit delete")]
    [InlineData(PendingCityReview, "withdraw")]
    [InlineData(CityReturned, "edit submit withdraw")]
    [InlineData(PendingProvinceReview, "withdraw")]
    [InlineData(ProvinceReturned, "edit submit withdraw")]
    [InlineData(Approved, "")]
    [InlineData(Withdrawn, "")]
    public void Filer_may_edit_and_submit_while_editable_delete_a_draft_and_withdraw_while_open(ApplicationStatus status, string expected)
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
}
