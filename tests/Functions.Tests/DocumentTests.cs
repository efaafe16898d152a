using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Web;
using Azure.Data.Tables;
using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>Documents through the HTTP API against Azurite: what is stored, who reads it, and that a refusal leaves nothing behind.</summary>
public sealed class DocumentTests : IClassFixture<DocumentTests.App>
{
    public sealed class App : IDisposable
    {
        // Azurite judges SAS expiry by the real clock, so the app's (fake) clock starts at the real time.
        public RegistryFactory Factory { get; } = new(now: DateTimeOffset.UtcNow);
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;
    public DocumentTests(App app) => _app = app.Factory;

    private Task<IReadOnlyList<string>> BlobsAsync(string id) => _app.Services.GetRequiredService<DocumentStore>().BlobNamesAsync(id);

    private static async Task<JsonElement> ListAsync(Scenario s, string id, HttpClient? client = null) =>
        await (await (client ?? s.Applicant).GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();

    private static string[] Actions(JsonElement application) =>
        application.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToArray();

    /// <summary>Nothing of a refused upload is anywhere: no blob, no document, no history entry.</summary>
    private async Task AssertNothingStoredAsync(Scenario s, string id, int documents = 0, HttpClient? reader = null)
    {
        Assert.Equal(documents, (await BlobsAsync(id)).Count);
        Assert.Equal(documents, (await ListAsync(s, id, reader)).GetProperty("items").GetArrayLength());
        Assert.Equal(documents, Actions(await s.ApplicationAsync(id, reader)).Count(a => a == "attachDocument"));
    }

    [Fact]
    public async Task Applicant_uploads_lists_opens_and_deletes_a_document()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);

