using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The reviewer's queue (GET /api/reviews/pending): only what waits for this reviewer's stage and
/// city, oldest first by when it entered the stage, walked page by page with the continuation token.
/// </summary>
public sealed class ReviewQueueTests
{
    private static async Task<List<string>> WalkAsync(HttpClient reviewer, int pageSize)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var path = $"/api/reviews/pending?pageSize={pageSize}" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await reviewer.GetAsync(path)).AssertOkAsync();
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.True(items.Count <= pageSize);
            ids.AddRange(items);
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (token is not null);
        return ids;
    }

    [Fact]
    public async Task Each_queue_holds_only_its_stage_and_city_oldest_first_across_pages()
    {
        await using var app = new RegistryFactory();
        var submitted = new List<(Scenario Scenario, string Id)>();
        for (var i = 0; i < 5; i++)
        {
            var s = await Scenario.CreateAsync(app);
            submitted.Add((s, await s.SubmittedAsync()));
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var elsewhere = await Scenario.CreateAsync(app, city: "620200");
        var otherCity = await elsewhere.SubmittedAsync();
        await (await Scenario.CreateAsync(app)).CreateDraftAsync(); // a draft waits for no one

        // The second and the fourth move on to the province, the fourth first.
        await (await submitted[3].Scenario.CityAsync(submitted[3].Id, "approve")).AssertOkAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await submitted[1].Scenario.CityAsync(submitted[1].Id, "approve")).AssertOkAsync();

        var city = submitted[0].Scenario.CityReviewer;
        Assert.Equal([submitted[0].Id, submitted[2].Id, submitted[4].Id], await WalkAsync(city, pageSize: 2));
        Assert.Equal([otherCity], await WalkAsync(elsewhere.CityReviewer, pageSize: 20));
        Assert.Equal([submitted[3].Id, submitted[1].Id], await WalkAsync(submitted[0].Scenario.ProvinceReviewer, pageSize: 1));

        // Decided entries leave the queue at once.
        await (await submitted[0].Scenario.CityAsync(submitted[0].Id, "return", "照片不清晰")).AssertOkAsync();
        Assert.Equal([submitted[2].Id, submitted[4].Id], await WalkAsync(city, pageSize: 20));
    }

    [Fact]
    public async Task Someone_who_reviews_nothing_has_no_queue()
    {
        await using var app = new RegistryFactory();
        var applicant = await app.ApplicantAsync(TestData.IdNumber());
        await (await applicant.GetAsync("/api/reviews/pending")).AssertProblemAsync(403, "not_a_reviewer");
    }
}
