using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Enterprises;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Enterprise information change over HTTP (seed 001 "变更完成后企业下所有证书显示新企业名称";
/// "调出市…初次审核，然后到调入地市…二次审核") and its resumable effect on 10,000 certificates.
/// </summary>
public sealed class EnterpriseChangeTests(ITestOutputHelper output)
{
    private const string OldName = "兰州测试建设工程有限公司";
    private const string NewName = "兰州测试建设集团有限公司";

    private static async Task<(string Uscc, string[] Numbers)> EnterpriseWithCertificatesAsync(RegistryFactory app, int count = 3)
    {
        var uscc = TestData.CreditCode();
        var numbers = Enumerable.Range(0, count).Select(_ => TestData.CertificateNumber()).ToArray();
        await app.ImportAsync([.. numbers.Select((n, i) => TestData.Line(n, TestData.IdNumber(), uscc, name: i % 2 == 0 ? "王磊" : "李娜"))]);
        return (uscc, numbers);
    }

    private static async Task<string> SubmittedChangeAsync(HttpClient enterprise, object body)
    {
        var created = await (await enterprise.PostAsJsonAsync("/api/applications", body)).AssertOkAsync(201);
        var id = created.GetProperty("id").GetString()!;
        var documents = await (await enterprise.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        foreach (var type in documents.GetProperty("missingDocumentTypes").EnumerateArray())
            await (await enterprise.PostAsync($"/api/applications/{id}/documents", TestFiles.Form(type.GetString()!, TestFiles.Png, "营业执照.png", "image/png"))).AssertOkAsync(201);
        await (await enterprise.SubmitAsync(id, ApplicationKind.EnterpriseChange)).AssertOkAsync();
        return id;
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient reviewer, string id, string stage) =>
        reviewer.PostAsJsonAsync($"/api/applications/{id}/events/{stage}-review", new { decision = "approve" });

    private static async Task CancelAsync(RegistryFactory app, string number)
    {
        var store = app.Services.GetRequiredService<CertificateStore>();
        var (certificate, etag) = (await store.GetAsync(number))!.Value;
        Assert.True(await store.TryApplyAsync(number, certificate with { Status = CertificateStatus.Cancelled }, etag, null, ""));
    }

    [Fact]
    public async Task An_enterprise_renames_itself_city_then_province_approve_and_every_valid_certificate_shows_the_new_name_with_one_endorsement()
    {
        using var app = new RegistryFactory();
        var (uscc, numbers) = await EnterpriseWithCertificatesAsync(app, 4);
        await CancelAsync(app, numbers[3]);
        var enterprise = await app.EnterpriseAsync(uscc);

        var id = await SubmittedChangeAsync(enterprise, new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newName = NewName });
        var view = await (await enterprise.GetAsync($"/api/applications/{id}")).AssertOkAsync();
        Assert.Equal(("企业信息变更", "", "pendingCityReview"), (view.GetProperty("kindText").GetString(), view.GetProperty("certificateNumber").GetString(), view.GetProperty("status").GetString()));
        Assert.Equal((uscc, OldName, NewName), (view.GetProperty("enterprise").GetProperty("uscc").GetString(),
            view.GetProperty("enterprise").GetProperty("name").GetString(), view.GetProperty("enterprise").GetProperty("newName").GetString()));

        var second = await enterprise.PostAsJsonAsync("/api/applications", new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newName = "兰州另名建设有限公司" });
        var secondId = (await second.AssertOkAsync(201)).GetProperty("id").GetString()!;
        var documents = await (await enterprise.GetAsync($"/api/applications/{secondId}/documents")).AssertOkAsync();
        foreach (var type in documents.GetProperty("missingDocumentTypes").EnumerateArray())
            await (await enterprise.PostAsync($"/api/applications/{secondId}/documents", TestFiles.Form(type.GetString()!, TestFiles.Png, "营业执照.png", "image/png"))).AssertOkAsync(201);
        await (await enterprise.SubmitAsync(secondId, ApplicationKind.EnterpriseChange)).AssertProblemAsync(409, "enterprise_has_open_application");

        await (await DecideAsync(await app.CityReviewerAsync("620100"), id, "city")).AssertOkAsync();
        var approved = await (await DecideAsync(await app.ProvinceReviewerAsync(), id, "province")).AssertOkAsync();
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        await app.Services.GetRequiredService<Outbox.OutboxDispatcher>().DispatchAsync(id);

        var store = app.Services.GetRequiredService<CertificateStore>();
        foreach (var number in numbers[..3])
        {
            var certificate = (await store.GetAsync(number))!.Value.Certificate;
            Assert.Equal(NewName, certificate.Employer);
            var endorsement = Assert.Single(certificate.Endorsements);
            Assert.Equal((id, $"企业名称由“{OldName}”变更为“{NewName}”"), (endorsement.ApplicationId, endorsement.Text));
        }
        var cancelled = (await store.GetAsync(numbers[3]))!.Value.Certificate;
        Assert.Equal((OldName, 0), (cancelled.Employer, cancelled.Endorsements.Count));
        var record = await (await enterprise.GetAsync($"/api/enterprises/{uscc}")).AssertOkAsync();
        Assert.Equal(NewName, record.GetProperty("name").GetString());
        // Finished: the enterprise may file again, but not the draft written before the rename took effect.
        await (await enterprise.SubmitAsync(secondId, ApplicationKind.EnterpriseChange)).AssertProblemAsync(409, "enterprise_changed_since_filing");
        await SubmittedChangeAsync(enterprise, new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newName = "兰州另名建设有限公司" });
    }

    [Fact]
    public async Task A_withdrawn_enterprise_change_frees_the_enterprise_for_the_next_one()
    {
        using var app = new RegistryFactory();
        var (uscc, _) = await EnterpriseWithCertificatesAsync(app, 1);
        var enterprise = await app.EnterpriseAsync(uscc);
        var first = await SubmittedChangeAsync(enterprise, new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newCityCode = "620200" });

        await (await enterprise.PostAsync($"/api/applications/{first}/withdraw", null)).AssertOkAsync();

        var next = await SubmittedChangeAsync(enterprise, new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newName = NewName });
        Assert.Equal("pendingCityReview", (await (await enterprise.GetAsync($"/api/applications/{next}")).AssertOkAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_enterprise_moves_the_old_city_then_the_new_city_approve_without_the_province_and_its_certificates_move_without_endorsement()
    {
        using var app = new RegistryFactory();
        var (uscc, numbers) = await EnterpriseWithCertificatesAsync(app, 3);
        var enterprise = await app.EnterpriseAsync(uscc);
        var newCity = await app.CityReviewerAsync("620500", "city-620500-1");

        var id = await SubmittedChangeAsync(enterprise, new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newCityCode = "620500" });
        await (await DecideAsync(newCity, id, "city")).AssertProblemAsync(403, "not_reviewer_of_stage");
        await (await DecideAsync(await app.CityReviewerAsync("620100"), id, "city")).AssertOkAsync();

        var queue = await (await newCity.GetAsync("/api/applications?status=pendingCityReview")).AssertOkAsync();
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        var approved = await (await DecideAsync(newCity, id, "city")).AssertOkAsync();
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        await app.Services.GetRequiredService<Outbox.OutboxDispatcher>().DispatchAsync(id);

        var store = app.Services.GetRequiredService<CertificateStore>();
        foreach (var number in numbers)
        {
            var certificate = (await store.GetAsync(number))!.Value.Certificate;
            Assert.Equal(("620500", OldName, 0), (certificate.CityCode, certificate.Employer, certificate.Endorsements.Count));
        }
        var record = await (await enterprise.GetAsync($"/api/enterprises/{uscc}")).AssertOkAsync();
        Assert.Equal("620500", record.GetProperty("cityCode").GetString());
    }

    [Fact]
    public async Task Only_the_enterprise_itself_files_it_and_an_unknown_enterprise_is_refused()
    {
        using var app = new RegistryFactory();
        var (uscc, _) = await EnterpriseWithCertificatesAsync(app, 1);
        var other = await app.EnterpriseAsync(TestData.CreditCode());
        await (await other.PostAsJsonAsync("/api/applications", new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newName = NewName }))
            .AssertProblemAsync(403, "not_the_enterprise");
        var unknown = TestData.CreditCode();
        await (await (await app.EnterpriseAsync(unknown)).PostAsJsonAsync("/api/applications", new { kind = "enterpriseChange", enterpriseCode = unknown, notificationPhone = TestData.Phone, newName = NewName }))
            .AssertProblemAsync(422, "enterprise_not_registered");
        await (await (await app.EnterpriseAsync(uscc)).PostAsJsonAsync("/api/applications", new { kind = "enterpriseChange", enterpriseCode = uscc, notificationPhone = TestData.Phone, newCityCode = "999999" }))
            .AssertProblemAsync(400, "validation_failed");
    }

    private sealed class CrashAfterBatches(int batches)
    {
        private int _done;
        public void AfterBatch()
        {
            if (Interlocked.Increment(ref _done) == batches) throw new IOException("the process died mid-way");
        }
    }

    [Fact]
    public async Task A_rename_of_10000_certificates_cut_short_mid_way_and_run_again_leaves_each_with_the_new_name_and_exactly_one_endorsement()
    {
        using var app = new RegistryFactory();
        var uscc = TestData.CreditCode();
        var prefix = Random.Shared.Next(10, 99);
        var numbers = Enumerable.Range(0, 10_000).Select(i => $"甘建安C（2025）{prefix}{i:D5}").ToArray();
        await app.ImportAsync([.. numbers.Select(n => TestData.Line(n, TestData.IdNumber(), uscc, name: "王磊"))]);
        var effect = new SideEffect.ApplyToEnterprise("SQ20261123000042", uscc, OldName, NewName, null, new DateOnly(2026, 11, 23));
        var rename = app.Services.GetRequiredService<EnterpriseChangeEffect>();

        var timer = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => rename.ApplyAsync(effect, afterBatch: new CrashAfterBatches(40).AfterBatch));
        var rest = await rename.ApplyAsync(effect);
        output.WriteLine($"10,000 certificates renamed in {timer.Elapsed.TotalSeconds:F1} s (the re-run changed {rest})");

        Assert.InRange(rest, 1, 10_000 - 1);
        var store = app.Services.GetRequiredService<CertificateStore>();
        var seen = 0;
        foreach (var partition in numbers.Select(CertificateStore.PartitionOf).Distinct())
            foreach (var (certificate, _) in await store.OfEmployerInPartitionAsync(partition, uscc))
            {
                seen++;
                Assert.Equal(NewName, certificate.Employer);
                Assert.Single(certificate.Endorsements, e => e.ApplicationId == effect.ApplicationId);
            }
        Assert.Equal(10_000, seen);
        Assert.Equal(0, await rename.ApplyAsync(effect));
    }
}