        var uploaded = await (await s.UploadAsync(id, "idCardFront", TestFiles.Png, "身份证 人像面.png")).AssertOkAsync(201);
        var documentId = uploaded.GetProperty("documentId").GetString()!;
        Assert.Equal("idCardFront", uploaded.GetProperty("type").GetString());
        Assert.Equal("身份证人像面", uploaded.GetProperty("typeText").GetString());
        Assert.Equal("身份证 人像面.png", uploaded.GetProperty("fileName").GetString());
        Assert.Equal("image/png", uploaded.GetProperty("contentType").GetString());
        Assert.Equal(TestFiles.Png.Length, uploaded.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestFiles.Png)), uploaded.GetProperty("sha256").GetString());
        Assert.Equal(_app.Clock.GetUtcNow(), uploaded.GetProperty("uploadedAt").GetDateTimeOffset());
        Assert.Equal([$"{_app.Prefix}documents/{id}/{documentId}"], await BlobsAsync(id));

        var list = await ListAsync(s, id);
        Assert.Equal(documentId, list.GetProperty("items")[0].GetProperty("documentId").GetString());
        Assert.Equal(["idCardBack", "signedForm"], list.GetProperty("missingDocumentTypes").EnumerateArray().Select(t => t.GetString()));

        var file = await s.Applicant.GetAsync($"/api/applications/{id}/documents/{documentId}");
        Assert.Equal(200, (int)file.StatusCode);
        Assert.Equal(TestFiles.Png, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("身份证 人像面.png", file.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains("filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20%E4%BA%BA%E5%83%8F%E9%9D%A2.png", file.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());

        Assert.Equal(204, (int)(await s.Applicant.DeleteAsync($"/api/applications/{id}/documents/{documentId}")).StatusCode);
        Assert.Empty(await BlobsAsync(id));
        Assert.Empty((await ListAsync(s, id)).GetProperty("items").EnumerateArray());
        await (await s.Applicant.GetAsync($"/api/applications/{id}/documents/{documentId}")).AssertProblemAsync(404, "document_not_found");
        Assert.Equal(["create", "attachDocument", "removeDocument"], Actions(await s.ApplicationAsync(id)));
    }

    [Fact]
    public async Task Direct_upload_puts_the_file_to_storage_with_a_short_write_only_url_and_commit_attaches_it()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);
        var now = _app.Clock.GetUtcNow();

        var ticket = await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "signedForm", fileName = "变更申请表.pdf", size = TestFiles.Pdf.Length })).AssertOkAsync(201);
        var documentId = ticket.GetProperty("documentId").GetString()!;
        var url = new Uri(ticket.GetProperty("uploadUrl").GetString()!);
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("cw", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.True(DateTimeOffset.Parse(query["se"]!) <= now.AddMinutes(15));
        Assert.Equal(now.AddMinutes(15), ticket.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.EndsWith($"/{id}/{documentId}", url.AbsolutePath);

        using var storage = new HttpClient();
        var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(TestFiles.Pdf) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(201, (int)(await storage.SendAsync(put)).StatusCode);
        // Write-only, and for this one blob only.
        Assert.Equal(403, (int)(await storage.GetAsync(url)).StatusCode);
        var otherId = documentId[..^1] + (documentId[^1] == '0' ? '1' : '0');
        var elsewhere = new HttpRequestMessage(HttpMethod.Put, new Uri(url.ToString().Replace(documentId, otherId))) { Content = new ByteArrayContent(TestFiles.Pdf) };
        elsewhere.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(403, (int)(await storage.SendAsync(elsewhere)).StatusCode);

        var committed = await (await s.Applicant.PostAsync($"/api/applications/{id}/documents/{documentId}/commit", null)).AssertOkAsync(201);
        Assert.Equal(documentId, committed.GetProperty("documentId").GetString());
        Assert.Equal("application/pdf", committed.GetProperty("contentType").GetString());
        Assert.Equal("变更申请表.pdf", committed.GetProperty("fileName").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestFiles.Pdf)), committed.GetProperty("sha256").GetString());
        Assert.Equal([$"{_app.Prefix}documents/{id}/{documentId}"], await BlobsAsync(id));
        Assert.Equal(TestFiles.Pdf, await s.Applicant.GetByteArrayAsync($"/api/applications/{id}/documents/{documentId}"));

        var again = await (await s.Applicant.PostAsync($"/api/applications/{id}/documents/{documentId}/commit", null)).AssertOkAsync();
        Assert.Equal(documentId, again.GetProperty("documentId").GetString());
        Assert.Single((await ListAsync(s, id)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Direct_upload_of_a_disguised_file_is_refused_at_commit_and_deleted()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);
        var ticket = await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "photo", fileName = "证件照.jpg", size = TestFiles.Zip.Length })).AssertOkAsync(201);
        var documentId = ticket.GetProperty("documentId").GetString()!;
        using var storage = new HttpClient();
        var put = new HttpRequestMessage(HttpMethod.Put, ticket.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(TestFiles.Zip) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        (await storage.SendAsync(put)).EnsureSuccessStatusCode();
        Assert.Single(await BlobsAsync(id));

        var refused = await (await s.Applicant.PostAsync($"/api/applications/{id}/documents/{documentId}/commit", null)).AssertProblemAsync(400, "invalid_document");
        Assert.Contains("不是JPEG、PNG图片或PDF文件", refused.GetProperty("errors").GetProperty("file")[0].GetString());
        await AssertNothingStoredAsync(s, id);
        await (await s.Applicant.PostAsync($"/api/applications/{id}/documents/{documentId}/commit", null)).AssertProblemAsync(404, "upload_not_found");
    }

    [Fact]
    public async Task Direct_upload_committed_after_its_url_expired_is_refused_and_deleted()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);
        var ticket = await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "idCardBack", fileName = "反面.png", size = TestFiles.Png.Length })).AssertOkAsync(201);
        var documentId = ticket.GetProperty("documentId").GetString()!;
        using var storage = new HttpClient();
        var put = new HttpRequestMessage(HttpMethod.Put, ticket.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(TestFiles.Png) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        (await storage.SendAsync(put)).EnsureSuccessStatusCode();

        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        await (await s.Applicant.PostAsync($"/api/applications/{id}/documents/{documentId}/commit", null)).AssertProblemAsync(409, "upload_expired");
        await AssertNothingStoredAsync(s, id);
    }

    [Theory]
    [InlineData("png renamed pdf", "fileName", "扩展名却是“.pdf”")]
    [InlineData("zip renamed jpg", "file", "不是JPEG、PNG图片或PDF文件")]
    public async Task A_file_whose_content_is_not_what_it_claims_is_refused_and_nothing_is_stored(string disguise, string field, string problem)
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);
        var response = disguise == "png renamed pdf"
            ? await s.UploadAsync(id, "signedForm", TestFiles.Png, "申请表.pdf", "application/pdf")
            : await s.UploadAsync(id, "idCardFront", TestFiles.Zip, "身份证.jpg", "image/jpeg");

        var refused = await response.AssertProblemAsync(400, "invalid_document");
        Assert.Contains(refused.GetProperty("errors").GetProperty(field).EnumerateArray(), e => e.GetString()!.Contains(problem));
        await AssertNothingStoredAsync(s, id);
    }

    [Fact]
    public async Task An_oversized_file_is_refused_and_nothing_is_stored()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);

        var refused = await (await s.UploadAsync(id, "idCardFront", TestFiles.PngOfSize(10 * 1024 * 1024 + 1), "大图.png")).AssertProblemAsync(413, "file_too_large");
        Assert.Contains("10MB", refused.GetProperty("detail").GetString());
        await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "idCardFront", fileName = "大图.png", size = 10 * 1024 * 1024 + 1 })).AssertProblemAsync(413, "file_too_large");
        await AssertNothingStoredAsync(s, id);
    }

    [Theory]
    [InlineData("../../etc/passwd.png", "路径")]
    [InlineData("..\\..\\身份证.png", "路径")]
    [InlineData("身份证\u0001.png", "控制字符")]
    [InlineData("身份证\u202Egnp.exe", "控制字符")]
    public async Task A_file_name_with_a_path_or_control_characters_is_refused_and_nothing_is_stored(string fileName, string problem)
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);

        var response = await s.Applicant.PostAsync($"/api/applications/{id}/documents", TestFiles.FormWithRawName("idCardFront", TestFiles.Png, fileName));

        var refused = await response.AssertProblemAsync(400, "invalid_document");
        Assert.Contains(problem, refused.GetProperty("errors").GetProperty("fileName")[0].GetString());
        await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "idCardFront", fileName, size = 100 })).AssertProblemAsync(400, "invalid_document");
        await AssertNothingStoredAsync(s, id);
    }

    [Fact]
    public async Task An_upload_to_somebody_elses_application_is_refused_and_nothing_is_stored()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);
        var stranger = await _app.ApplicantAsync(TestData.IdNumber(), "李四");
        var employer = await _app.EnterpriseAsync(s.EmployerCode); // sees the application, did not file it

        await (await s.UploadAsync(id, "idCardFront", client: stranger)).AssertProblemAsync(404, "application_not_found");
        await (await stranger.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "idCardFront", fileName = "a.png", size = 100 })).AssertProblemAsync(404, "application_not_found");
        await (await s.UploadAsync(id, "idCardFront", client: employer)).AssertProblemAsync(403, "not_applicant");
        await (await stranger.GetAsync($"/api/applications/{id}/documents")).AssertProblemAsync(404, "application_not_found");
        await AssertNothingStoredAsync(s, id);
    }

    [Fact]
    public async Task An_upload_to_an_approved_application_is_refused_and_its_documents_stay_as_they_were()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        var before = await ListAsync(s, id);
        var first = before.GetProperty("items")[0].GetProperty("documentId").GetString()!;

        await (await s.UploadAsync(id, "other")).AssertProblemAsync(409, "application_not_editable");
        await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "other", fileName = "补充.png", size = 100 })).AssertProblemAsync(409, "application_not_editable");
        await (await s.Applicant.DeleteAsync($"/api/applications/{id}/documents/{first}")).AssertProblemAsync(409, "application_not_editable");

        await AssertNothingStoredAsync(s, id, documents: 3);
        Assert.Equal(before.GetRawText(), (await ListAsync(s, id)).GetRawText());
    }

    [Fact]
    public async Task Submit_is_refused_until_every_required_document_is_there_and_records_exactly_those_sent()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);

        var refused = await (await s.Applicant.SubmitAsync(id)).AssertProblemAsync(422, "missing_documents");
        Assert.Equal(["idCardFront", "idCardBack", "signedForm"], refused.GetProperty("missingDocumentTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("请补齐以下材料后再提交：身份证人像面、身份证国徽面、申请表（签字盖章）", refused.GetProperty("detail").GetString());

        var back = await (await s.UploadAsync(id, "idCardBack")).AssertOkAsync(201);
        refused = await (await s.Applicant.SubmitAsync(id)).AssertProblemAsync(422, "missing_documents");
        Assert.Equal(["idCardFront", "signedForm"], refused.GetProperty("missingDocumentTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("draft", (await s.ApplicationAsync(id)).GetProperty("status").GetString());

        var front = await (await s.UploadAsync(id, "idCardFront", TestFiles.Jpeg, "正面.jpg", "image/jpeg")).AssertOkAsync(201);
        var form = await (await s.UploadAsync(id, "signedForm", TestFiles.Pdf, "申请表.pdf", "application/pdf")).AssertOkAsync(201);
        var submitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();

        var entry = submitted.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "submit");
        Assert.Equal(
            new[] { back, front, form }.Select(d => (d.GetProperty("documentId").GetString(), d.GetProperty("sha256").GetString())),
            entry.GetProperty("documents").EnumerateArray().Select(d => (d.GetProperty("documentId").GetString(), d.GetProperty("sha256").GetString())));
    }

    [Fact]
    public async Task A_resubmission_replaces_a_document_and_what_the_first_round_saw_is_kept_as_evidence()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var firstRound = (await ListAsync(s, id)).GetProperty("items").EnumerateArray().ToList();
        var oldFront = firstRound.Single(d => d.GetProperty("type").GetString() == "idCardFront").GetProperty("documentId").GetString()!;
        await (await s.CityAsync(id, "return", "身份证人像面不清晰")).AssertOkAsync();

        var newFront = (await (await s.UploadAsync(id, "idCardFront", TestFiles.Jpeg, "清晰正面.jpg", "image/jpeg")).AssertOkAsync(201))
            .GetProperty("documentId").GetString()!;
        Assert.Equal(204, (int)(await s.Applicant.DeleteAsync($"/api/applications/{id}/documents/{oldFront}")).StatusCode);
        var resubmitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();

        var rounds = resubmitted.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("action").GetString() == "submit")
            .Select(h => h.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()).ToHashSet()).ToList();
        Assert.Contains(oldFront, rounds[0]);
        Assert.DoesNotContain(newFront, rounds[0]);
        Assert.Contains(newFront, rounds[1]);
        Assert.DoesNotContain(oldFront, rounds[1]);
        Assert.Equal(4, (await BlobsAsync(id)).Count);
        Assert.Equal(TestFiles.Png, await s.CityReviewer.GetByteArrayAsync($"/api/applications/{id}/documents/{oldFront}"));
        Assert.DoesNotContain(oldFront, (await ListAsync(s, id)).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));
    }

    [Fact]
    public async Task Documents_are_read_by_the_reviewers_of_the_current_stage_and_another_city_learns_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var documentId = (await ListAsync(s, id)).GetProperty("items")[0].GetProperty("documentId").GetString()!;
        var document = $"/api/applications/{id}/documents/{documentId}";
        var otherCity = await _app.CityReviewerAsync("620200", "reviewer-jyg");

        Assert.Equal(TestFiles.Png, await s.CityReviewer.GetByteArrayAsync(document));
        var denied = await otherCity.GetAsync(document);
        var body = await denied.Content.ReadAsStringAsync();
        await denied.AssertProblemAsync(404, "application_not_found");
        Assert.DoesNotContain("扫描件", body);
        Assert.DoesNotContain(documentId, body);
        await (await otherCity.GetAsync($"/api/applications/{id}/documents")).AssertProblemAsync(404, "application_not_found");
        await (await s.ProvinceReviewer.GetAsync(document)).AssertProblemAsync(403, "documents_not_readable");

        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.CityReviewer.GetAsync(document)).AssertProblemAsync(403, "documents_not_readable");
        Assert.Equal(TestFiles.Png, await s.ProvinceReviewer.GetByteArrayAsync(document));
        Assert.Equal(TestFiles.Png, await s.Applicant.GetByteArrayAsync(document));
    }

    [Fact]
    public async Task Deleting_a_draft_deletes_its_documents_and_unfinished_uploads()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync();
        var ticket = await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/documents/uploads",
            new { type = "other", fileName = "补充.png", size = TestFiles.Png.Length })).AssertOkAsync(201);
        using var storage = new HttpClient();
        var put = new HttpRequestMessage(HttpMethod.Put, ticket.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(TestFiles.Png) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        (await storage.SendAsync(put)).EnsureSuccessStatusCode();
        Assert.Equal(4, (await BlobsAsync(id)).Count);
        Assert.Contains(await RowKeysMentioningAsync(id), k => k.Contains("upload-"));

        Assert.Equal(204, (int)(await s.Applicant.DeleteAsync($"/api/applications/{id}")).StatusCode);

        Assert.Empty(await BlobsAsync(id));
        Assert.Empty(await RowKeysMentioningAsync(id)); // no head, history, marker, upload, list or timer row is left
    }

    private async Task<List<string>> RowKeysMentioningAsync(string id)
    {
        var table = _app.Services.GetRequiredService<StorageAccount>().Applications;
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            if (row.RowKey.Contains(id) || row.PartitionKey.Contains(id)) keys.Add(row.RowKey);
        return keys;
    }

    [Fact]
    public async Task Document_types_are_published_per_kind_with_what_each_requires()
    {
        var s = await Scenario.CreateAsync(_app);

        var types = await (await s.Applicant.GetAsync("/api/document-types?kind=change&changeItem=employer")).AssertOkAsync();
        var required = types.EnumerateArray().Where(t => t.GetProperty("required").GetBoolean()).Select(t => t.GetProperty("type").GetString()).ToList();
        Assert.Equal(["idCardFront", "idCardBack", "employmentContract", "socialInsuranceProof", "signedForm"], required);
        var photo = types.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "photo");
        Assert.Equal("二寸免冠证件照", photo.GetProperty("label").GetString());
        Assert.Equal(["image/jpeg", "image/png"], photo.GetProperty("acceptedContentTypes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(10 * 1024 * 1024, photo.GetProperty("maxBytes").GetInt64());

        var nameChange = await (await s.Applicant.GetAsync("/api/document-types?kind=change")).AssertOkAsync();
        Assert.False(nameChange.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "employmentContract").GetProperty("required").GetBoolean());
        await (await s.Applicant.GetAsync("/api/document-types")).AssertProblemAsync(400, "validation_failed");
        await (await s.Applicant.GetAsync("/api/document-types?kind=reissue&changeItem=employer")).AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_document_endpoints()
    {
        var openApi = await (await _app.CreateClient().GetAsync("/openapi/v1.json")).AssertOkAsync();
        var paths = openApi.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/applications/{id}/documents/{documentId}/commit", out _));
        Assert.True(paths.GetProperty("/api/applications/{id}/documents").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
    }

    [Fact]
    public async Task Anything_but_a_multipart_form_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);

        var problem = await (await s.Applicant.PostAsync($"/api/applications/{id}/documents", new ByteArrayContent(TestFiles.Png))).AssertProblemAsync(415, "unsupported_media_type");
        Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString());
        var json = await (await s.Applicant.PostAsync($"/api/applications/{id}/documents", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(415, "unsupported_media_type");
        Assert.Contains("multipart/form-data", json.GetProperty("detail").GetString()); // not "application/json"
        await AssertNothingStoredAsync(s, id);
    }

    [Fact]
    public async Task A_body_that_is_not_the_multipart_it_declares_is_refused_as_invalid()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync(withDocuments: false);
        var body = new StringContent("""{"type":"idCardFront"}""");
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        var refused = await (await s.Applicant.PostAsync($"/api/applications/{id}/documents", body)).AssertProblemAsync(400, "invalid_multipart");

        Assert.Contains("multipart/form-data", refused.GetProperty("detail").GetString());
        await AssertNothingStoredAsync(s, id);
    }
}

