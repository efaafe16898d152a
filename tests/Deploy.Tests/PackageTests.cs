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
/// What ./publish.sh ships is an isolated-worker Functions app the Functions host can run:
/// host.json without a custom handler, the worker's executable and its worker.config.json,
/// functions.metadata naming every function, extensions.json with the extensions the bindings
/// need in .azurefunctions/, no local settings. And one route table: the functions in
/// functions.metadata are exactly those the development host maps, and each HTTP function is an
/// operation of the OpenAPI document.
/// </summary>
public sealed class PackageTests(PublishedPackage package) : IClassFixture<PublishedPackage>
{
    private JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "functions.metadata")))!.AsArray();

    [Fact]
    public void Host_json_is_an_isolated_app_with_unprefixed_http_routes()
    {
        var host = package.Json("host.json");
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]); // an isolated .NET app brings its extensions (extensions.json), it uses no bundle
        Assert.Equal("", (string?)host["extensions"]!["http"]!["routePrefix"]);
        Assert.False(File.Exists(Path.Combine(package.Root, "local.settings.json")), "local settings must never be deployed");
        Assert.False(File.Exists(Path.Combine(package.Root, "appsettings.Development.json")), "Development settings must never be deployed");
    }

    [Fact]
    public void The_worker_the_host_starts_is_in_the_package()
    {
        var worker = package.Json("worker.config.json")["description"]!;
        Assert.Equal("dotnet-isolated", (string?)worker["language"]);
        var entry = (string?)worker["defaultWorkerPath"];
        Assert.Equal("FuncRegistry.Functions.dll", entry);
        foreach (var file in new[] { entry!, "FuncRegistry.Functions.runtimeconfig.json", "FuncRegistry.Functions.deps.json", "FuncRegistry.Core.dll", "appsettings.json", "functions.metadata", "extensions.json" })
            Assert.True(File.Exists(Path.Combine(package.Root, file)), $"{file} is missing from the package");
    }

    [Fact]
    public void Every_extension_the_bindings_need_is_in_the_package()
    {
        var extensions = package.Json("extensions.json")["extensions"]!.AsArray();
        Assert.NotEmpty(extensions);
        foreach (var extension in extensions)
        {
            var hint = ((string)extension!["hintPath"]!).Replace('\\', '/');
            Assert.True(File.Exists(Path.Combine(package.Root, hint)), $"{extension["name"]}: {hint} is missing from the package");
        }
        // HTTP and timer triggers are built into the host; what else the bindings need is listed (FunctionMetadataLoader always).
        Assert.Contains(extensions, e => ((string)e!["name"]!) == "Startup");
    }

    [Fact]
    public void Every_function_has_one_trigger_and_http_functions_are_anonymous_with_a_route()
    {
        foreach (var function in Metadata())
        {
            var name = (string)function!["name"]!;
            Assert.Equal("dotnet-isolated", (string?)function["language"]);
            var bindings = function["bindings"]!.AsArray();
            var trigger = Assert.Single(bindings, b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal));
            switch ((string)trigger!["type"]!)
            {
                case "httpTrigger":
                    // The app authenticates every request itself (tokens, review links): no function keys.
                    Assert.Equal("anonymous", ((string?)trigger["authLevel"])?.ToLowerInvariant());
                    Assert.False(string.IsNullOrEmpty((string?)trigger["route"]), $"{name}: no route");
                    break;
                case "timerTrigger":
                    var schedule = (string?)trigger["schedule"] ?? "";
                    Assert.True(schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6, $"{name}: timer schedule '{schedule}' is not a six-field NCRONTAB expression");
                    break;
            }
        }
    }

    [Fact]
    public void The_development_host_maps_exactly_the_functions_of_the_package_and_each_operation_is_in_the_openapi_document()
    {
        static string Http(JsonNode trigger) =>
            string.Join(",", trigger["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()).Order()) + " /" + (string)trigger["route"]!;
        var packaged = Metadata().ToDictionary(f => (string)f!["name"]!, f =>
        {
            var trigger = f!["bindings"]!.AsArray().Single(b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!;
            return (string)trigger["type"]! == "httpTrigger" ? Http(trigger) : (string)trigger["type"]!;
        });
        var mapped = FuncRegistry.DevHost.FunctionCatalog.Discover(typeof(FuncRegistryApp).Assembly).ToDictionary(f => f.Name, f =>
            f.Route is null ? char.ToLowerInvariant(f.Trigger.GetType().Name[0]) + f.Trigger.GetType().Name[1..].Replace("Attribute", "")
                : string.Join(",", f.Methods.Order()) + " /" + f.Route);
        Assert.Equal(packaged.OrderBy(p => p.Key, StringComparer.Ordinal), mapped.OrderBy(p => p.Key, StringComparer.Ordinal));

        // Each HTTP function but the document and its reference is the operation of its name in docs/openapi.json.
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "docs", "openapi.json")))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => ((string)o.Value!["operationId"]!, $"{o.Key.ToUpperInvariant()} {p.Key}")))
            .ToDictionary(o => o.Item1, o => o.Item2);
        var http = packaged.Where(p => p.Value.Contains(' ') && p.Key is not ("GetOpenApiDocument" or "ApiReference")).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(operations.OrderBy(o => o.Key, StringComparer.Ordinal), http.OrderBy(o => o.Key, StringComparer.Ordinal));
    }
}
