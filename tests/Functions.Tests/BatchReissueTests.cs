using FuncRegistry.Core.Applications;
using System.Net.Http.Json;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// 批量补办 over HTTP (seed 001 "选择遗失证书…提交申请"): an enterprise reissues several of its
/// certificates at once; the city strikes a line; the province approves the rest.
/// </summary>
public sealed class BatchReissueTests : IClassFixture<BatchReissueTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Registry { get; } = new();
        public void Dispose() => Registry.Dispose();
    }

    private readonly RegistryFactory _app;

    public BatchReissueTests(App app) => _app = app.Registry;

    private const string Phone = "13987654321";

    /// <summary>Three certificates of one enterprise (王磊, 李娜, 赵强) in Lanzhou.</summary>
    private async Task<(string Employer, string[] Numbers, HttpClient Enterprise)> ThreeCertificatesAsync()
    {
        var employer = TestData.CreditCode();
        var numbers = new[] { TestData.CertificateNumber(), TestData.CertificateNumber(), TestData.CertificateNumber() };
        var names = new[] { "王磊", "李娜", "赵强" };
        await _app.ImportAsync(numbers.Select((n, i) => TestData.Line(n, TestData.IdNumber(), employer, name: names[i])).ToArray());
        return (employer, numbers, await _app.EnterpriseAsync(employer));
    }

    private static object Batch(params string[] numbers) => new { kind = "batchReissue", certificateNumbers = numbers, reissueReason = "lost", notificationPhone = Phone };

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string id, string type, string? certificateNumber = null)
    {
        var form = TestFiles.Form(type, TestFiles.Png, type == "photo" ? "照片.png" : "承诺书.png");
        if (certificateNumber is not null) form.Add(new StringContent(certificateNumber), "certificateNumber");
        return client.PostAsync($"/api/applications/{id}/documents", form);
    }

    [Fact]
    public async Task An_enterprise_batch_reissues_three_lost_certificates_the_city_strikes_one_and_the_province_approves_the_rest()
    {
        var (_, numbers, enterprise) = await ThreeCertificatesAsync();
        var created = await (await enterprise.PostAsJsonAsync("/api/applications", Batch(numbers))).AssertOkAsync(201);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(numbers, created.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("certificateNumber").GetString()));
        Assert.Equal("王*", created.GetProperty("lines")[0].GetProperty("holderName").GetString()); // an enterprise sees names masked

        await (await UploadAsync(enterprise, id, "enterpriseCommitment")).AssertOkAsync(201);
        await (await UploadAsync(enterprise, id, "photo", numbers[0])).AssertOkAsync(201);
        var missing = await (await enterprise.SubmitAsync(id, ApplicationKind.BatchReissue)).AssertProblemAsync(422, "missing_documents");
        Assert.Equal([numbers[1], numbers[2]], missing.GetProperty("missingPhotos").EnumerateArray().Select(n => n.GetString()));
        await (await UploadAsync(enterprise, id, "photo", numbers[1])).AssertOkAsync(201);
        await (await UploadAsync(enterprise, id, "photo", numbers[2])).AssertOkAsync(201);
        await (await enterprise.SubmitAsync(id, ApplicationKind.BatchReissue)).AssertOkAsync();

        var city = await _app.CityReviewerAsync();
        var queue = await (await city.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        var struck = await (await city.PostAsJsonAsync($"/api/applications/{id}/events/city-review",
            new { decision = "approve", strike = new[] { new { certificateNumber = numbers[1], reason = "照片与持证人不符" } } })).AssertOkAsync();
        Assert.Equal("李娜", struck.GetProperty("lines")[1].GetProperty("holderName").GetString()); // the city reviewer sees it unmasked
        Assert.True(struck.GetProperty("lines")[1].GetProperty("struck").GetBoolean());
        Assert.Equal("照片与持证人不符", struck.GetProperty("lines")[1].GetProperty("strikeReason").GetString());

        // The struck certificate is free at once: a new application on it is accepted.
        var again = await (await enterprise.PostAsJsonAsync("/api/applications", Batch(numbers[1]))).AssertOkAsync(201);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await enterprise.DeleteAsync($"/api/applications/{again.GetProperty("id").GetString()}")).StatusCode);

        var approved = await (await (await _app.ProvinceReviewerAsync()).PostAsJsonAsync($"/api/applications/{id}/events/province-review",
            new { decision = "approve" })).AssertOkAsync();
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        var lines = approved.GetProperty("lines").EnumerateArray().ToList();
        var newNumbers = new[] { lines[0].GetProperty("newCertificateNumber").GetString()!, lines[2].GetProperty("newCertificateNumber").GetString()! };
        Assert.False(lines[1].TryGetProperty("newCertificateNumber", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.NotEqual(newNumbers[0], newNumbers[1]);

        var admin = await _app.AdminAsync();
        async Task<JsonElement> CertificateAsync(string n) => await (await admin.GetAsync(TestData.CertificatePath(n))).AssertOkAsync();
        for (var i = 0; i < 2; i++)
        {
            var old = await CertificateAsync(numbers[i == 0 ? 0 : 2]);
            Assert.Equal("voided", old.GetProperty("status").GetString());
            Assert.Equal(newNumbers[i], old.GetProperty("replacedBy").GetString());
            Assert.Equal("valid", (await CertificateAsync(newNumbers[i])).GetProperty("status").GetString());
        }
        Assert.Equal("valid", (await CertificateAsync(numbers[1])).GetProperty("status").GetString());

        var sms = await _app.SmsToAsync(Phone);
        var approval = sms.Where(s => s.ApplicationId == id && s.Text.Contains("已审批通过")).ToList();
        Assert.NotEmpty(approval);
        Assert.All(approval, s => Assert.Contains("共补发2本", s.Text));
        Assert.All(newNumbers, n => Assert.Contains(approval, s => s.Text.Contains(n)));
    }

    [Fact]
    public async Task Claims_are_all_or_none_a_number_with_an_open_application_is_listed_and_nothing_else_is_claimed()
    {
        var (employer, numbers, enterprise) = await ThreeCertificatesAsync();
        // The enterprise files the batch while the third certificate has no application yet…
        var id = (await (await enterprise.PostAsJsonAsync("/api/applications", Batch(numbers))).AssertOkAsync(201)).GetProperty("id").GetString()!;
        await (await UploadAsync(enterprise, id, "enterpriseCommitment")).AssertOkAsync(201);
        foreach (var n in numbers) await (await UploadAsync(enterprise, id, "photo", n)).AssertOkAsync(201);
        // …then a single application on it is submitted first.
        var single = new Scenario
        {
            App = _app, CertificateNumber = numbers[2], HolderId = "", EmployerCode = employer, Applicant = enterprise,
            CityReviewer = await _app.CityReviewerAsync(), ProvinceReviewer = await _app.ProvinceReviewerAsync(),
        };
        var other = await single.SubmittedAsync(new { kind = "reissue", certificateNumber = numbers[2], reissueReason = "damaged", notificationPhone = TestData.Phone });

        var refused = await (await enterprise.SubmitAsync(id, ApplicationKind.BatchReissue)).AssertProblemAsync(422, "batch_certificates_refused");
        var listed = Assert.Single(refused.GetProperty("refused").EnumerateArray());
        Assert.Equal((numbers[2], "certificate_has_open_application"), (listed.GetProperty("certificateNumber").GetString(), listed.GetProperty("code").GetString()));
        Assert.Contains(other, listed.GetProperty("reason").GetString());
        Assert.Equal("draft", (await (await enterprise.GetAsync($"/api/applications/{id}")).AssertOkAsync()).GetProperty("status").GetString());

        // No other certificate was claimed: a single application on another of the numbers is accepted.
        await single.SubmittedAsync(new { kind = "reissue", certificateNumber = numbers[0], reissueReason = "lost", notificationPhone = TestData.Phone });
    }

    [Fact]
    public async Task Create_lists_every_refused_number_and_writes_nothing()
    {
        var (_, numbers, enterprise) = await ThreeCertificatesAsync();
        var foreign = TestData.CertificateNumber();
        await _app.ImportAsync(TestData.Line(foreign, TestData.IdNumber(), TestData.CreditCode(), name: "周杰"));
        var refused = await (await enterprise.PostAsJsonAsync("/api/applications", Batch(numbers[0], foreign, "甘建安C（2025）9999999", numbers[0])))
            .AssertProblemAsync(422, "batch_certificates_refused");
        Assert.Equal(["certificate_not_yours", "certificate_not_found", "duplicate"],
            refused.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        var list = await (await enterprise.GetAsync("/api/applications?kind=batchReissue")).AssertOkAsync();
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Only_an_enterprise_files_a_batch_reissue()
    {
        var (_, numbers, _) = await ThreeCertificatesAsync();
        var holder = await _app.ApplicantAsync(TestData.IdNumber());
        await (await holder.PostAsJsonAsync("/api/applications", Batch(numbers))).AssertProblemAsync(403, "enterprise_only");
    }

    [Fact]
    public async Task Document_types_of_a_batch_reissue_are_the_commitment_and_the_photos()
    {
        var types = await (await (await _app.AdminAsync()).GetAsync("/api/document-types?kind=batchReissue")).AssertOkAsync();
        Assert.Equal(["photo", "enterpriseCommitment"], types.EnumerateArray().Where(t => t.GetProperty("required").GetBoolean()).Select(t => t.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task One_more_number_than_the_largest_batch_is_refused_before_anything_is_read()
    {
        // The largest batch itself goes through end to end in LargeBatchReissueTests.
        var numbers = Enumerable.Range(0, Core.Applications.BatchReissue.MaxLines + 1).Select(_ => TestData.CertificateNumber()).ToArray();
        var enterprise = await _app.EnterpriseAsync(TestData.CreditCode());
        var refused = await (await enterprise.PostAsJsonAsync("/api/applications", Batch(numbers))).AssertProblemAsync(400, "validation_failed");
        Assert.Contains("1至200", refused.GetProperty("errors").GetProperty("certificateNumbers")[0].GetString());
    }
}