/// <summary>The Documents settings: bound from configuration, overriding the defaults key by key.</summary>
public sealed class DocumentSettingsTests
{
    private static DocumentsOptions Bind(Dictionary<string, string?> values)
    {
        var options = new DocumentsOptions();
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Documents").Bind(options);
        return options;
    }

    [Fact]
    public void A_kind_configured_empty_requires_nothing_and_the_others_keep_their_defaults()
    {
        var policy = Bind(new() { ["Documents:Required:extension"] = "", ["Documents:Required:Cancellation"] = "signedForm", ["Documents:MaxBytes"] = "2048" }).ToPolicy();

        Assert.Empty(policy.RequiredFor(Core.Applications.ApplicationKind.Extension, null));
        Assert.Equal([Core.Documents.DocumentType.SignedForm], policy.RequiredFor(Core.Applications.ApplicationKind.Cancellation, null));
        Assert.Equal(Core.Documents.DocumentPolicy.Default.RequiredFor(Core.Applications.ApplicationKind.Reissue, null), policy.RequiredFor(Core.Applications.ApplicationKind.Reissue, null));
        Assert.Equal(2048, policy.MaxBytes);
    }

    [Theory]
    [InlineData("Documents:Required:relocation", "idCardFront")]
    [InlineData("Documents:Required:change", "idCard")]
    [InlineData("Documents:UploadUrlLifetime", "00:30:00")]
    public void A_typo_or_an_upload_url_living_over_15_minutes_stops_the_app_at_start(string key, string value) =>
        Assert.Throws<InvalidOperationException>(() => Bind(new() { [key] = value }).ToPolicy());

    [Fact]
    public void The_settings_sample_lists_the_default_requirements()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "FuncRegistry.sln"))) root = root.Parent!;
        var values = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var sample = values.EnumerateObject().Where(p => p.Name.StartsWith("Documents__", StringComparison.Ordinal))
            .ToDictionary(p => p.Name.Replace("__", ":"), p => (string?)p.Value.GetString());

        var policy = Bind(sample).ToPolicy();

        Assert.Equal(Enum.GetValues<Core.Documents.RequirementKey>().Length, sample.Keys.Count(k => k.StartsWith("Documents:Required:", StringComparison.Ordinal)));
        foreach (var key in Enum.GetValues<Core.Documents.RequirementKey>())
            Assert.Equal(Core.Documents.DocumentPolicy.Default.Required.GetValueOrDefault(key) ?? [], policy.Required.GetValueOrDefault(key) ?? []);
        Assert.Equal(Core.Documents.DocumentPolicy.DefaultMaxBytes, policy.MaxBytes);
        Assert.Equal(Core.Documents.DocumentPolicy.DefaultMaxDocuments, policy.MaxDocuments);
    }
}
