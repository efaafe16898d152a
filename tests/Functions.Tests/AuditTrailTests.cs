using Azure;
using Azure.Data.Tables;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Tests;

/// <summary>The history is hash-chained: an edit behind the API's back shows in the verification.</summary>
public sealed class AuditTrailTests : IClassFixture<WorkflowTests.App>
{
    private readonly RegistryFactory _app;
    public AuditTrailTests(WorkflowTests.App app) => _app = app.Factory;

    private TableClient Applications => new(RegistryFactory.ConnectionString, _app.Prefix + "Applications");

    private async Task<string> ReturnedAndResubmittedAsync(Scenario s)
    {
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "身份证复印件不清晰")).AssertOkAsync();
        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        return id;
    }

    /// <summary>The version of the first history row of an event type, and how many rows there are.</summary>
    private async Task<(int Version, int Count)> RowOfAsync(string id, string type)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Applications.QueryAsync<TableEntity>(RegistryRows.ApplicationFilter(id)))
            if (RegistryRows.LocalKey(row.RowKey)[0] == 'e') rows.Add(row);
        var found = rows.First(r => r.GetString("Type") == type);
        return (int.Parse(RegistryRows.LocalKey(found.RowKey)[1..]), rows.Count);
    }

    private static string RowKey(string id, int version) => RegistryRows.OfApplication(id, $"e{version:D5}");

    private static async Task<(bool Intact, int? BrokenAt)> VerifyAsync(HttpClient client, string id)
    {
        var verdict = await (await client.GetAsync($"/api/applications/{id}/history/verify")).AssertOkAsync();
        return (verdict.GetProperty("intact").GetBoolean(), verdict.TryGetProperty("brokenAt", out var at) ? at.GetInt32() : null);
    }

    [Fact]
    public async Task An_untouched_history_verifies()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await ReturnedAndResubmittedAsync(s);
        Assert.Equal((true, null), await VerifyAsync(s.Applicant, id));
        Assert.Equal((true, null), await VerifyAsync(s.ProvinceReviewer, id));
    }

    [Fact]
    public async Task A_reason_edited_in_storage_breaks_the_chain_at_that_entry()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await ReturnedAndResubmittedAsync(s);
        var (returned, _) = await RowOfAsync(id, "CityReviewReturned");
        var row = (await Applications.GetEntityAsync<TableEntity>(RegistryRows.Partition, RowKey(id, returned))).Value;
        Assert.Contains("身份证复印件不清晰", row.GetString("Data"));
        row["Data"] = row.GetString("Data").Replace("身份证复印件不清晰", "材料齐全");
        await Applications.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        Assert.Equal((false, returned), await VerifyAsync(s.CityReviewer, id));
        // The API shows the edited text — and the verification is how anyone can tell.
        Assert.Contains((await s.ApplicationAsync(id)).GetProperty("history").EnumerateArray(), h => h.TryGetProperty("reason", out var r) && r.GetString() == "材料齐全");
    }

    [Fact]
    public async Task A_history_entry_whose_hash_was_recomputed_alone_still_breaks_the_next_one()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await ReturnedAndResubmittedAsync(s);
        var (returned, _) = await RowOfAsync(id, "CityReviewReturned");
        var row = (await Applications.GetEntityAsync<TableEntity>(RegistryRows.Partition, RowKey(id, returned))).Value;
        var previous = (await Applications.GetEntityAsync<TableEntity>(RegistryRows.Partition, RowKey(id, returned - 1))).Value.GetString("Hash");
        row["Data"] = row.GetString("Data").Replace("身份证复印件不清晰", "材料齐全");
        row["Hash"] = Storage.AuditChain.Next(previous, row.GetString("Type"), row.GetString("Data"));
        await Applications.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        Assert.Equal((false, returned + 1), await VerifyAsync(s.ProvinceReviewer, id));
    }

    [Fact]
    public async Task A_removed_last_entry_breaks_the_chain()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await ReturnedAndResubmittedAsync(s);
        var (_, count) = await RowOfAsync(id, "Created");
        await Applications.DeleteEntityAsync(RegistryRows.Partition, RowKey(id, count));
        Assert.Equal((false, count), await VerifyAsync(s.ProvinceReviewer, id));
    }

    [Fact]
    public async Task A_removed_middle_entry_breaks_the_chain_where_it_was()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await ReturnedAndResubmittedAsync(s);
        var (submitted, _) = await RowOfAsync(id, "Submitted");
        await Applications.DeleteEntityAsync(RegistryRows.Partition, RowKey(id, submitted));
        Assert.Equal((false, submitted), await VerifyAsync(s.ProvinceReviewer, id));
    }

    [Fact]
    public async Task Only_those_who_may_read_an_application_may_verify_it()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var stranger = await _app.ApplicantAsync(TestData.IdNumber());
        await (await stranger.GetAsync($"/api/applications/{id}/history/verify")).AssertProblemAsync(404, "application_not_found");
        var otherCity = await _app.CityReviewerAsync("620200", "jyg-reviewer");
        await (await otherCity.GetAsync($"/api/applications/{id}/history/verify")).AssertProblemAsync(404, "application_not_found");
        await (await _app.CreateClient().GetAsync($"/api/applications/{id}/history/verify")).AssertProblemAsync(401, "unauthenticated");
    }
}
