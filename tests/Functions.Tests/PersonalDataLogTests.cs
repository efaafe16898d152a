using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// PIPL: nothing unmasked in logs. Every log record of a complete flow — every category, every
/// level down to Trace, with its structured values, scopes and exceptions, as a telemetry
/// exporter would see them — is searched for the holder's ID number, phones and names.
/// </summary>
public sealed class PersonalDataLogTests
{
    /// <summary>Keeps everything any logger writes.</summary>
    public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public ConcurrentQueue<string> Records { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var record = new StringBuilder($"{logLevel} {category} {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                    foreach (var (key, value) in values) record.Append($" {key}={value}");
                provider._scopes.ForEachScope((scope, r) =>
                {
                    r.Append(" scope:").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        foreach (var (key, value) in pairs) r.Append($" {key}={value}");
                }, record);
                if (exception is not null) record.Append(' ').Append(exception);
                provider.Records.Enqueue(record.ToString());
            }
        }
    }

    [Fact]
    public async Task A_complete_flow_logs_no_id_number_phone_or_name()
    {
        var logs = new CapturingLoggerProvider();
        using var app = new RegistryFactory(services: s => s.AddLogging(b =>
        {
            b.AddProvider(logs);
            b.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        }));
        const string name = "欧阳明远", newName = "欧阳新名", phone = "13912345678", newPhone = "13800001111";
        var holder = TestData.IdNumber();
        var newId = TestData.IdNumber();
        var number = TestData.CertificateNumber();
        await app.ImportAsync(TestData.Line(number, holder, TestData.CreditCode(), name: name), TestData.Line(number + "X", "11010519491231002Y", "bad", name: name));
        var applicant = await app.ApplicantAsync(holder, name);
        var city = await app.CityReviewerAsync();
        var province = await app.ProvinceReviewerAsync();
        var scans = new Scenario { App = app, CertificateNumber = number, HolderId = holder, EmployerCode = "", Applicant = applicant, CityReviewer = city, ProvinceReviewer = province };

        // Refusals that echo the input back: an invalid ID number and phone, a stranger, malformed JSON.
        await applicant.PostAsJsonAsync("/api/applications", new { kind = "change", certificateNumber = number, notificationPhone = "1391234567", changes = new { holderIdNumber = holder[..17] + "0" } });
        await applicant.PostAsync("/api/applications", new StringContent($"{{\"kind\":\"change\",\"notificationPhone\":\"{phone}\",", Encoding.UTF8, "application/json"));
        await (await app.ApplicantAsync(TestData.IdNumber(), newName)).PostAsJsonAsync("/api/applications", new { kind = "extension", certificateNumber = number, notificationPhone = phone });

        // Name change: filed, returned by the city, edited, resubmitted, approved twice (one by a review link); SMS sent.
        var id = (await (await applicant.PostAsJsonAsync("/api/applications", new { kind = "change", certificateNumber = number, notificationPhone = phone, changes = new { holderName = newName } })).AssertOkAsync(201)).GetProperty("id").GetString()!;
        await scans.AttachRequiredDocumentsAsync(id);
        await (await applicant.SubmitAsync(id)).AssertOkAsync();
        await (await city.PostAsJsonAsync($"/api/applications/{id}/events/city-review", new { decision = "return", reason = "姓名证明材料不清晰" })).AssertOkAsync();
        await (await applicant.PutAsJsonAsync($"/api/applications/{id}", new { notificationPhone = newPhone, changes = new { holderName = newName } })).AssertOkAsync();
        await (await applicant.SubmitAsync(id)).AssertOkAsync();
        var link = (await (await city.GetAsync($"/api/applications/{id}")).AssertOkAsync()).GetProperty("callbackLinks")[0].GetProperty("href").GetString()!;
        await (await app.CreateClient().PostAsJsonAsync(new Uri(link).PathAndQuery, new { decision = "approve" })).AssertOkAsync();
        await (await province.PostAsJsonAsync($"/api/applications/{id}/events/province-review", new { decision = "approve" })).AssertOkAsync();
        Assert.NotEmpty(await app.SmsToAsync(newPhone));

        // An ID-number change of the same certificate, withdrawn; reads and lists by everyone.
        var second = (await (await applicant.PostAsJsonAsync("/api/applications", new { kind = "change", certificateNumber = number, notificationPhone = phone, changes = new { holderIdNumber = newId } })).AssertOkAsync(201)).GetProperty("id").GetString()!;
        await scans.AttachRequiredDocumentsAsync(second);
        await (await applicant.SubmitAsync(second)).AssertOkAsync();
        await (await applicant.PostAsync($"/api/applications/{second}/withdraw", null)).AssertOkAsync();
        foreach (var reader in new[] { applicant, city, province, await app.AdminAsync() })
        {
            await reader.GetAsync($"/api/applications/{id}");
            await reader.GetAsync("/api/applications");
            await reader.GetAsync(TestData.CertificatePath(number));
            await reader.GetAsync($"/api/applications/{id}/history/verify");
            await reader.GetAsync($"/api/applications/{id}/documents");
        }
        await city.GetAsync("/api/reviews/pending");
        await (await city.PostAsJsonAsync("/api/certificates/search", new { holderIdNumber = holder })).AssertOkAsync();

        var records = logs.Records.ToList();
        Assert.Contains(records, r => r.Contains(" Microsoft.AspNetCore.")); // the framework's own debug records are in the capture
        Assert.Contains(records, r => r.Contains(id));                     // and the app's
        var secrets = new Dictionary<string, string>
        {
            ["ID number"] = holder, ["new ID number"] = newId, ["invalid ID number"] = holder[..17] + "0",
            ["phone"] = phone, ["new phone"] = newPhone, ["name"] = name, ["new name"] = newName,
        };
        var leaks = secrets.SelectMany(s => records.Where(r => r.Contains(s.Value, StringComparison.OrdinalIgnoreCase)).Select(r => $"{s.Key}: {r}")).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {records.Count} log records hold personal data:\n" + string.Join("\n", leaks.Take(20)));
    }

    [Fact]
    public async Task A_value_that_cannot_bind_is_not_logged_at_the_shipped_log_levels()
    {
        var logs = new CapturingLoggerProvider();
        using var app = new RegistryFactory(services: s => s.AddLogging(b => b.AddProvider(logs))); // appsettings.json's levels
        var holder = TestData.IdNumber();
        var applicant = await app.ApplicantAsync(holder);

        await (await applicant.GetAsync($"/api/applications?pageSize={holder}")).AssertProblemAsync(400, "bad_request");

        Assert.DoesNotContain(logs.Records, r => r.Contains(holder));
    }
}
