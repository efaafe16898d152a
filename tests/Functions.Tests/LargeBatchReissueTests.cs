using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Enterprises;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;
using FuncRegistry.Functions.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// 批量补办 of the 200 certificates over HTTP (ADR 0019): filed, documented, submitted,
/// approved by the city and the province, every line reissued exactly once and the SMS parts
/// delivered once each, also when the dispatcher dies half-way; a withdrawal frees every line.
/// </summary>
public sealed class LargeBatchReissueTests(ITestOutputHelper output)
{
    private const string Phone = "13993712345";
    private const string Employer = "甘肃省兰州市城关区宏远建筑安装工程有限责任公司";

    /// <summary>Names as registers hold them: compound surnames, and one character outside the basic plane (two UTF-16 units).</summary>
    private static readonly string[] Names = ["欧阳建国", "司马秀英", "上官志强", "诸葛明轩", "王𠮷", "李娜", "张伟", "慕容雪梅", "赵强", "皇甫俊杰"];
    private static readonly string[] PostTexts = ["施工员(土建施工)", "质量员(设备安装)", "安全员", "材料员", "施工员(市政工程)", "资料员", "机械员", "劳务员"];

    /// <summary>Tests about the effects, not the documents, file the batch without them.</summary>
    private static Dictionary<string, string?> WithoutDocuments { get; } = new() { ["Documents:Required:BatchReissue"] = "" };

