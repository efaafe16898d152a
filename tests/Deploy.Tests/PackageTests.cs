using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncRegistry.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace FuncRegistry.Deploy.Tests;

/// <summary>Runs ./publish.sh once for the test class and unpacks the zip it writes.</summary>
public sealed class PublishedPackage : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "funcregistry-package-" + Guid.NewGuid().ToString("N")[..8]);

    public PublishedPackage()
    {
        var zip = Path.Combine(Directory, "functions.zip");
        var (exit, output) = Repository.Run(Path.Combine(Repository.Root, "publish.sh"), [zip], Repository.Root, TimeSpan.FromMinutes(8));
        if (exit != 0) throw new InvalidOperationException($"publish.sh failed ({exit}):\n{output}");
        ZipFile.ExtractToDirectory(zip, Path.Combine(Directory, "root"));
    }

    /// <summary>The root of the deployed package.</summary>
    public string Root => Path.Combine(Directory, "root");

    public JsonObject Json(string relativePath) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, relativePath)))!.AsObject();

    /// <summary>The function folders in the package: every top-level folder with a function.json.</summary>
    public IReadOnlyList<(string Name, JsonObject Definition)> Functions() =>
        System.IO.Directory.GetDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => (Path.GetFileName(d), Json(Path.Combine(Path.GetFileName(d), "function.json"))))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// What ./publish.sh ships is what the Functions host can run: host.json starts the handler
/// that is in the zip, every function.json is valid, and every binding reaches a route the
/// handler serves in the shape the custom-handler protocol uses.
/// </summary>
public sealed class PackageTests(PublishedPackage package) : IClassFixture<PublishedPackage>
{
    private static readonly HashSet<string> KnownBindingTypes = new(StringComparer.Ordinal)
    {
        "httpTrigger", "http", "queueTrigger", "timerTrigger", "blobTrigger", "queue", "blob", "table",
    };

