using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The reviewer's queue (GET /api/reviews/pending): only what waits for this reviewer's stage and
/// city, oldest submission first, walked page by page with the cursor.
/// </summary>
public sealed class ReviewQueueTests
{
    /// <summary>Every page of a queue query, following <c>next</c>; each page at most <paramref name="limit"/> lines, none empty.</summary>
    public static async Task<List<string>> WalkAsync(HttpClient reviewer, int limit, string filters = "")
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var path = $"/api/reviews/pending?limit={limit}{filters}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await reviewer.GetAsync(path)).AssertOkAsync();
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.True(items.Count <= limit);
            Assert.True(items.Count > 0 || cursor is null, "a page after the last");
            ids.AddRange(items);
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
        } while (cursor is not null);
        return ids;
    }

    [Fact]
    public async Task Each_queue_holds_only_its_stage_and_city_oldest_submission_first_across_pages()
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

        // The second and the fourth move on to the province, the fourth first: the province reads them in the order they were submitted.
        await (await submitted[3].Scenario.CityAsync(submitted[3].Id, "approve")).AssertOkAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await submitted[1].Scenario.CityAsync(submitted[1].Id, "approve")).AssertOkAsync();

        var city = submitted[0].Scenario.CityReviewer;
        Assert.Equal([submitted[0].Id, submitted[2].Id, submitted[4].Id], await WalkAsync(city, limit: 2));
        Assert.Equal([otherCity], await WalkAsync(elsewhere.CityReviewer, limit: 20));
        Assert.Equal([submitted[1].Id, submitted[3].Id], await WalkAsync(submitted[0].Scenario.ProvinceReviewer, limit: 1));

        // Decided entries leave the queue at once.
        await (await submitted[0].Scenario.CityAsync(submitted[0].Id, "return", "照片不清晰")).AssertOkAsync();
        Assert.Equal([submitted[2].Id, submitted[4].Id], await WalkAsync(city, limit: 20));
    }

    [Fact]
    public async Task Someone_who_reviews_nothing_has_no_queue()
    {
        await using var app = new RegistryFactory();
        var applicant = await app.ApplicantAsync(TestData.IdNumber());
        await (await applicant.GetAsync("/api/reviews/pending")).AssertProblemAsync(403, "not_a_reviewer");
    }
}
