using System.Net.Http.Json;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Issue 12, parts 3 and 4 end to end: an expired certificate reads so and takes only what it may;
/// an extension approved late reaches from the approval day; a closed application's documents are
/// opened by the province, admins and its city, each staff opening recorded in the history.
/// Each test has its own app: they move the clock.
/// </summary>
public sealed class ExpiryAndEvidenceTests
{
    private static async Task<JsonElement> HistoryAsync(HttpClient client, string id) =>
        (await (await client.GetAsync($"/api/applications/{id}")).AssertOkAsync()).GetProperty("history");

    [Fact]
    public async Task Certificate_past_valid_until_reads_expired_and_a_change_of_it_is_refused_with_nothing_written()
    {
        using var app = new RegistryFactory(); // 2026-11-23 in Beijing
        var s = await Scenario.CreateAsync(app, validUntil: "2026-11-22");

        var certificate = await s.CertificateAsync();
        Assert.Equal("expired", certificate.GetProperty("status").GetString());
        Assert.Equal("已过期", certificate.GetProperty("statusText").GetString());
        var listed = await (await s.Applicant.PostAsJsonAsync("/api/certificates/search", new { holderIdNumber = s.HolderId })).AssertOkAsync();
        Assert.Equal("expired", listed[0].GetProperty("status").GetString());

        var refused = await (await s.Applicant.PostAsJsonAsync("/api/applications", s.ChangeName())).AssertProblemAsync(422, "certificate_expired");
        Assert.Contains("请重新申请取得证书", refused.GetProperty("detail").GetString());
        await (await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "extension", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone }))
            .AssertProblemAsync(422, "extension_window_closed");
        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Equal(0, mine.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Extension_approved_after_the_certificate_expired_runs_from_the_approval_day()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app, validUntil: "2026-12-31");
        var id = await s.SubmittedAsync(new { kind = "extension", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();

        app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 15, 2, 0, 0, TimeSpan.Zero)); // the certificate expired on the way
        var applicant = await app.ApplicantAsync(s.HolderId); // tokens of weeks ago have expired
        var certificateUrl = $"/api/certificates/{s.CertificateNumber}";
        Assert.Equal("expired", (await (await applicant.GetAsync(certificateUrl)).AssertOkAsync()).GetProperty("status").GetString());
        await (await s.ProvinceAsync(id, "approve", reviewer: await app.ProvinceReviewerAsync())).AssertOkAsync();

        var certificate = await (await applicant.GetAsync(certificateUrl)).AssertOkAsync();
        Assert.Equal("2030-01-15", certificate.GetProperty("validUntil").GetString());
        Assert.Equal("valid", certificate.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Closed_application_documents_are_opened_by_province_admin_and_city_and_each_staff_opening_is_in_the_history()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync(s.ChangeName("张思远"));
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        var documentId = (await (await s.Applicant.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync())
            .GetProperty("items")[0].GetProperty("documentId").GetString()!;
        var document = $"/api/applications/{id}/documents/{documentId}";
        var before = await s.Applicant.GetAsync($"/api/applications/{id}");
        var etag = before.Headers.ETag!.Tag;
        var entries = (await HistoryAsync(s.Applicant, id)).GetArrayLength();

        Assert.Equal(TestFiles.Png, await s.Applicant.GetByteArrayAsync(document));   // not recorded
        Assert.Equal(TestFiles.Png, await s.ProvinceReviewer.GetByteArrayAsync(document));
        Assert.Equal(TestFiles.Png, await (await app.AdminAsync()).GetByteArrayAsync(document));
        Assert.Equal(TestFiles.Png, await s.CityReviewer.GetByteArrayAsync(document));
        await (await (await app.CityReviewerAsync("620200", "reviewer-jyg")).GetAsync(document)).AssertProblemAsync(404, "application_not_found");
        await (await (await app.EnterpriseAsync(s.EmployerCode)).GetAsync(document)).AssertProblemAsync(403, "documents_not_readable");

        var after = await s.Applicant.GetAsync($"/api/applications/{id}");
        var view = await after.AssertOkAsync();
        Assert.Equal(etag, after.Headers.ETag!.Tag);   // a reading does not make an edit stale
        Assert.Equal("approved", view.GetProperty("status").GetString());
        var opened = view.GetProperty("history").EnumerateArray().Skip(entries).ToList();
        Assert.Equal(3, opened.Count);
        Assert.All(opened, e =>
        {
            Assert.Equal("openDocument", e.GetProperty("action").GetString());
            Assert.Equal("查看材料", e.GetProperty("actionText").GetString());
            Assert.Equal("approved", e.GetProperty("to").GetString());
            Assert.Equal(documentId, e.GetProperty("documents")[0].GetProperty("documentId").GetString());
        });
        Assert.Equal(["province-reviewer", "admin", "city-reviewer"], opened.Select(e => e.GetProperty("actor").GetProperty("role").GetString()));
        var verdict = await (await s.ProvinceReviewer.GetAsync($"/api/applications/{id}/history/verify")).AssertOkAsync();
        Assert.True(verdict.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Reviewer_opening_a_document_during_review_leaves_the_status_and_a_repeated_decision_stays_a_repeat()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync(s.ChangeName("张思远"));
        var documentId = (await (await s.Applicant.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync())
            .GetProperty("items")[0].GetProperty("documentId").GetString()!;
        await (await s.CityAsync(id, "approve")).AssertOkAsync();

        Assert.Equal(TestFiles.Png, await s.ProvinceReviewer.GetByteArrayAsync($"/api/applications/{id}/documents/{documentId}"));
        var opened = await (await s.ProvinceReviewer.GetAsync($"/api/applications/{id}")).AssertOkAsync();
        Assert.Equal("pendingProvinceReview", opened.GetProperty("status").GetString());
        Assert.Equal("openDocument", opened.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());

        // The city's approval, retried after the opening, is still a repeat: no new entry.
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        Assert.Equal(opened.GetProperty("history").GetArrayLength(), (await HistoryAsync(s.ProvinceReviewer, id)).GetArrayLength());
    }

    [Fact]
    public async Task A_reviewer_page_opening_documents_in_parallel_gets_every_one_and_each_opening_is_recorded()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync(s.ChangeName("张思远"));
        var documents = (await (await s.Applicant.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync())
            .GetProperty("items").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()!).ToList();
        var before = (await HistoryAsync(s.CityReviewer, id)).GetArrayLength();

        // Thumbnails of every document, twice over, at once: a GET never fails for contention alone.
        var opens = documents.Concat(documents).Concat(documents)
            .Select(d => s.CityReviewer.GetAsync($"/api/applications/{id}/documents/{d}")).ToList();
        var responses = await Task.WhenAll(opens);
        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(before + opens.Count, (await HistoryAsync(s.CityReviewer, id)).GetArrayLength());
    }
}
