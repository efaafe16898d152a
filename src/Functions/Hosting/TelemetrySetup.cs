using System.ComponentModel.DataAnnotations;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FuncRegistry.Functions.Hosting;

/// <summary>Where telemetry goes besides Azure Monitor. Bound from the <c>Telemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The local exporter: <c>None</c> (default; tests), <c>Console</c>, or <c>Otlp</c>. Ignored when Application Insights is configured.</summary>
    public TelemetryExporter Exporter { get; set; } = TelemetryExporter.None;

    /// <summary>OTLP endpoint when <see cref="Exporter"/> is <c>Otlp</c>, e.g. http://127.0.0.1:4317 (gRPC).</summary>
    public string OtlpEndpoint { get; set; } = "";
}

/// <summary>The local telemetry exporters.</summary>
public enum TelemetryExporter
{
    /// <summary>Spans and metrics are collected but not exported.</summary>
    None,
    /// <summary>Printed to standard output.</summary>
    Console,
    /// <summary>Sent to an OpenTelemetry collector.</summary>
    Otlp,
}

/// <summary>OpenTelemetry traces, metrics and logs: Azure Monitor in Azure, console or OTLP locally.</summary>
public static class TelemetrySetup
{
    /// <summary>The platform setting that switches the Azure Monitor exporter on (set by the infrastructure).</summary>
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    internal static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.Configure<TelemetryOptions>(config.GetSection("Telemetry"));
        var options = config.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var appInsights = config[AppInsightsSetting];

        // The Azure SDK's storage spans (dependencies in Application Insights) are behind this switch.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var otel = builder.Services.AddOpenTelemetry();
        // In the isolated worker only: the worker's own spans (function invocations), the Functions
        // resource attributes (cloud.*, the site's resource id) and the capability that tells the
        // Functions host the worker exports its own telemetry, so the host does not send it twice. The
        // development host (src/DevHost) is plain ASP.NET Core with no Functions host to tell and no
        // worker spans; there these attributes would claim an Azure Functions site that is not there.
        // The builder's type says where we run (FunctionsApplication.CreateBuilder makes a
        // FunctionsApplicationBuilder), so no caller of AddFuncRegistry has to pass it.
        if (builder is FunctionsApplicationBuilder)
            otel.UseFunctionsWorkerDefaults();
        // After the worker defaults: resources merge in order and the later wins, so the service is
        // "funcregistry" (the cloud role in Application Insights) rather than the site's name.
        otel.ConfigureResource(r => r.AddService("funcregistry", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t
                .AddSource(RegistryTelemetry.Name, "Azure.*")
                .AddProcessor(new ApplicationIdProcessor())
                // Health probes are noise; query strings are redacted by the instrumentation (they can hold ID numbers).
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/api/health"))
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter(RegistryTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging(_ => { }, o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });

        if (!string.IsNullOrEmpty(appInsights))
        {
            // Local authentication is off on the Application Insights resource: ingestion uses the managed identity.
            otel.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = appInsights;
                o.Credential = new DefaultAzureCredential();
            });
        }
        else if (options.Exporter == TelemetryExporter.Otlp && Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            otel.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, endpoint);
        }
        else if (options.Exporter == TelemetryExporter.Console)
        {
            otel.WithTracing(t => t.AddConsoleExporter())
                .WithMetrics(m => m.AddConsoleExporter())
                .WithLogging(l => l.AddConsoleExporter());
        }
    }
}

/// <summary>Rules of the <c>Telemetry</c> section that span two settings.</summary>
internal sealed class TelemetrySettingsRules(IHostEnvironment e, SettingsCatalog c, IServiceProvider p) : SettingsRules<TelemetryOptions>(e, c, p)
{
    protected override IEnumerable<ValidationResult> Check(TelemetryOptions o, IHostEnvironment environment)
    {
        if (o.Exporter == TelemetryExporter.Otlp && !Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _))
            yield return new("must be an absolute URI such as http://127.0.0.1:4317 when Telemetry__Exporter is Otlp", [nameof(o.OtlpEndpoint)]);
    }
}
