using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Sms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The app in-process against the real Azurite that ./test.sh started. Each factory gets its
/// own table/queue prefix unless given one (two factories with one prefix = two app instances
/// on one storage account).
/// </summary>
public sealed class RegistryFactory(string? prefix = null, string environment = "Development", Action<IServiceCollection>? services = null,
    IReadOnlyDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    : WebApplicationFactory<Program>
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("FUNCREGISTRY_TEST_STORAGE")
        ?? throw new InvalidOperationException("FUNCREGISTRY_TEST_STORAGE is not set: run the tests with ./test.sh, which starts Azurite");

    public string Prefix { get; } = prefix ?? NewPrefix();
    /// <summary>
    /// The app's clock: a fixed morning unless <c>now</c> is given. Tests whose URLs Azurite checks
    /// against its own (real) clock, such as SAS expiry, start it at the real time.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(now ?? new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = ConnectionString,
            ["Storage:NamePrefix"] = Prefix,
            // Tests advance the fake clock and sweep explicitly.
            ["Deadlines:RunSweeper"] = "false",
            // No back-off unless a test asks for one (it would have to advance the clock between sweeps).
            ["Outbox:RetryDelay"] = "00:00:00",
            // Explicit, so that tests in other environments start too (outside Development the gateway must be chosen).
            ["Sms:Gateway"] = "Local",
            // Rate limits are tested on their own (AbuseLimitTests); shared reviewers here would exhaust them.
            ["RateLimits:Enabled"] = "false",
            // The review orchestration's task hub (named after the prefix): one control queue, polled often.
            ["DevHost:PartitionCount"] = "1",
            ["DevHost:MaxQueuePollingInterval"] = "00:00:00.200",
            // A second app on the same prefix (a restart, two instances) takes the partitions over quickly.
            ["DevHost:LeaseInterval"] = "00:00:03",
            ["DevHost:LeaseRenewInterval"] = "00:00:01",
            ["DevHost:LeaseAcquireInterval"] = "00:00:01",
            ["DevHost:QueueVisibilityTimeout"] = "00:00:05",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(s);
        });
    }

    /// <summary>A client carrying a Development token for the given role.</summary>
    public async Task<HttpClient> ClientAsync(string role, string subject, string name = "测试用户", string? city = null, string? org = null)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/dev/tokens", new { role, subject, name, city, org });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> ApplicantAsync(string idNumber, string name = "张三") => ClientAsync("applicant", idNumber, name);
    public Task<HttpClient> EnterpriseAsync(string uscc) => ClientAsync("enterprise", "ent-" + uscc, "企业经办人", org: uscc);
    public Task<HttpClient> CityReviewerAsync(string city = "620100", string id = "city-reviewer-1") => ClientAsync("city-reviewer", id, "市州审核员", city: city);
    public Task<HttpClient> ProvinceReviewerAsync(string id = "province-reviewer-1") => ClientAsync("province-reviewer", id, "省级审核员");
    public Task<HttpClient> AdminAsync() => ClientAsync("admin", "admin-1", "管理员");

    /// <summary>Imports certificates through the admin API.</summary>
    public async Task<JsonElement> ImportAsync(params string[] lines)
    {
        var admin = await AdminAsync();
        var csv = "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil\n" + string.Join("\n", lines) + "\n";
        var response = await admin.PostAsync("/api/admin/certificates/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Sweeps the due timers (review clock and outbox safety nets) at the fake clock's time; not run by itself in tests.</summary>
    public Task<SweepResult> SweepAsync() => Services.GetRequiredService<TimerSweep>().SweepAsync();

    /// <summary>SMS the local gateway recorded for a phone.</summary>
    public async Task<IReadOnlyList<RecordedSms>> SmsToAsync(string phone) =>
        await Services.GetRequiredService<LocalSmsRecorder>().ForPhoneAsync(phone);
}

/// <summary>Two app instances on one storage account, each with its own copies in hand (as two Functions hosts).</summary>
public sealed class TwoInstances : IDisposable
{
    public RegistryFactory One { get; }
    public RegistryFactory Two { get; }

    public TwoInstances()
    {
        var prefix = RegistryFactory.NewPrefix();
        (One, Two) = (new RegistryFactory(prefix), new RegistryFactory(prefix));
    }

    public void Dispose()
    {
        One.Dispose();
        Two.Dispose();
    }
}

/// <summary>Synthetic identifiers: valid, and unique per test so tests never share data.</summary>
public static class TestData
{
    private static int _next = Random.Shared.Next(1000);

    /// <summary>A valid resident ID number born 1990 in Lanzhou.</summary>
    public static string IdNumber()
    {
        var n = Interlocked.Increment(ref _next) % 1000;
        var body = $"620102{1970 + n % 30}0101{n:D3}";
        return body + ResidentIdNumber.CheckCharacterFor(body);
    }

    /// <summary>A valid USCC in Lanzhou.</summary>
    public static string CreditCode()
    {
        var body = $"91620100MA{Random.Shared.Next(10_000_000):D7}";
        return body + FuncRegistry.Core.Identifiers.CreditCode.CheckCharacterFor(body);
    }

    private static int _nextCertificate = Random.Shared.Next(1_000_000);

    /// <summary>
    /// A certificate number as Gansu's register writes them, unique within the test run:
    /// 甘建安 + class letter + (year) + 7 digits, mostly with full-width parentheses
    /// (甘建安C（2019）0012345), every third one with half-width ones (甘建安A(2017)0012346).
    /// </summary>
    public static string CertificateNumber()
    {
        var n = Interlocked.Increment(ref _nextCertificate);
        var (open, close) = n % 3 == 0 ? ("(", ")") : ("（", "）");
        return $"甘建安{"ABC"[n % 3]}{open}{2015 + n % 10}{close}{n % 10_000_000:D7}";
    }

    /// <summary>The path of a certificate: the number percent-encoded, as a portal sends it.</summary>
    public static string CertificatePath(string number) => "/api/certificates/" + Uri.EscapeDataString(number);

    public const string Phone = "13912345678";

    /// <summary>A CSV line of a valid certificate.</summary>
    public static string Line(string number, string holderId, string employerCode, string city = "620100", string name = "张三",
        string validUntil = "2027-06-30") =>
        $"{number},{name},{holderId},施工员(土建施工),兰州测试建设工程有限公司,{employerCode},{city},2024-06-30,{validUntil}";
}

/// <summary>Reading responses.</summary>
public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json.Options);

    /// <summary>Asserts a problem+json answer with the status and stable code.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()));
        return json;
    }

    public static async Task<JsonElement> AssertOkAsync(this HttpResponseMessage response, int status = 200)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