    /// <summary>
    /// A client that waits for slow answers: 200 lines on a loaded machine can take longer than HttpClient's
    /// default 100 s, which is no rule of the API (a hang guard, not a timing assertion).
    /// </summary>
    private static async Task<HttpClient> PatientAsync(RegistryFactory app, object token)
    {
        var client = app.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(10);
        var issued = await (await client.PostAsJsonAsync("/api/dev/tokens", token)).AssertOkAsync();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issued.GetProperty("token").GetString());
        return client;
    }

    private static Task<HttpClient> CityAsync(RegistryFactory app) =>
        PatientAsync(app, new { role = "city-reviewer", subject = "city-reviewer-1", name = "市州审核员", city = "620100" });

    private static Task<HttpClient> ProvinceAsync(RegistryFactory app) => PatientAsync(app, new { role = "province-reviewer", subject = "province-reviewer-1", name = "省级审核员" });

    private static async Task<(string Uscc, string[] Numbers, HttpClient Enterprise)> EnterpriseWithCertificatesAsync(RegistryFactory app, int count = 200)
    {
        var uscc = TestData.CreditCode();
        var numbers = Enumerable.Range(0, count).Select(_ => TestData.CertificateNumber()).ToArray();
        await app.ImportAsync([.. numbers.Select((n, i) =>
            $"{n},{Names[i % Names.Length]},{TestData.IdNumber()},{PostTexts[i % PostTexts.Length]},{Employer},{uscc},620100,2024-06-30,2028-06-30")]);
        return (uscc, numbers, await PatientAsync(app, new { role = "enterprise", subject = "ent-" + uscc, name = "企业经办人", org = uscc }));
    }

    private static object Batch(string[] numbers) => new { kind = "batchReissue", certificateNumbers = numbers, reissueReason = "lost", notificationPhone = Phone };

    private static async Task<string> FiledAsync(HttpClient enterprise, string[] numbers) =>
        (await (await enterprise.PostAsJsonAsync("/api/applications", Batch(numbers))).AssertOkAsync(201)).GetProperty("id").GetString()!;

    private static async Task UploadAsync(HttpClient enterprise, string id, string type, string? certificateNumber = null)
    {
        var form = TestFiles.Form(type, TestFiles.Png, type == "photo" ? "二寸照片.png" : "遗失补办承诺书（加盖公章）.png");
        if (certificateNumber is not null) form.Add(new StringContent(certificateNumber), "certificateNumber");
        await (await enterprise.PostAsync($"/api/applications/{id}/documents", form)).AssertOkAsync(201);
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient reviewer, string id, string stage) =>
        reviewer.PostAsJsonAsync($"/api/applications/{id}/events/{stage}-review", new { decision = "approve" });

    /// <summary>How long a test waits for something to happen before it fails rather than hangs (not a timing assertion).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    /// <summary>Waits until the review orchestration has ended (nothing left to carry out): no sleep, the Durable client's own wait.</summary>
    private static async Task ReviewEndedAsync(RegistryFactory app, string id)
    {
        using var hang = new CancellationTokenSource(HangGuard);
        var instance = await app.Services.GetRequiredService<ReviewOrchestrations>().Client!.WaitForInstanceCompletionAsync(id, cancellation: hang.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
    }

    /// <summary>Every line reissued exactly once: the old certificate voided, pointing to its line's new number, with one endorsement of the application; the new one valid; no claim left.</summary>
    private static async Task AssertReissuedOnceAsync(RegistryFactory app, string id, string[] numbers, JsonElement approved)
    {
        var lines = approved.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(numbers, lines.Select(l => l.GetProperty("certificateNumber").GetString()));
        var newNumbers = lines.Select(l => l.GetProperty("newCertificateNumber").GetString()!).ToArray();
        Assert.Equal(numbers.Length, newNumbers.Distinct().Count());
        var store = app.Services.GetRequiredService<CertificateStore>();
        await Parallel.ForEachAsync(Enumerable.Range(0, numbers.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var old = (await store.GetWithClaimAsync(numbers[i]))!.Value;
            Assert.Equal((Core.Certificates.CertificateStatus.Voided, newNumbers[i]), (old.Certificate.Status, old.Certificate.ReplacedBy));
            Assert.Single(old.Certificate.Endorsements, e => e.ApplicationId == id);
            Assert.Null(old.Claim);
            var issued = (await store.GetAsync(newNumbers[i]))!.Value.Certificate;
            Assert.Equal((Core.Certificates.CertificateStatus.Valid, numbers[i]), (issued.Status, issued.Replaces));
            Assert.Single(issued.Endorsements);
        });
    }

    /// <summary>The approval SMS: every part sent exactly once, in as many messages as the segment limit requires, together naming every new number once.</summary>
    private static async Task AssertTextedOnceAsync(RegistryFactory app, CountingGateway gateway, string id, HttpClient enterprise, JsonElement approved)
    {
        var calls = gateway.Calls.Where(c => c.ApplicationId == id && c.Message.Template == Core.Notifications.SmsTemplate.BatchReissueApproved).ToList();
        Assert.True(calls.Count > 1);
        Assert.Equal(calls.Count, calls.Select(c => c.MessageId).Distinct().Count());
        Assert.All(calls, c => Assert.Contains("共补发200本", c.Message.Text));
        var maxSegments = app.Services.GetRequiredService<IOptions<RegistryOptions>>().Value.SmsMaxSegments;
        Assert.All(calls, c => Assert.True(Core.Notifications.SmsComposer.Segments(c.Message.Text) <= maxSegments, c.Message.Text));
        var newNumbers = approved.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("newCertificateNumber").GetString()).ToList();
        Assert.Equal(newNumbers, calls.OrderBy(c => c.MessageId, StringComparer.Ordinal).SelectMany(c => c.Message.Parameters["numbers"].Split('、')));
        var shown = (await (await enterprise.GetAsync($"/api/applications/{id}")).AssertOkAsync()).GetProperty("sms").EnumerateArray()
            .Where(s => s.GetProperty("template").GetString() == "batchReissueApproved").ToList();
        Assert.Equal(calls.Count, shown.Count);
        Assert.All(shown, s => Assert.Equal(("sent", 1), (s.GetProperty("status").GetString(), s.GetProperty("attempts").GetInt32())));
    }

    [Fact]
    public async Task An_enterprise_batch_reissues_200_certificates_the_city_and_the_province_approve_and_each_is_reissued_once_and_texted_once()
    {
        var gateway = new CountingGateway();
        using var app = new RegistryFactory(services: gateway.Register);
        var (_, numbers, enterprise) = await EnterpriseWithCertificatesAsync(app);

        var timer = Stopwatch.StartNew();
        var id = await FiledAsync(enterprise, numbers);
        output.WriteLine($"Filing 200 lines: {timer.Elapsed.TotalSeconds:F1} s");
        await UploadAsync(enterprise, id, "enterpriseCommitment");
        foreach (var number in numbers) await UploadAsync(enterprise, id, "photo", number); // 201 documents: the limit grew with the lines
        var documents = await (await enterprise.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        Assert.Equal((201, 0), (documents.GetProperty("items").GetArrayLength(), documents.GetProperty("missingDocumentTypes").GetArrayLength()));
        timer.Restart();
        var submitted = await (await enterprise.SubmitAsync(id, ApplicationKind.BatchReissue)).AssertOkAsync();
        output.WriteLine($"Submitting 200 lines (every line checked and claimed): {timer.Elapsed.TotalSeconds:F1} s");
        Assert.Equal("pendingCityReview", submitted.GetProperty("status").GetString());
        var store = app.Services.GetRequiredService<CertificateStore>();
        Assert.All(await Task.WhenAll(numbers.Select(n => store.GetClaimAsync(n))), c => Assert.Equal(id, c?.ApplicationId));

        await (await DecideAsync(await CityAsync(app), id, "city")).AssertOkAsync();
        timer.Restart();
        var approved = await (await DecideAsync(await ProvinceAsync(app), id, "province")).AssertOkAsync();
        output.WriteLine($"The province's approval of 200 lines: answer {timer.Elapsed.TotalSeconds:F1} s");
        await ReviewEndedAsync(app, id);
        output.WriteLine($"The province's approval of 200 lines: every line reissued and every SMS part sent {timer.Elapsed.TotalSeconds:F1} s");

        Assert.Equal("approved", approved.GetProperty("status").GetString());
        await AssertReissuedOnceAsync(app, id, numbers, approved);
        await AssertTextedOnceAsync(app, gateway, id, enterprise, approved);
        Assert.True((await app.Services.GetRequiredService<ApplicationStore>().VerifyHistoryAsync(id))!.Intact);
    }

    /// <summary>Dies once after <see cref="LinesBeforeCrash"/> lines of a reissue, and once after <see cref="PartsBeforeCrash"/> parts of an SMS.</summary>
    private sealed class CrashingDispatcher(
        ApplicationStore applications, CertificateStore certificates, SmsDispatcher sms, PoisonQueue poison,
        ReviewerWebhookClient reviewerWebhooks, DocumentStore documents, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> logger,
        EnterpriseChangeEffect enterpriseChanges, EnterpriseClaims enterpriseClaims, EnterpriseStore enterprises)
        : OutboxDispatcher(applications, certificates, sms, poison, reviewerWebhooks, documents, options, clock, logger, enterpriseChanges, enterpriseClaims, enterprises)
    {
        public const int LinesBeforeCrash = 100;
        public const int PartsBeforeCrash = 10;
        private int _linesCrashed;
        private int _partsCrashed;

        private readonly TaskCompletionSource[] _died = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
        private int _runsDied;

        /// <summary>Completes once the <paramref name="run"/>-th dispatch that died has recorded what it did (1: in the lines, 2: in the SMS parts).</summary>
        public Task Died(int run) => _died[run - 1].Task.WaitAsync(HangGuard);

        public override async Task<StoredApplication> DispatchAsync(StoredApplication stored, int priorFailures = 0, CancellationToken cancellationToken = default)
        {
            try
            {
                return await base.DispatchAsync(stored, priorFailures, cancellationToken);
            }
            catch (ProcessDiedException)
            {
                _died[Interlocked.Increment(ref _runsDied) - 1].TrySetResult();
                throw;
            }
        }

        protected override void AfterExpandedStep(SideEffect expanded, int step)
        {
            if ((expanded is SideEffect.ApplyToCertificates && step == LinesBeforeCrash && Interlocked.Exchange(ref _linesCrashed, 1) == 0)
                || (expanded is SideEffect.SendSmsParts && step == PartsBeforeCrash && Interlocked.Exchange(ref _partsCrashed, 1) == 0))
                throw new ProcessDiedException();
        }

        public static void Register(IServiceCollection services)
        {
            services.RemoveAll<OutboxDispatcher>();
            services.AddSingleton<OutboxDispatcher, CrashingDispatcher>();
        }
    }

    [Fact]
    public async Task A_dispatcher_that_dies_half_way_through_the_lines_and_again_through_the_sms_parts_is_finished_by_the_retry_without_doubles()
    {
        var gateway = new CountingGateway();
        using var app = new RegistryFactory(services: s => { gateway.Register(s); CrashingDispatcher.Register(s); }, settings: WithoutDocuments);
        var dispatcher = (CrashingDispatcher)app.Services.GetRequiredService<OutboxDispatcher>();
        var (_, numbers, enterprise) = await EnterpriseWithCertificatesAsync(app);
        var id = await FiledAsync(enterprise, numbers);
        await (await enterprise.SubmitAsync(id, ApplicationKind.BatchReissue)).AssertOkAsync();
        await (await DecideAsync(await CityAsync(app), id, "city")).AssertOkAsync();

        var approved = await (await DecideAsync(await ProvinceAsync(app), id, "province")).AssertOkAsync();
        Assert.Equal("approved", approved.GetProperty("status").GetString()); // committed…
        await dispatcher.Died(1); // …and its effects died half-way through the lines
        var store = app.Services.GetRequiredService<CertificateStore>();
        var voided = (await Task.WhenAll(numbers.Select(n => store.GetAsync(n)))).Count(c => c!.Value.Certificate.Status == Core.Certificates.CertificateStatus.Voided);
        Assert.InRange(voided, CrashingDispatcher.LinesBeforeCrash, numbers.Length - 1);
        Assert.DoesNotContain(gateway.Calls, c => c.ApplicationId == id);

        // The safety-net timer committed with the approval, moved on by the failure, brings the retry: it
        // finishes the lines and dies half-way through the SMS parts; the next finishes those.
        await app.SweepAsync();
        await dispatcher.Died(2);
        Assert.Equal(CrashingDispatcher.PartsBeforeCrash, gateway.Calls.Count(c => c.ApplicationId == id));
        for (var round = 0; round < 10 && (await app.SweepAsync()).Due > 0; round++) { }
        await ReviewEndedAsync(app, id);

        await AssertReissuedOnceAsync(app, id, numbers, approved);
        await AssertTextedOnceAsync(app, gateway, id, enterprise, approved);
        var application = await (await enterprise.GetAsync($"/api/applications/{id}")).AssertOkAsync();
        Assert.Empty((await app.Services.GetRequiredService<ApplicationStore>().LoadAsync(id))!.Outbox);
        Assert.Equal("approved", application.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_withdrawal_of_a_submitted_200_line_batch_releases_every_claim()
    {
        using var app = new RegistryFactory(settings: WithoutDocuments);
        var (_, numbers, enterprise) = await EnterpriseWithCertificatesAsync(app);
        var id = await FiledAsync(enterprise, numbers);
        var submitting = Stopwatch.StartNew();
        await (await enterprise.SubmitAsync(id, ApplicationKind.BatchReissue)).AssertOkAsync();
        output.WriteLine($"Submitting 200 lines: {submitting.Elapsed.TotalSeconds:F1} s");
        var store = app.Services.GetRequiredService<CertificateStore>();
        Assert.All(await Task.WhenAll(numbers.Select(n => store.GetClaimAsync(n))), c => Assert.Equal(id, c?.ApplicationId));

        var timer = Stopwatch.StartNew();
        var withdrawn = await (await enterprise.PostAsync($"/api/applications/{id}/withdraw", null)).AssertOkAsync();
        output.WriteLine($"Withdrawing 200 lines: answer {timer.Elapsed.TotalSeconds:F1} s");
        await ReviewEndedAsync(app, id);
        output.WriteLine($"Withdrawing 200 lines: every claim released {timer.Elapsed.TotalSeconds:F1} s");

        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.All(await Task.WhenAll(numbers.Select(n => store.GetClaimAsync(n))), Assert.Null);
        // Free again: the same 200 are filed and submitted in a new batch.
        var again = await FiledAsync(enterprise, numbers);
        Assert.Equal("pendingCityReview", (await (await enterprise.SubmitAsync(again, ApplicationKind.BatchReissue)).AssertOkAsync()).GetProperty("status").GetString());
    }
}
