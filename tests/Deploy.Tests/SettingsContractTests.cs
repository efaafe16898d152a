using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using FuncRegistry.Functions;
using FuncRegistry.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Deploy.Tests;

/// <summary>
/// local.settings.sample.json is the settings contract: it lists every setting the app binds,
/// nothing else, and its values start the app; a missing or wrong setting stops the app at
/// start with a message that names it.
/// </summary>
public sealed class SettingsContractTests
{
    /// <summary>Settings read by the Functions host or the platform, not by an options class.</summary>
    private static readonly Dictionary<string, string> PlatformSettings = new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "the Functions host: which worker runs the functions",
        ["AzureWebJobsStorage"] = "the Functions host's own storage (triggers, leases, the Durable task hub)",
        ["DurableTaskHubName"] = "the Durable Functions task hub's name (host.json's %DurableTaskHubName%)",
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "the isolated worker's environment: Development enables the dev endpoints (func start)",
        ["ASPNETCORE_ENVIRONMENT"] = "the development host's environment (./run.sh sets it)",
        [TelemetrySetup.AppInsightsSetting] = "switches the Azure Monitor exporter on",
    };

    private static Dictionary<string, string> SampleValues() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "local.settings.sample.json")))!["Values"]!.AsObject()
            .ToDictionary(p => p.Key, p => (string?)p.Value ?? "");

    private static WebApplication BuildApp(IDictionary<string, string> values, string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ApplicationName = typeof(FuncRegistryApp).Assembly.GetName().Name });
        builder.Configuration.AddInMemoryCollection(values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value));
        builder.AddFuncRegistry();
        return builder.Build();
    }

    /// <summary>
    /// Setting names of an options class: its public settable properties, nested option classes
    /// flattened. A dictionary keyed by an enum is one setting per key (every SMS template's code).
    /// Another list or dictionary is set by index or key (<c>…__Cities__620100__Url</c>): its
    /// name is an open prefix the sample may use but need not.
    /// </summary>
    private static void SettingNames(Type type, string prefix, ISet<string> names, ISet<string> openPrefixes)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            if (p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>)
                && p.PropertyType.GetGenericArguments()[0] is { IsEnum: true } keys)
                foreach (var key in Enum.GetNames(keys)) names.Add(prefix + p.Name + "__" + key); // one setting per key: all listed
            else if (p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
                openPrefixes.Add(prefix + p.Name + "__");
            else if (p.PropertyType.IsClass && p.PropertyType != typeof(string) && p.PropertyType.Assembly == type.Assembly)
                SettingNames(p.PropertyType, prefix + p.Name + "__", names, openPrefixes);
            else
                names.Add(prefix + p.Name);
        }
    }

    [Fact]
    public void The_sample_lists_exactly_the_settings_the_options_classes_bind()
    {
        var sample = SampleValues().Keys.Where(k => !PlatformSettings.ContainsKey(k)).ToHashSet();
        using var app = BuildApp(SampleValues(), "Development");
        var bound = app.Services.GetRequiredService<SettingsCatalog>().Bound(app.Services);
        Assert.Contains(bound, b => b.Section == "Storage");
        var expected = new HashSet<string>();
        var open = new HashSet<string>();
        foreach (var b in bound) SettingNames(b.OptionsType, SettingsCatalog.SettingName(b.Section) + "__", expected, open);

        var missing = expected.Except(sample).Order(StringComparer.Ordinal).ToList();
        var unknown = sample.Except(expected).Where(k => !open.Any(p => k.StartsWith(p, StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "settings the app binds but local.settings.sample.json lacks: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "settings in local.settings.sample.json that no options class binds: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_sample_values_are_valid_settings()
    {
        using var app = BuildApp(SampleValues(), "Development");
        foreach (var bound in app.Services.GetRequiredService<SettingsCatalog>().Bound(app.Services))
        {
            var options = app.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(bound.OptionsType));
            var value = options.GetType().GetProperty("Value")!;
            var error = Record.Exception(() => value.GetValue(options));
            Assert.True(error is null, $"{bound.Section}: {error?.InnerException?.Message ?? error?.Message}");
        }
    }

    [Fact]
    public void A_wrong_value_stops_the_start_with_its_setting_name()
    {
        var message = StartFailure("Development", new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Registry:SmsMaxSegments"] = "0",
            ["Outbox:FailuresBeforePoison"] = "1000",
            ["Telemetry:Exporter"] = "Otlp",
            ["Documents:RetentionDays"] = "-1",
            ["Registry:ExtensionOpensDaysBefore"] = "-5",
            ["Registry:ExtensionClosesDaysAfter"] = "400",
            ["Registry:ReissueNumberFormat"] = "BF{applicationDigits}/{year}",
            ["Registry:PublicNoticeDays"] = "31",
        });
        Assert.Contains("Registry__PublicNoticeDays: must be between 0 (no public notice) and 30 working days", message);
        Assert.Contains("Registry__SmsMaxSegments: must be between 1 and 10", message);
        Assert.Contains("Registry__ExtensionOpensDaysBefore: must be between 0 and 366 days", message);
        Assert.Contains("Registry__ExtensionClosesDaysAfter: must be between 0 and 366 days", message);
        Assert.Contains("Registry__ReissueNumberFormat: does not give a valid certificate number", message);
        Assert.Contains("Documents__RetentionDays: must be between 0 (kept for ever) and 36500 days", message);
        Assert.Contains("Outbox__FailuresBeforePoison: must be between 1 and 100", message);
        Assert.Contains("Telemetry__OtlpEndpoint", message);
    }

    [Fact]
    public void A_reissue_number_format_whose_sms_would_run_over_the_segment_limit_stops_the_start()
    {
        var message = StartFailure("Development", new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Registry:SmsMaxSegments"] = "1",
            ["Registry:ReissueNumberFormat"] = "{prefix}（{year}）补{applicationDigits}",
        });
        Assert.Contains("Registry__ReissueNumberFormat: makes the approved-reissue SMS 2 segments long, over Registry__SmsMaxSegments (1)", message);
    }

    [Fact]
    public void Cities_that_are_not_the_province_s_stop_the_start()
    {
        var message = StartFailure("Development", new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Registry:ProvinceCode"] = "370000", ["Registry:ProvinceName"] = "山东省",
            ["Registry:Cities:0:Code"] = "370100", ["Registry:Cities:0:Name"] = "济南市",
            ["Registry:Cities:1:Code"] = "620100", ["Registry:Cities:1:Name"] = "兰州市",
            ["Registry:Cities:2:Code"] = "370102", ["Registry:Cities:2:Name"] = "历下区",
            ["Registry:Cities:3:Code"] = "370100", ["Registry:Cities:3:Name"] = "",
            ["Registry:SmsSignature"] = "一个太长太长太长的短信签名", // another wrong setting does not hide these
        });
        Assert.DoesNotContain("Registry__Cities__0__", message);
        Assert.Contains("Registry__Cities__1__Code: must be the six-digit code of a city of province 370000", message);
        Assert.Contains("Registry__Cities__2__Code: must be the six-digit code of a city of province 370000", message);
        Assert.Contains("Registry__Cities__3__Code: is listed twice", message);
        Assert.Contains("Registry__Cities__3__Name: is required", message);
        Assert.Contains("Registry__SmsSignature: must be 2–12 characters", message);
        Assert.Contains("Registry__Cities: must list the province's cities", StartFailure("Development", new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["Registry:ProvinceCode"] = "370000", ["Registry:ProvinceName"] = "山东省",
        }));
    }

    [Fact]
    public void Outside_development_every_missing_or_wrong_setting_is_named_in_one_message_at_start()
    {
        var message = StartFailure("Production", new()
        {
            ["Storage:ConnectionString"] = "",
            ["Storage:TableEndpoint"] = "not a url",
            ["Storage:PersonalDataKeySecret"] = "@Microsoft.KeyVault(SecretUri=https://kv.example/secrets/personal-data-key)",
            ["Deadlines:Webhooks:Cities:620100:Url"] = "https://reviewers.example/hooks",
            ["Deadlines:Webhooks:Cities:620100:Secret"] = "@Microsoft.KeyVault(SecretUri=https://kv.example/secrets/city-620100-webhook-secret)",
            ["Auth:Authority"] = "https://login.example.com/tenant/v2.0",
            ["Auth:Audience"] = "api://funcregistry",
            ["ReviewLinks:Keys:0:Id"] = "k1",
            ["ReviewLinks:Keys:0:Secret"] = "a-review-link-secret-of-at-least-32-characters",
            ["Registry:SmsMaxSegments"] = "0",
            ["Certificates:VerificationKey"] = "too-short",
        });
        Assert.Contains("Storage__TableEndpoint: is required when Storage__ConnectionString is empty", message);
        Assert.Contains("Storage__QueueEndpoint", message);
        Assert.Contains("Storage__PersonalDataKeySecret: is an unresolved Key Vault reference", message);
        Assert.Contains("Deadlines__Webhooks__Cities__620100__Secret: is an unresolved Key Vault reference", message);
        Assert.Contains("Registry__SmsMaxSegments: must be between 1 and 10", message);   // all at once, in one message
        Assert.Contains("Certificates__VerificationKey: must have at least 32 characters", message);
        Assert.DoesNotContain("Auth__", message);
    }

    /// <summary>Starts the app and returns why it would not start.</summary>
    private static string StartFailure(string environment, Dictionary<string, string?> settings)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        return error.ToString();
    }
}