    [Fact]
    public void Host_json_starts_the_handler_that_is_in_the_package_and_forwards_http_unprefixed()
    {
        var host = package.Json("host.json");
        Assert.Equal("2.0", (string?)host["version"]);
        var description = host["customHandler"]!["description"]!;
        Assert.Equal("dotnet", (string?)description["defaultExecutablePath"]);
        var entry = Assert.Single(description["arguments"]!.AsArray());
        Assert.Equal("FuncRegistry.Functions.dll", (string?)entry);
        foreach (var file in new[] { "FuncRegistry.Functions.dll", "FuncRegistry.Functions.runtimeconfig.json", "FuncRegistry.Functions.deps.json", "FuncRegistry.Core.dll", "appsettings.json" })
            Assert.True(File.Exists(Path.Combine(package.Root, file)), $"{file} is missing from the package");
        Assert.True((bool?)host["customHandler"]!["enableForwardingHttpRequest"], "HTTP requests must be forwarded to the handler as they are");
        Assert.Equal("", (string?)host["extensions"]!["http"]!["routePrefix"]);
        // Queue and timer triggers come from the extension bundle (a custom handler has no NuGet extensions).
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)host["extensionBundle"]!["id"]);
        Assert.StartsWith("[4.", (string?)host["extensionBundle"]!["version"]);
        Assert.False(File.Exists(Path.Combine(package.Root, "local.settings.json")), "local settings must never be deployed");
    }

    [Fact]
    public void Every_function_folder_of_the_source_is_in_the_package_unchanged()
    {
        var source = Directory.GetDirectories(Path.Combine(Repository.Root, "src", "Functions"))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(source);
        Assert.Equal(source, package.Functions().Select(f => f.Name).ToList());
        foreach (var name in source)
            Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "src", "Functions", name, "function.json")),
                File.ReadAllText(Path.Combine(package.Root, name, "function.json")));
    }

    [Fact]
    public void Every_function_json_has_one_trigger_and_only_known_bindings()
    {
        foreach (var (name, definition) in package.Functions())
        {
            var bindings = definition["bindings"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"{name}: no bindings array");
            Assert.True(bindings.Count > 0, $"{name}: no bindings");
            foreach (var b in bindings)
            {
                var type = (string?)b!["type"];
                Assert.True(type is not null && KnownBindingTypes.Contains(type), $"{name}: unknown binding type {type}");
                Assert.Contains((string?)b["direction"], new[] { "in", "out" });
                Assert.False(string.IsNullOrEmpty((string?)b["name"]), $"{name}: a {type} binding has no name");
            }
            var trigger = Assert.Single(bindings, b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal("in", (string?)trigger!["direction"]);
            switch ((string)trigger["type"]!)
            {
                case "queueTrigger":
                    // A queue the handler writes (names as deployed: no prefix), on the storage the infrastructure gives the host.
                    Assert.Contains((string?)trigger["queueName"], DeployedQueueNames());
                    Assert.Equal("AzureWebJobsStorage", (string?)trigger["connection"]);
                    break;
                case "timerTrigger":
                    // NCRONTAB with seconds: six fields (or a %setting% reference).
                    var schedule = (string?)trigger["schedule"] ?? "";
                    Assert.True(schedule.StartsWith('%') || schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6,
                        $"{name}: timer schedule '{schedule}' is not a six-field NCRONTAB expression");
                    break;
            }
        }
    }

    [Fact]
    public void Http_functions_are_anonymous_forwarded_routes_and_together_reach_every_endpoint_of_the_handler()
    {
        var http = package.Functions().Where(f => IsHttp(f.Definition)).ToList();
        Assert.NotEmpty(http);
        var routes = new List<(string Function, string Prefix, HashSet<string>? Methods)>();
        foreach (var (name, definition) in http)
        {
            var bindings = definition["bindings"]!.AsArray();
            // Forwarding applies only to a function with exactly an HTTP trigger and an HTTP output.
            Assert.Equal(["httpTrigger", "http"], bindings.Select(b => (string)b!["type"]!).Order(StringComparer.Ordinal).Reverse().ToArray());
            var trigger = bindings.Single(b => (string)b!["type"]! == "httpTrigger")!;
            Assert.Equal("anonymous", (string?)trigger["authLevel"]);   // the handler authenticates every request itself
            var route = (string?)trigger["route"] ?? throw new Xunit.Sdk.XunitException($"{name}: no route");
            Assert.EndsWith("/{*route}", route);
            var methods = trigger["methods"]?.AsArray().Select(m => ((string)m!).ToUpperInvariant()).ToHashSet();
            routes.Add((name, route[..route.IndexOf('{')], methods));
        }

        var invocations = package.Functions().Where(f => !IsHttp(f.Definition)).Select(f => "/" + f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var endpoints = HandlerEndpoints().Where(e => !invocations.Contains(e.Route)).ToList();
        Assert.NotEmpty(endpoints);
        var unreachable = endpoints
            .Where(e => !routes.Any(r => e.Route.TrimStart('/').StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase)
                                         && (r.Methods is null || (e.Methods is not null && e.Methods.All(r.Methods.Contains)))))
            .Select(e => $"{string.Join(",", e.Methods ?? ["*"])} {e.Route}")
            .ToList();
        Assert.True(unreachable.Count == 0, "endpoints no HTTP function forwards to: " + string.Join("; ", unreachable));
        foreach (var r in routes)
            Assert.True(endpoints.Any(e => e.Route.TrimStart('/').StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase)),
                $"{r.Function} forwards {r.Prefix}* but the handler serves nothing there");
    }

    [Fact]
    public void Every_non_http_function_is_served_at_POST_its_name_with_the_invocation_payload_and_unreachable_from_outside()
    {
        var endpoints = HandlerEndpoints();
        var forwarded = package.Functions().Where(f => IsHttp(f.Definition))
            .Select(f => (string)f.Definition["bindings"]!.AsArray().Single(b => (string)b!["type"]! == "httpTrigger")!["route"]!)
            .Select(r => r[..r.IndexOf('{')]).ToList();
        foreach (var (name, _) in package.Functions().Where(f => !IsHttp(f.Definition)))
        {
            // Only the host may invoke it: no HTTP function forwards the outside world to it.
            Assert.DoesNotContain(forwarded, prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || prefix.Length == 0);
            // The host posts {Data, Metadata} to /{FunctionName} and reads {Outputs, Logs, ReturnValue}.
            var endpoint = endpoints.SingleOrDefault(e => string.Equals(e.Route, "/" + name, StringComparison.OrdinalIgnoreCase) && e.Methods?.Contains("POST") == true);
            Assert.True(endpoint is not null, $"{name}: the handler has no POST /{name} endpoint for the Functions host to invoke");
            if (endpoint.Accepts is { } request)
                Assert.True(HasProperties(request, "Data", "Metadata"), $"{name}: the request type {request.Name} lacks Data/Metadata");
            if (endpoint.Produces is { } response)
                Assert.True(HasProperties(response, "Outputs", "Logs", "ReturnValue"), $"{name}: the response type {response.Name} lacks Outputs/Logs/ReturnValue");
        }
    }

    private static IReadOnlyList<string> DeployedQueueNames()
    {
        var account = new FuncRegistry.Functions.Storage.StorageAccount(Microsoft.Extensions.Options.Options.Create(
            new FuncRegistry.Functions.Storage.StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }));
        return typeof(FuncRegistry.Functions.Storage.StorageAccount).GetProperties()
            .Where(p => p.PropertyType == typeof(Azure.Storage.Queues.QueueClient))
            .Select(p => ((Azure.Storage.Queues.QueueClient)p.GetValue(account)!).Name).ToList();
    }

    private static bool IsHttp(JsonObject definition) =>
        definition["bindings"]!.AsArray().Any(b => (string?)b!["type"] == "httpTrigger");

    private static bool HasProperties(Type type, params string[] names) =>
        names.All(n => type.GetProperty(n, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is not null);

    private sealed record HandlerEndpoint(string Route, IReadOnlyList<string>? Methods, Type? Accepts, Type? Produces);

    /// <summary>The handler's route table as deployed (Production), read from its endpoint data sources without starting it.</summary>
    private static List<HandlerEndpoint> HandlerEndpoints()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = typeof(FuncRegistryApp).Assembly.GetName().Name });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // What a deployment must set (the app refuses to build its pipeline without them).
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage:PersonalDataKeySecret"] = "a-deployment-personal-data-key-of-32-characters",
            ["Auth:Authority"] = "https://login.example.test/tenant/v2.0",
            ["Auth:Audience"] = "api://funcregistry",
            ["ReviewLinks:Keys:0:Id"] = "k1",
            ["ReviewLinks:Keys:0:Secret"] = "a-review-link-secret-of-at-least-32-characters",
            ["Sms:Gateway"] = "Acs",
            ["Sms:Acs:Endpoint"] = "https://acs.example.communication.azure.com",
            ["Sms:Acs:From"] = "+18005550100",
        });
        builder.AddFuncRegistry();
        var app = builder.Build();
        app.UseFuncRegistry();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => new HandlerEndpoint(
                "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList(),
                e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType,
                e.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().FirstOrDefault(p => p.StatusCode == 200)?.Type))
            .ToList();
    }
}
