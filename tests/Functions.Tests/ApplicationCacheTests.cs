namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Each instance decides a command on its copy of the application when it has one; a copy made
/// stale by another instance never decides the outcome: what is stored does.
/// </summary>
public sealed class ApplicationCacheTests
{
    [Fact]
    public async Task A_decision_that_the_stale_copy_would_refuse_is_taken_on_what_is_stored()
    {
        using var instances = new TwoInstances();
        var (one, two) = (instances.One, instances.Two);
        var s = await Scenario.CreateAsync(one);
        var id = await s.SubmittedAsync(); // instance one now holds the application as waiting for the city

        await (await s.CityAsync(id, "approve", reviewer: await two.CityReviewerAsync())).AssertOkAsync();
        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync(); // on instance one: its copy says "city stage"

        Assert.Equal("approved", approved.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_decision_that_the_stale_copy_would_allow_is_refused_on_what_is_stored()
    {
        using var instances = new TwoInstances();
        var (one, two) = (instances.One, instances.Two);
        var s = await Scenario.CreateAsync(one);
        var id = await s.SubmittedAsync();

        await (await s.CityAsync(id, "approve", reviewer: await two.CityReviewerAsync("620100", "city-reviewer-2"))).AssertOkAsync();
        await (await s.CityAsync(id, "return", "材料不全")).AssertProblemAsync(409, "not_in_review_stage");

        var stored = await s.ApplicationAsync(id);
        Assert.Equal("pendingProvinceReview", stored.GetProperty("status").GetString());
        Assert.DoesNotContain(stored.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "cityReturn");
    }
}
