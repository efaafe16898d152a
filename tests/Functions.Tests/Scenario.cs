using System.Net.Http.Json;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>One certificate in the register, its holder, its employer and the reviewers of its city.</summary>
public sealed class Scenario
{
    public required RegistryFactory App { get; init; }
    public required string CertificateNumber { get; init; }
    public required string HolderId { get; init; }
    public required string EmployerCode { get; init; }
    public required HttpClient Applicant { get; init; }
    public required HttpClient CityReviewer { get; init; }
    public required HttpClient ProvinceReviewer { get; init; }

    public static async Task<Scenario> CreateAsync(RegistryFactory app, string city = "620100", string validUntil = "2027-06-30")
    {
        var holder = TestData.IdNumber();
        var employer = TestData.CreditCode();
        var number = TestData.CertificateNumber();
        await app.ImportAsync(TestData.Line(number, holder, employer, city, validUntil: validUntil));
        return new Scenario
        {
            App = app, CertificateNumber = number, HolderId = holder, EmployerCode = employer,
            Applicant = await app.ApplicantAsync(holder), CityReviewer = await app.CityReviewerAsync(city),
            ProvinceReviewer = await app.ProvinceReviewerAsync(),
        };
    }

    public object ChangeName(string name = "张四") =>
        new { kind = "change", certificateNumber = CertificateNumber, notificationPhone = TestData.Phone, changes = new { holderName = name } };

    /// <summary>A draft with the documents its kind requires attached (so it can be submitted), unless <paramref name="withDocuments"/> is false.</summary>
    public async Task<string> CreateDraftAsync(object? body = null, bool withDocuments = true)
    {
        var created = await (await Applicant.PostAsJsonAsync("/api/applications", body ?? ChangeName())).AssertOkAsync(201);
        var id = created.GetProperty("id").GetString()!;
        if (withDocuments) await AttachRequiredDocumentsAsync(id);
        return id;
    }

    /// <summary>Uploads a small PNG for every document type the application still misses.</summary>
    public async Task AttachRequiredDocumentsAsync(string id, HttpClient? client = null)
    {
        client ??= Applicant;
        var documents = await (await client.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        foreach (var type in documents.GetProperty("missingDocumentTypes").EnumerateArray())
            await (await UploadAsync(id, type.GetString()!, client: client)).AssertOkAsync(201);
    }

    /// <summary>POST a file as multipart/form-data.</summary>
    public Task<HttpResponseMessage> UploadAsync(string id, string type, byte[]? content = null, string fileName = "扫描件.png",
        string? contentType = "image/png", HttpClient? client = null) =>
        (client ?? Applicant).PostAsync($"/api/applications/{id}/documents", TestFiles.Form(type, content ?? TestFiles.Png, fileName, contentType));

    /// <summary>A submitted application; one that awaits the employer's confirmation (a cancellation) is confirmed by the employer, as it would be.</summary>
    public async Task<string> SubmittedAsync(object? body = null)
    {
        var id = await CreateDraftAsync(body);
        var submitted = await (await Applicant.SubmitAsync(id, Submission.KindOf(body ?? ChangeName()))).AssertOkAsync();
        if (submitted.GetProperty("status").GetString() == "pendingConfirmation") await (await ConfirmAsync(id, true)).AssertOkAsync();
        return id;
    }

    /// <summary>The employer's answer to an application that awaits its confirmation.</summary>
    public async Task<HttpResponseMessage> ConfirmAsync(string id, bool accept, HttpClient? party = null) =>
        await (party ?? await App.EnterpriseAsync(EmployerCode)).PostAsJsonAsync($"/api/applications/{id}/confirm", new { accept });

    public Task<HttpResponseMessage> CityAsync(string id, string decision, string? reason = null, HttpClient? reviewer = null) =>
        (reviewer ?? CityReviewer).PostAsJsonAsync($"/api/applications/{id}/events/city-review", new { decision, reason });

    public Task<HttpResponseMessage> ProvinceAsync(string id, string decision, string? reason = null, HttpClient? reviewer = null) =>
        (reviewer ?? ProvinceReviewer).PostAsJsonAsync($"/api/applications/{id}/events/province-review", new { decision, reason });

    public async Task<JsonElement> ApplicationAsync(string id, HttpClient? client = null) =>
        await (await (client ?? Applicant).GetAsync($"/api/applications/{id}")).AssertOkAsync();

    public async Task<JsonElement> CertificateAsync(string? number = null) =>
        await (await Applicant.GetAsync(TestData.CertificatePath(number ?? CertificateNumber))).AssertOkAsync();
}
