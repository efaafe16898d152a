using FuncRegistry.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FuncRegistry.Deploy.Tests;

/// <summary>Tests that set process environment variables run alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// The worker's OpenTelemetry: in the isolated worker the Functions defaults apply (the worker's spans,
/// the Functions resource, the capability that stops the host sending the worker's telemetry twice);
/// on the development host's plain ASP.NET Core builder they do not. Either way the service is "funcregistry".
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class WorkerTelemetryTests
{
    // Settings that let AddFuncRegistry register its services; nothing is started or connected.
    private static readonly Dictionary<string, string?> Settings = new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" };

    // What App Service sets on a Functions site (the resource detector reads them).
    private static readonly Dictionary<string, string> Site = new()
    {
        ["WEBSITE_SITE_NAME"] = "func-telemetrytest",
        ["WEBSITE_RESOURCE_GROUP"] = "rg-telemetrytest",
        ["WEBSITE_OWNER_NAME"] = "00000000-0000-0000-0000-0000000000aa+rg-telemetrytest-EastAsiawebspace-Linux",
        ["REGION_NAME"] = "East Asia",
    };

    private static IReadOnlyDictionary<string, object> ResourceOf(IServiceProvider services) =>
        services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);

    private static T OnASite<T>(Func<T> run)
    {
        foreach (var (name, value) in Site) Environment.SetEnvironmentVariable(name, value);
        try
        {
            return run();
        }
        finally
        {
            foreach (var name in Site.Keys) Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void In_the_worker_the_functions_defaults_apply_and_the_service_is_still_funcregistry()
    {
        var (resource, capabilities) = OnASite(() =>
        {
            var builder = FunctionsApplication.CreateBuilder([]);
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.AddFuncRegistry();
            using var host = builder.Build();
            return (ResourceOf(host.Services), host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities);
        });

        Assert.Equal("azure_functions", resource.GetValueOrDefault("cloud.platform"));
        Assert.Equal("funcregistry", resource.GetValueOrDefault("service.name"));
        capabilities.TryGetValue("WorkerOpenTelemetryEnabled", out var workerExports);
        Assert.Equal("True", workerExports);
    }

    [Fact]
    public void On_the_development_host_the_functions_defaults_do_not_apply()
    {
        var resource = OnASite(() =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.AddFuncRegistry();
            using var app = builder.Build();
            return ResourceOf(app.Services);
        });

        Assert.False(resource.ContainsKey("cloud.platform"), "the development host is not a Functions worker");
        Assert.Equal("funcregistry", resource.GetValueOrDefault("service.name"));
    }
}
