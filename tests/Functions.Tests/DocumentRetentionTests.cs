using System.Text.Json;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Retention end to end (<c>Documents:RetentionDays</c> = 30): the review clock's timer purges the
/// documents of a closed application 30 days after it closed — the blobs go, downloads are refused
/// with 410, the history records it (hash-chained like every entry) — and nothing before.
/// The clock starts on Monday 23 November 2026 at 10:00 Beijing time and moves only when a test moves it.
/// </summary>
public sealed class DocumentRetentionTests
{
    private static RegistryFactory App() => new(settings: new Dictionary<string, string?> { ["Documents:RetentionDays"] = "30" });

    private static void SetBeijing(RegistryFactory app, string local) =>
        app.Clock.SetUtcNow(new DateTimeOffset(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), BeijingTime.Offset));

    private static Task<SweepResult> SweepAsync(RegistryFactory app) => app.Services.GetRequiredService<TimerSweep>().SweepAsync();

    private static Task<IReadOnlyList<string>> BlobsAsync(RegistryFactory app, string id) => app.Services.GetRequiredService<DocumentStore>().BlobNamesAsync(id);

    private static async Task<List<string>> DocumentIdsAsync(Scenario s, string id) =>
        (await (await s.Applicant.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync())
            .GetProperty("items").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()!).ToList();

    private static List<JsonElement> Entries(JsonElement application, string action) =>
        application.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("action").GetString() == action).ToList();

    /// <summary>Tokens last 12 hours of (fake) time: after moving the clock, the applicant signs in again.</summary>
    private static async Task<Scenario> SignInAgainAsync(Scenario s) => new()
    {
        App = s.App, CertificateNumber = s.CertificateNumber, HolderId = s.HolderId, EmployerCode = s.EmployerCode,
        Applicant = await s.App.ApplicantAsync(s.HolderId), CityReviewer = await s.App.CityReviewerAsync(),
        ProvinceReviewer = await s.App.ProvinceReviewerAsync(),
    };

    [Fact]
    public async Task Documents_of_an_approved_application_are_purged_when_the_retention_has_passed_and_the_history_says_so()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        var documents = await DocumentIdsAsync(s, id);
        Assert.Equal(3, documents.Count);
        Assert.Equal(3, (await BlobsAsync(app, id)).Count);
        var approved = await s.ApplicationAsync(id);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal("2026-12-23T10:00:00+08:00", approved.GetProperty("deadline").GetProperty("documentsPurgeAt").GetString());

        SetBeijing(app, "2026-12-24 09:00");
        await SweepAsync(app);
        await SweepAsync(app);   // a second sweep finds it done

        s = await SignInAgainAsync(s);
        Assert.Empty(await BlobsAsync(app, id));
        foreach (var documentId in documents)
        {
            var refused = await (await s.Applicant.GetAsync($"/api/applications/{id}/documents/{documentId}")).AssertProblemAsync(410, "document_purged");
            Assert.Equal("材料已按保存期限于2026-12-24清除（申请办结后保存期满），无法再查看", refused.GetProperty("detail").GetString());
        }

        var view = await s.ApplicationAsync(id);
        Assert.Equal("approved", view.GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow(), view.GetProperty("documentsPurgedAt").GetDateTimeOffset());
        Assert.False(view.GetProperty("deadline").TryGetProperty("documentsPurgeAt", out _));
        var purge = Assert.Single(Entries(view, "purgeDocuments"));
        Assert.Equal("办结满30日，材料已按保存期限清除", purge.GetProperty("actionText").GetString());
        Assert.Equal("system", purge.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("approved", purge.GetProperty("to").GetString());
        Assert.Equal(documents, purge.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()!).ToList());
        Assert.All(purge.GetProperty("documents").EnumerateArray(), d => Assert.Equal(64, d.GetProperty("sha256").GetString()!.Length));

        var list = await (await s.Applicant.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Empty(list.GetProperty("missingDocumentTypes").EnumerateArray());
        Assert.Equal(documents, list.GetProperty("purgedItems").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()!).ToList());

        var verify = await (await s.Applicant.GetAsync($"/api/applications/{id}/history/verify")).AssertOkAsync();
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Before_the_retention_has_passed_nothing_is_purged()
    {
        using var app = App();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.Applicant.PostAsync($"/api/applications/{id}/withdraw", null)).AssertOkAsync();
        var documents = await DocumentIdsAsync(s, id);

        SetBeijing(app, "2026-12-23 09:59");   // one minute short of 30 days after the withdrawal
        await SweepAsync(app);

        s = await SignInAgainAsync(s);
        Assert.Equal(3, (await BlobsAsync(app, id)).Count);
        var file = await s.Applicant.GetAsync($"/api/applications/{id}/documents/{documents[0]}");
        Assert.Equal(200, (int)file.StatusCode);
        Assert.Equal(TestFiles.Png, await file.Content.ReadAsByteArrayAsync());
        var view = await s.ApplicationAsync(id);
        Assert.Empty(Entries(view, "purgeDocuments"));
        Assert.False(view.TryGetProperty("documentsPurgedAt", out _));
        Assert.Equal("2026-12-23T10:00:00+08:00", view.GetProperty("deadline").GetProperty("documentsPurgeAt").GetString());

        SetBeijing(app, "2026-12-23 10:00");
        await SweepAsync(app);
        Assert.Empty(await BlobsAsync(app, id));
    }

    [Fact]
    public async Task Without_a_retention_setting_documents_of_closed_applications_are_kept()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.Applicant.PostAsync($"/api/applications/{id}/withdraw", null)).AssertOkAsync();

        SetBeijing(app, "2027-01-20 10:00");
        await SweepAsync(app);

        s = await SignInAgainAsync(s);
        Assert.Equal(3, (await BlobsAsync(app, id)).Count);
        var view = await s.ApplicationAsync(id);
        Assert.Empty(Entries(view, "purgeDocuments"));
        Assert.False(view.GetProperty("deadline").TryGetProperty("documentsPurgeAt", out _));
    }

    [Fact]
    public async Task Switching_retention_on_reaches_applications_closed_before_once_an_admin_rebuilds_the_timers()
    {
        var prefix = RegistryFactory.NewPrefix();
        string id;
        using (var before = new RegistryFactory(prefix))
        {
            var s = await Scenario.CreateAsync(before);
            id = await s.SubmittedAsync();
            await (await s.CityAsync(id, "approve")).AssertOkAsync();
            await (await s.ProvinceAsync(id, "approve")).AssertOkAsync(); // closed while documents were kept for ever: no timer
            await ReviewOrchestrationTests.WaitingForAsync(before, id, awaiting: null); // its review has ended before the restart
        }
        using var app = new RegistryFactory(prefix, settings: new Dictionary<string, string?> { ["Documents:RetentionDays"] = "30" });
        SetBeijing(app, "2027-01-05 09:00");
        await SweepAsync(app);
        Assert.Equal(3, (await BlobsAsync(app, id)).Count);

        var admin = await app.AdminAsync();
        var rebuilt = await (await admin.PostAsync("/api/admin/timers/rebuild", null)).AssertOkAsync();
        var again = await (await admin.PostAsync("/api/admin/timers/rebuild", null)).AssertOkAsync();
        await SweepAsync(app);

        Assert.Equal((1, 1), (rebuilt.GetProperty("applications").GetInt32(), rebuilt.GetProperty("rebuilt").GetInt32()));
        Assert.Equal(0, again.GetProperty("rebuilt").GetInt32());
        Assert.Empty(await BlobsAsync(app, id));
    }
}
