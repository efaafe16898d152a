using System.Net.Http.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>Concurrent writers: no lost update, exactly one winner, never two open applications.</summary>
public sealed class ConcurrencyTests : IClassFixture<WorkflowTests.App>
{
    private readonly RegistryFactory _app;
    public ConcurrencyTests(WorkflowTests.App app) => _app = app.Factory;

    [Fact]
    public async Task Of_reviewers_deciding_at_once_exactly_one_wins()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var reviewers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _app.CityReviewerAsync("620100", $"reviewer-{i}")));
        var responses = await Task.WhenAll(reviewers.Select((r, i) => i % 2 == 0 ? s.CityAsync(id, "approve", reviewer: r) : s.CityAsync(id, "return", "材料不全", r)));
        Assert.Equal(1, responses.Count(r => (int)r.StatusCode == 200));
        Assert.All(responses.Where(r => (int)r.StatusCode != 200), r => Assert.Equal(409, (int)r.StatusCode));
        var history = (await s.ApplicationAsync(id)).GetProperty("history").EnumerateArray().ToList();
        Assert.Single(history, h => h.GetProperty("action").GetString() is "cityApprove" or "cityReturn");
        Assert.Equal("submit", history[^2].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Two_app_instances_submitting_for_one_certificate_at_once_open_only_one_application()
    {
        using var instances = new TwoInstances();
        var (one, two) = (instances.One, instances.Two);
        for (var round = 0; round < 5; round++)
        {
            var s = await Scenario.CreateAsync(one);
            var applicantOnTwo = await two.ApplicantAsync(s.HolderId);
            var draftA = await s.CreateDraftAsync();
            var draftB = await s.CreateDraftAsync(s.ChangeName("王六"));
            var results = await Task.WhenAll(
                s.Applicant.SubmitAsync(draftA),
                applicantOnTwo.SubmitAsync(draftB));
            Assert.Single(results, r => (int)r.StatusCode == 200);
            await results.Single(r => (int)r.StatusCode != 200).AssertProblemAsync(409, "certificate_has_open_application");
            var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
            Assert.Single(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("status").GetString() == "pendingCityReview");
        }
    }

    /// <summary>A draft filed on instance one, which instance two has read (so it holds a copy), and the applicant's client on instance two.</summary>
    private static async Task<(Scenario S, HttpClient ApplicantOnTwo, string Draft)> DraftCopiedOnTwoAsync(TwoInstances instances)
    {
        var s = await Scenario.CreateAsync(instances.One);
        var applicantOnTwo = await instances.Two.ApplicantAsync(s.HolderId);
        var draft = await s.CreateDraftAsync();
        await (await applicantOnTwo.GetAsync($"/api/applications/{draft}")).AssertOkAsync();
        return (s, applicantOnTwo, draft);
    }

    [Fact]
    public async Task A_submit_repeated_on_an_instance_with_a_stale_copy_leaves_the_certificate_claimed()
    {
        using var instances = new TwoInstances();
        var (s, applicantOnTwo, draft) = await DraftCopiedOnTwoAsync(instances);
        var second = await s.CreateDraftAsync(s.ChangeName("王六"));

        await (await s.Applicant.SubmitAsync(draft)).AssertOkAsync();
        var again = await applicantOnTwo.SubmitAsync(draft); // the double click, on instance two
        Assert.Equal("pendingCityReview", (await s.ApplicationAsync(draft)).GetProperty("status").GetString());

        await (await s.Applicant.SubmitAsync(second)).AssertProblemAsync(409, "certificate_has_open_application");
        Assert.True(again.IsSuccessStatusCode || (int)again.StatusCode == 409, $"the repeated submit answered {(int)again.StatusCode}");
    }

    [Fact]
    public async Task Editing_a_draft_another_instance_deleted_answers_not_found()
    {
        using var instances = new TwoInstances();
        var (s, applicantOnTwo, draft) = await DraftCopiedOnTwoAsync(instances);

        Assert.Equal(204, (int)(await s.Applicant.DeleteAsync($"/api/applications/{draft}")).StatusCode);
        var edit = await applicantOnTwo.PutAsJsonAsync($"/api/applications/{draft}", new { notificationPhone = "13800001111", changes = new { holderName = "张五" } });

        await edit.AssertProblemAsync(404, "application_not_found");
    }
}
