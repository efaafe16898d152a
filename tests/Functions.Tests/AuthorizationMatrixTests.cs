using FuncRegistry.Core.Applications;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Every endpoint of the app's route table × every caller × own/other resource, enforced at
/// object level (OWASP API1/API3/API5). A new endpoint without a row here fails
/// <see cref="Every_endpoint_has_a_rule"/>: add one line to <see cref="Rows"/>.
/// </summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    /// <summary>The callers, in the order of a row's expectations.</summary>
    public enum Who { Anonymous, Holder, OtherApplicant, Employer, OtherEnterprise, CityReviewer, OtherCityReviewer, ProvinceReviewer, Admin }

    /// <summary>What exists before the request: one fresh certificate of the holder per cell, and its application in a state.</summary>
    public enum Given { Nothing, Certificate, Draft, PendingCity, PendingProvince, CityReturned, PendingConfirmation, UnderPublicNotice, PhoneVerification }

    /// <summary>
    /// One rule: the endpoint as the route table names it ("METHOD /pattern"), what exists before,
    /// and per caller (<see cref="Who"/> order) what they get: a status; "L+"/"L-" for a list that
    /// does / does not hold the resource (all pages read); a suffix "u" when the holder's personal
    /// data shows unmasked, "m" when none of it shows. A 4xx must change nothing.
    /// </summary>
    public sealed record Row(string Endpoint, Given Given, string Expect, string? Query = null, Func<Probe, HttpContent?>? Body = null)
    {
        public override string ToString() => $"{Endpoint} [{Given}]";
    }

    private static HttpContent Json(object body) => JsonContent.Create(body);

    // Callers:                                                                           anon app  app' ent  ent' city city' prov admin
    public static readonly Row[] Rows =
    [
        new("GET /api/health",                                     Given.Nothing,         "200  200  200  200  200  200  200  200  200"),
        new("GET /openapi/v1.json",                                Given.Nothing,         "200  200  200  200  200  200  200  200  200"),
        new("GET /api/docs/{*path}",                               Given.Nothing,         "200  200  200  200  200  200  200  200  200"),
        new("GET /api/docs/{*path}",                               Given.Nothing,         "200  200  200  200  200  200  200  200  200", Query: "asset=scalar.js"),
        new("POST /api/dev/tokens",                                Given.Nothing,         "200  200  200  200  200  200  200  200  200", Body: _ => Json(new { role = "admin", subject = "a", name = "管理员" })),
        new("GET /api/dev/diagnostics",                            Given.Nothing,         "200  200  200  200  200  200  200  200  200"),
        new("GET /api/dev/sms",                                    Given.Nothing,         "401  200  200  200  200  200  200  200  200", Query: "phone=13912345678"),
        new("POST /api/admin/certificates/import",                 Given.Nothing,         "401  403  403  403  403  403  403  403  200", Body: p => p.Csv()),
        new("GET /api/certificates/{number}",                      Given.Certificate,     "401  200u 404  200m 404  200u 404  200u 200m"),
        new("GET /api/certificates",                               Given.Certificate,     "401  L+u  403  L+m  L-   L+u  L-   L+u  L+m ", Query: "holderIdNumber={holder}"),
        new("POST /api/certificates/search",                       Given.Certificate,     "401  L+u  403  L+m  L-   L+u  L-   L+u  L+m ", Body: p => Json(new { holderIdNumber = p.Holder })),
        // The roster of the holder's employer (in 620100); anyone else is told it does not exist.
        new("GET /api/enterprises/{uscc}",                         Given.Certificate,     "401  404  404  200m 404  200m 404  200m 200m"),
        new("GET /api/enterprises/{uscc}/certificates",            Given.Certificate,     "401  404  404  L+m  404  L+u  404  L+u  L+m ", Query: "limit=100"),
        new("POST /api/enterprises/{uscc}/certificates/search",    Given.Certificate,     "401  404  404  L+m  404  L+u  404  L+u  L+m ", Body: p => Json(new { idNumber = p.Holder })),
        new("PUT /api/admin/enterprises/{uscc}",                   Given.Nothing,         "401  403  403  403  403  403  403  403  200m", Body: _ => Json(new { name = "兰州测试建设工程有限公司", cityCode = "620100" })),
        new("POST /api/applications",                              Given.Certificate,     "401  201u 403  201m 403  403  403  403  403 ", Body: p => Json(p.ChangeName())),
        new("GET /api/applications",                               Given.PendingCity,     "401  L+u  L-   L+m  L-   L+u  L-   L+u  L+m ", Query: "pageSize=100"),
        new("GET /api/applications",                               Given.Draft,           "401  L+u  L-   L+m  L-   L-   L-   L-   L-  ", Query: "pageSize=100"),
        new("GET /api/applications/{id}",                          Given.Draft,           "401  200u 404  200m 404  404  404  404  200m"),
        new("GET /api/applications/{id}",                          Given.PendingCity,     "401  200u 404  200m 404  200u 404  200u 200m"),
        new("PUT /api/applications/{id}",                          Given.Draft,           "401  200u 404  403  404  404  404  404  403 ", Body: _ => Json(Probe.Edit())),
        new("PUT /api/applications/{id}",                          Given.CityReturned,    "401  200u 404  403  404  403  404  403  403 ", Body: _ => Json(Probe.Edit())),
        new("DELETE /api/applications/{id}",                       Given.Draft,           "401  204  404  403  404  404  404  404  403 "),
        new("POST /api/applications/{id}/submit",                  Given.Draft,           "401  200u 404  403  404  404  404  404  403 ", Body: _ => Json(Submission.Body(ApplicationKind.Change))),
        new("POST /api/applications/{id}/submit",                  Given.CityReturned,    "401  200u 404  403  404  403  404  403  403 ", Body: _ => Json(Submission.Body(ApplicationKind.Change))),
        // The filer changes the phone until the application is closed (Development: no verification asked for).
        new("PUT /api/applications/{id}/notification-phone",       Given.PendingCity,     "401  200u 404  403  404  403  404  403  403 ", Body: _ => Json(new { phone = "13700001234" })),
        new("GET /api/commitments/{kind}",                         Given.Nothing,         "401  200  200  200  200  200  200  200  200 "),
        // Codes are for whoever files (applicants, enterprises); a verification is its caller's alone.
        new("POST /api/phone-verifications",                       Given.Nothing,         "401  201  201  201  201  403  403  403  403 ", Body: _ => Json(new { phone = "13700004321" })),
        new("POST /api/phone-verifications/{id}/confirm",          Given.PhoneVerification, "401  200  404  404  404  403  403  403  403 ", Body: p => Json(new { code = p.Token })),
        // The holder's cancellation waits for the employer's confirmation: only the employer confirms.
        new("POST /api/applications/{id}/confirm",                 Given.PendingConfirmation, "401  403  404  200m 404  403  404  403  403 ", Body: _ => Json(new { accept = true })),
        new("POST /api/applications/{id}/withdraw",                Given.PendingCity,     "401  200u 404  403  404  403  404  403  403 "),
        new("POST /api/applications/{id}/events/city-review",      Given.PendingCity,     "401  403  404  403  404  200u 404  403  403 ", Body: _ => Json(new { decision = "approve" })),
        new("POST /api/applications/{id}/events/province-review",  Given.PendingProvince, "401  403  404  403  404  403  404  200u 403 ", Body: _ => Json(new { decision = "approve" })),
        new("POST /api/applications/{id}/extend-deadline",         Given.PendingCity,     "401  403  404  403  404  403  404  200u 403 ", Body: _ => Json(new { reason = "需现场核查，延长办理期限" })),
        // The Functions host's timer invocation: in Azure only the host reaches it (HTTP triggers forward api/* and openapi/*).
        new("GET /api/reviews/pending",                            Given.PendingCity,     "401  403  403  403  403  L+u  L-   L-   403 ", Query: "limit=100"),
        new("GET /api/reviews/pending",                            Given.PendingProvince, "401  403  403  403  403  L-   L-   L+u  403 ", Query: "limit=100"),
        // The holder's ID number in the body; only what waits for the caller's own stage and city.
        new("POST /api/reviews/search",                            Given.PendingCity,     "401  403  403  403  403  L+u  L-   L-   403 ", Body: p => Json(new { idNumber = p.Holder })),
        new("POST /api/reviews/search",                            Given.PendingProvince, "401  403  403  403  403  L-   L-   L+u  403 ", Body: p => Json(new { idNumber = p.Holder })),
        new("GET /api/reviews/summary",                            Given.PendingCity,     "401  403  403  403  403  200  200  200  403 "),
        new("POST /api/admin/indexes/rebuild",                     Given.PendingCity,     "401  403  403  403  403  403  403  403  200 "),
        new("GET /api/admin/sms/failures",                         Given.Nothing,         "401  403  403  403  403  403  403  403  200 "),
        new("GET /api/applications/{id}/history/verify",           Given.Draft,           "401  200  404  200  404  404  404  404  200 "),
        new("GET /api/applications/{id}/history/verify",           Given.PendingCity,     "401  200  404  200  404  200  404  200  200 "),
        new("GET /api/document-types",                             Given.Nothing,         "401  200  200  200  200  200  200  200  200 ", Query: "kind=change"),
        new("POST /api/applications/{id}/documents",               Given.Draft,           "401  201  404  403  404  404  404  404  403 ", Body: _ => TestFiles.Form("idCardFront", TestFiles.Png, "扫描件.png", "image/png")),
        new("GET /api/applications/{id}/documents",                Given.PendingCity,     "401  200  404  403  404  200  404  403  403 "),
        new("GET /api/applications/{id}/documents/{documentId}",   Given.PendingCity,     "401  200  404  403  404  200  404  403  403 "),
        new("DELETE /api/applications/{id}/documents/{documentId}", Given.Draft,          "401  204  404  403  404  404  404  404  403 "),
        new("POST /api/applications/{id}/documents/uploads",       Given.Draft,           "401  201  404  403  404  404  404  404  403 ", Body: _ => Json(new { type = "idCardFront", fileName = "扫描件.png", size = 100 })),
        // Committing a document that is attached already is a repeat (200) for the filer.
        new("POST /api/applications/{id}/documents/{documentId}/commit", Given.Draft,     "401  200  404  403  404  404  404  404  403 "),
        new("GET /api/admin/orchestrations/{id}",                  Given.PendingCity,     "401  403  403  403  403  403  403  403  200 "),
        new("POST /api/admin/orchestrations/{id}/restart",         Given.PendingCity,     "401  403  403  403  403  403  403  403  200 "),
        new("POST /api/admin/applications/{id}/sms/{messageId}/resend", Given.CityReturned, "401  403  403  403  403  403  403  403  409 "),
        new("POST /api/admin/timers/rebuild",                      Given.PendingCity,     "401  403  403  403  403  403  403  403  200 "),
        // The link is the credential: whoever posts it (with any token or none) acts as the city reviewer it was issued to.
        new("POST /api/review-links/{token}",                      Given.PendingCity,     "200  200  200  200  200  200  200  200  200 ", Body: _ => Json(new { decision = "approve" })),
        // The electronic certificate: for those who may see the certificate. Its verification: anyone with the printed check code, the holder masked.
        new("GET /api/certificates/{number}/pdf",                  Given.Certificate,     "401  200  404  200  404  200  404  200  200 "),
        new("GET /api/verify/{number}",                            Given.Certificate,     "200m 200m 200m 200m 200m 200m 200m 200m 200m", Query: "code={code}"),
        // The form to sign: whoever may read the application.
        new("GET /api/applications/{id}/form.pdf",                 Given.Draft,           "401  200  404  200  404  404  404  404  200 "),
        new("GET /api/applications/{id}/form.pdf",                 Given.PendingCity,     "401  200  404  200  404  200  404  200  200 "),
        // The public notice: anyone reads it (masked) and objects without signing in; the province decides objections.
        new("GET /api/public-notices",                             Given.UnderPublicNotice, "L+m  L+m  L+m  L+m  L+m  L+m  L+m  L+m  L+m ", Query: "pageSize=100"),
        new("POST /api/public-notices/{id}/objections",            Given.UnderPublicNotice, "201m 201m 201m 201m 201m 201m 201m 201m 201m", Body: _ => Json(new { reason = "证书原件由原单位保管，从未遗失", contactPhone = "13700001111" })),
        new("POST /api/applications/{id}/objections/{objectionId}/decision", Given.UnderPublicNotice, "401  403  404  403  404  403  404  200u 403 ", Body: _ => Json(new { decision = "dismiss", note = "经核查，异议不成立" })),
    ];

    /// <summary>The resource one cell works on.</summary>
    public sealed class Probe
    {
        public required string CertificateNumber { get; init; }
        public required string Holder { get; init; }
        public string? Id { get; set; }
        public string? Token { get; set; }
        public string? DocumentId { get; set; }
        public string? MessageId { get; set; }
        public string? ObjectionId { get; set; }
        public object ChangeName() => new { kind = "change", certificateNumber = CertificateNumber, notificationPhone = Fixture.Phone, changes = new { holderName = "欧阳新名" } };
        public object Cancel() => new { kind = "cancellation", certificateNumber = CertificateNumber, notificationPhone = Fixture.Phone, reason = "本人退出建筑行业" };
        public static object Edit() => new { notificationPhone = Fixture.Phone, changes = new { holderName = "欧阳另名" } };
        public HttpContent Csv() => new StringContent(
            "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil\n" +
            TestData.Line(TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode()) + "\n", Encoding.UTF8, "text/csv");
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public const string Phone = "13912345678";
        public const string HolderName = "欧阳明远";
        // With a public notice, so that the province's approval leads under notice (Given.UnderPublicNotice).
        public RegistryFactory App { get; } = new(settings: new Dictionary<string, string?> { ["Registry:PublicNoticeDays"] = "2" });
        public string Holder { get; } = TestData.IdNumber();
        public string Employer { get; } = TestData.CreditCode();
        public Dictionary<Who, HttpClient> Clients { get; } = [];
        private readonly ConcurrentQueue<string> _certificates = new();

        public async Task InitializeAsync()
        {
            var numbers = Enumerable.Range(0, Rows.Length * 5 + 20).Select(_ => TestData.CertificateNumber()).ToList();
            await App.ImportAsync(numbers.Select(n => TestData.Line(n, Holder, Employer, name: HolderName)).ToArray());
            foreach (var n in numbers) _certificates.Enqueue(n);
            Clients[Who.Anonymous] = App.CreateClient();
            Clients[Who.Holder] = await App.ApplicantAsync(Holder, HolderName);
            Clients[Who.OtherApplicant] = await App.ApplicantAsync(TestData.IdNumber(), "另一人");
            Clients[Who.Employer] = await App.EnterpriseAsync(Employer);
            Clients[Who.OtherEnterprise] = await App.EnterpriseAsync(TestData.CreditCode());
            Clients[Who.CityReviewer] = await App.CityReviewerAsync("620100", "matrix-lz");
            Clients[Who.OtherCityReviewer] = await App.CityReviewerAsync("620200", "matrix-jyg");
            Clients[Who.ProvinceReviewer] = await App.ProvinceReviewerAsync("matrix-gs");
            Clients[Who.Admin] = await App.AdminAsync();
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }

        public string NextCertificate() => _certificates.TryDequeue(out var n) ? n : throw new InvalidOperationException("certificate pool exhausted");
    }

    private readonly Fixture _f;
    private readonly ITestOutputHelper _output;
    public AuthorizationMatrixTests(Fixture fixture, ITestOutputHelper output) => (_f, _output) = (fixture, output);

    /// <summary>"METHOD /route" of every HTTP function (what the Functions host serves; functions.metadata holds the same, PackageTests checks).</summary>
    private static IReadOnlyList<string> RouteTable() =>
        FuncRegistry.DevHost.FunctionCatalog.Discover(typeof(FuncRegistryApp).Assembly)
            .SelectMany(f => f.Methods.Select(m => $"{m} /{f.Route}"))
            .Distinct().Order().ToList();

    [Fact]
    public void Every_endpoint_has_a_rule()
    {
        var ruled = Rows.Select(r => r.Endpoint).ToHashSet();
        var missing = RouteTable().Where(e => !ruled.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in AuthorizationMatrixTests.Rows:\n" + string.Join("\n", missing));
        var stale = ruled.Where(r => !RouteTable().Contains(r)).ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints the app does not have:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task Every_caller_gets_what_the_matrix_says_and_a_refusal_changes_nothing()
    {
        var failures = new ConcurrentBag<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var count = 0;
        // A refusal changes nothing (which each cell checks), so a row's refused and read-only
        // cells share one resource; a cell that may change it gets a fresh one.
        await Parallel.ForEachAsync(Rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, _) =>
        {
            Probe? shared = null;
            foreach (var (who, expect) in Expectations(row))
            {
                Interlocked.Increment(ref count);
                try
                {
                    var changes = !row.Endpoint.StartsWith("GET ") && expect[0] == '2';
                    var probe = changes ? await GivenAsync(row.Given) : shared ??= await GivenAsync(row.Given);
                    if (await CheckAsync(row, who, expect, probe) is { } failure) failures.Add(failure);
                }
                catch (Exception e)
                {
                    failures.Add($"{row} as {who}: {e.GetType().Name} {e.Message}");
                }
            }
        });
        var cells = new { Count = count };
        _output.WriteLine($"{cells.Count} cells in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cells.Count} cells differ:\n" + string.Join("\n", failures.Order()));
    }

    private static Dictionary<Who, string> Expectations(Row row)
    {
        var cells = row.Expect.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(cells.Length == Enum.GetValues<Who>().Length, $"{row}: {cells.Length} expectations");
        return Enum.GetValues<Who>().Zip(cells).ToDictionary(p => p.First, p => p.Second);
    }

    private async Task<string?> CheckAsync(Row row, Who who, string expect, Probe probe)
    {
        var (method, pattern) = (row.Endpoint.Split(' ')[0], row.Endpoint.Split(' ')[1]);
        var path = pattern.Replace("{id}", probe.Id).Replace("{number}", Uri.EscapeDataString(probe.CertificateNumber)).Replace("{token}", probe.Token)
            .Replace("{documentId}", probe.DocumentId).Replace("{messageId}", probe.MessageId).Replace("{objectionId}", probe.ObjectionId).Replace("{uscc}", _f.Employer).Replace("{kind}", "change")
            .Replace("/{*path}", row.Query is { } asset && asset.StartsWith("asset=") ? "/" + asset["asset=".Length..] : "");
        if (row.Query is not null && !row.Query.StartsWith("asset="))
            path += "?" + row.Query.Replace("{holder}", _f.Holder)
                .Replace("{code}", _f.App.Services.GetRequiredService<Certificates.CertificateLinks>().CheckCode(probe.CertificateNumber));
        var before = await VersionAsync(probe);

        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = row.Body?.Invoke(probe) };
        var response = await _f.Clients[who].SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        string Fail(string what) => $"{row} as {who}: expected {expect}, {what} (got {status}: {Clip(body)})";

        var list = expect.StartsWith('L');
        var expectedStatus = list ? 200 : int.Parse(expect.TrimEnd('u', 'm'));
        if (status != expectedStatus) return Fail("wrong status");
        if (list)
        {
            var contains = await ListContainsAsync(_f.Clients[who], path, body, probe.Id ?? probe.CertificateNumber);
            if (contains != (expect[1] == '+')) return Fail(contains ? "the list shows it" : "the list lacks it");
        }
        if (expect.EndsWith('u') && !body.Contains(Fixture.HolderName)) return Fail("personal data is masked");
        if (expect.EndsWith('m') && (body.Contains(Fixture.HolderName) || body.Contains(_f.Holder) || body.Contains(Fixture.Phone)))
            return Fail("personal data shows unmasked");
        if (status >= 400 && await VersionAsync(probe) != before) return Fail("a refused request changed the application");
        if (status >= 400 && row.Given == Given.Certificate && await HolderHasApplicationForAsync(probe.CertificateNumber))
            return Fail("a refused request filed an application");
        return null;
    }

    private async Task<Probe> GivenAsync(Given given)
    {
        var probe = new Probe { CertificateNumber = _f.NextCertificate(), Holder = _f.Holder };
        if (given is Given.Nothing or Given.Certificate) return probe;
        if (given == Given.PhoneVerification) return await PhoneVerificationAsync(probe);
        var holder = _f.Clients[Who.Holder];
        var filed = given == Given.PendingConfirmation ? probe.Cancel() : probe.ChangeName();
        probe.Id = (await (await holder.PostAsJsonAsync("/api/applications", filed)).AssertOkAsync(201)).GetProperty("id").GetString()!;
        var scenario = new Scenario
        {
            App = _f.App, CertificateNumber = probe.CertificateNumber, HolderId = _f.Holder, EmployerCode = _f.Employer, Applicant = holder,
            CityReviewer = _f.Clients[Who.CityReviewer], ProvinceReviewer = _f.Clients[Who.ProvinceReviewer],
        };
        await scenario.AttachRequiredDocumentsAsync(probe.Id);
        var documents = await (await holder.GetAsync($"/api/applications/{probe.Id}/documents")).AssertOkAsync();
        probe.DocumentId = documents.GetProperty("items")[0].GetProperty("documentId").GetString();
        if (given == Given.Draft) return probe;
        await (await holder.SubmitAsync(probe.Id, given == Given.PendingConfirmation ? ApplicationKind.Cancellation : ApplicationKind.Change)).AssertOkAsync();
        if (given == Given.PendingConfirmation) return probe;
        var city = _f.Clients[Who.CityReviewer];
        if (given == Given.PendingCity)
        {
            var view = await (await city.GetAsync($"/api/applications/{probe.Id}")).AssertOkAsync();
            var href = view.GetProperty("callbackLinks")[0].GetProperty("href").GetString()!;
            probe.Token = href[(href.LastIndexOf('/') + 1)..];
            return probe;
        }
        var decision = given is Given.PendingProvince or Given.UnderPublicNotice ? new { decision = "approve", reason = (string?)null } : new { decision = "return", reason = (string?)"材料不全" };
        var decided = await (await city.PostAsJsonAsync($"/api/applications/{probe.Id}/events/city-review", decision)).AssertOkAsync();
        if (decided.GetProperty("sms").GetArrayLength() > 0) probe.MessageId = decided.GetProperty("sms")[0].GetProperty("messageId").GetString();
        if (given != Given.UnderPublicNotice) return probe;
        await (await _f.Clients[Who.ProvinceReviewer].PostAsJsonAsync($"/api/applications/{probe.Id}/events/province-review", new { decision = "approve" })).AssertOkAsync();
        var objected = await (await _f.Clients[Who.Anonymous].PostAsJsonAsync($"/api/public-notices/{probe.Id}/objections",
            new { reason = "该证书变更材料存疑，请核查", contactPhone = "13600002222" })).AssertOkAsync(201);
        probe.ObjectionId = objected.GetProperty("objectionId").GetString();
        return probe;
    }

    private static int _nextPhone;

    /// <summary>A code texted at the holder's request to a phone of its own (so the code read back is this one's): Id = the verification, Token = the code.</summary>
    private async Task<Probe> PhoneVerificationAsync(Probe probe)
    {
        var phone = $"1370001{Interlocked.Increment(ref _nextPhone):D4}";
        var sent = await (await _f.Clients[Who.Holder].PostAsJsonAsync("/api/phone-verifications", new { phone })).AssertOkAsync(201);
        probe.Id = sent.GetProperty("verificationId").GetString();
        probe.Token = PhoneCodes.CodeIn(Assert.Single(await _f.App.SmsToAsync(phone)).Text);
        return probe;
    }

    private async Task<int?> VersionAsync(Probe probe)
    {
        if (probe.Id is null) return null;
        var response = await _f.Clients[Who.Holder].GetAsync($"/api/applications/{probe.Id}");
        return response.IsSuccessStatusCode ? (await response.JsonAsync()).GetProperty("version").GetInt32() : -1;
    }

    private async Task<bool> HolderHasApplicationForAsync(string certificateNumber)
    {
        var page = await (await _f.Clients[Who.Holder].GetAsync("/api/applications?pageSize=100")).Content.ReadAsStringAsync();
        return await ListContainsAsync(_f.Clients[Who.Holder], "/api/applications?pageSize=100", page, certificateNumber);
    }

    /// <summary>Whether any page of a list (following continuation tokens) mentions the key.</summary>
    private static async Task<bool> ListContainsAsync(HttpClient client, string path, string firstPage, string key)
    {
        var page = firstPage;
        for (var n = 0; n < 50; n++)
        {
            if (page.Contains(key)) return true;
            var json = JsonDocument.Parse(page).RootElement;
            // Applications page with continuationToken, a roster with its cursor (next).
            if (json.ValueKind != JsonValueKind.Object) return false;
            var (parameter, token) = json.TryGetProperty("continuationToken", out var t) ? ("continuationToken", t.GetString())
                : json.TryGetProperty("next", out var cursor) && cursor.ValueKind == JsonValueKind.String ? ("cursor", cursor.GetString()) : (null, null);
            if (parameter is null) return false;
            var next = path + (path.Contains('?') ? "&" : "?") + parameter + "=" + Uri.EscapeDataString(token!);
            page = await (await client.GetAsync(next)).Content.ReadAsStringAsync();
        }
        return false;
    }

    private static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
