using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FuncRegistry.Deploy.Tests;

/// <summary>
/// infra/ compiles and passes the linter with the Bicep CLI restored from NuGet, warnings
/// counted as failures (infra/bicepconfig.json raises the rules to errors as well).
/// </summary>
public sealed class BicepTests
{
    private static string Infra => Path.Combine(Repository.Root, "infra");

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(Repository.Root, "infra"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Path.Combine(Repository.Root, "infra"), f));
        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Bicep_file_builds_and_lints_without_a_warning(string file)
    {
        foreach (var command in new[] { "build", "lint" })
        {
            string[] arguments = command == "build" ? ["build", file, "--stdout"] : ["lint", file];
            var (exit, output) = Repository.Run(Repository.Bicep, arguments, Infra, TimeSpan.FromMinutes(2));
            var diagnostics = output.Split('\n').Where(l => l.Contains(" : Warning ", StringComparison.Ordinal) || l.Contains(" : Error ", StringComparison.Ordinal)).ToList();
            Assert.True(exit == 0 && diagnostics.Count == 0, $"bicep {command} {file} (exit {exit}):\n{string.Join('\n', diagnostics.DefaultIfEmpty(output))}");
        }
    }

    [Fact]
    public void Parameters_file_names_only_parameters_of_main_and_every_required_one()
    {
        var (exit, output) = Repository.Run(Repository.Bicep, ["build", "main.bicep", "--stdout"], Infra, TimeSpan.FromMinutes(2));
        Assert.Equal(0, exit);
        var declared = JsonNode.Parse(output)!["parameters"]!.AsObject();
        var given = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        foreach (var (name, _) in given)
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");
        foreach (var (name, definition) in declared)
            Assert.True(definition!.AsObject().ContainsKey("defaultValue") || given.ContainsKey(name), $"main.bicep's required parameter {name} is missing from main.parameters.json");
    }

    [Fact]
    public void Every_app_setting_the_template_sets_for_the_handler_is_in_the_settings_contract()
    {
        // Section__Key settings are the handler's; AzureWebJobsStorage__* is the host's. A typo here
        // would be a setting nobody reads, and the app's default would silently apply.
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "local.settings.sample.json")))!["Values"]!.AsObject()
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var set = Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"^\s*([A-Z][A-Za-z0-9]*(?:__[A-Za-z0-9]+)+)\s*:", RegexOptions.Multiline))
            .Select(m => m.Groups[1].Value)
            .Where(k => !k.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.Contains("Storage__TableEndpoint", set);
        var unknown = set.Where(k => !sample.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, "app settings in infra/ that local.settings.sample.json does not list: " + string.Join(", ", unknown));
    }

    /// <summary>Storage roles by id: what the host and the Durable task hub need, as data roles only.</summary>
    private static readonly Dictionary<string, string> StorageDataRoles = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner (host leases and keys; includes the Blob Data Contributor the task hub asks for)",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor (task hub control and work-item queues, the app's queues)",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor (task hub history and instances, the app's tables)",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_app_reaches_its_storage_and_the_durable_task_hub_by_identity_with_no_key_or_connection_string(bool azureChina)
    {
        var deployment = Snapshot.Of(azureChina);
        var (app, identity, storage) = (deployment.App, deployment.AppIdentity, deployment.StorageAccount);
        var settings = deployment.AppSettings;

        // The host's connection (which Durable Functions uses for its task hub): identity, clientId, one URI per service.
        Assert.Equal("managedidentity", settings.GetValueOrDefault("AzureWebJobsStorage__credential"));
        Assert.Equal(Reference(identity, "clientId"), Expression(settings.GetValueOrDefault("AzureWebJobsStorage__clientId")));
        foreach (var service in new[] { "blob", "queue", "table" })
            Assert.Equal(Reference(storage, $"primaryEndpoints.{service}"), Expression(settings.GetValueOrDefault($"AzureWebJobsStorage__{service}ServiceUri")));
        Assert.Equal("funcregistry", settings.GetValueOrDefault("DurableTaskHubName"));
        Assert.Equal("", settings.GetValueOrDefault("Storage__ConnectionString"));

        // No key, SAS or connection string under any name; the host's Azure Files share would need one.
        string[] keyedNames = ["AzureWebJobsStorage", "AzureWebJobsDashboard", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE"];
        var keyed = settings.Keys.Where(k => keyedNames.Contains(k) || (k.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal)
            && !k.EndsWith("ServiceUri", StringComparison.Ordinal) && k is not ("AzureWebJobsStorage__credential" or "AzureWebJobsStorage__clientId"))).ToList();
        Assert.True(keyed.Count == 0, "app settings that take a storage key or connection string: " + string.Join(", ", keyed));
        string[] secrets = ["AccountKey=", "SharedAccessSignature=", "sig=", "DefaultEndpointsProtocol", "UseDevelopmentStorage", "listKeys(", "listAccountSas(", "listServiceSas("];
        var leaks = settings.Where(s => secrets.Any(f => s.Value.Contains(f, StringComparison.OrdinalIgnoreCase))).Select(s => s.Key).ToList();
        Assert.True(leaks.Count == 0, "app settings that carry a storage key or SAS: " + string.Join(", ", leaks));
        // Application Insights' connection string holds no secret (local auth is off, ingestion is by identity); any other must be empty.
        var connectionStrings = settings.Where(s => s.Key.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase)
            && s.Key != "APPLICATIONINSIGHTS_CONNECTION_STRING" && s.Value.Length > 0).Select(s => s.Key).ToList();
        Assert.True(connectionStrings.Count == 0, "connection strings in the app settings: " + string.Join(", ", connectionStrings));
        Assert.DoesNotMatch(@"list(Keys|AccountSas|ServiceSas)\(", deployment.Json);
        Assert.Equal("false", storage["properties"]!["allowSharedKeyAccess"]!.ToJsonString());

        // The package is read with the same identity: Flex's deployment container, or Elastic Premium's run-from-package blob.
        if (azureChina)
            Assert.Equal(Id(identity), settings.GetValueOrDefault("WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"));
        else
        {
            var authentication = app["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
            Assert.Equal("UserAssignedIdentity", (string?)authentication["type"]);
            Assert.Equal(Id(identity), (string?)authentication["userAssignedIdentityResourceId"]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_app_identity_holds_the_three_storage_data_roles_and_no_other_role_on_the_account(bool azureChina)
    {
        var deployment = Snapshot.Of(azureChina);
        var onStorage = deployment.Resources
            .Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments"
                && Id(r).StartsWith(Id(deployment.StorageAccount) + "/providers/Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.All(onStorage, r =>
        {
            Assert.Equal(Reference(deployment.AppIdentity, "principalId"), Expression((string?)r["properties"]!["principalId"]));
            Assert.Equal("ServicePrincipal", (string?)r["properties"]!["principalType"]);
        });
        var roles = onStorage.Select(r => ((string)r["properties"]!["roleDefinitionId"]!).Split('/')[^1]).ToList();
        var missing = StorageDataRoles.Where(role => !roles.Contains(role.Key)).Select(role => role.Value).ToList();
        var other = roles.Where(role => !StorageDataRoles.ContainsKey(role)).ToList();
        Assert.True(missing.Count == 0, "the app's identity lacks on the storage account: " + string.Join("; ", missing));
        Assert.True(other.Count == 0, "roles on the storage account beyond the three data roles: " + string.Join(", ", other));
        Assert.Equal(roles.Count, roles.Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_portal_is_a_static_website_in_its_own_keyless_account_and_the_app_allows_only_its_origins_by_CORS(bool azureChina)
    {
        var deployment = Snapshot.Of(azureChina);
        var portal = deployment.PortalStorageAccount;
        var properties = portal["properties"]!;
        Assert.Equal("false", properties["allowSharedKeyAccess"]!.ToJsonString());
        Assert.Equal("false", properties["allowBlobPublicAccess"]!.ToJsonString()); // the web endpoint serves $web anyway; no container is public
        Assert.Equal("true", properties["supportsHttpsTrafficOnly"]!.ToJsonString());
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);

        // CORS: the portal's web endpoint (as an origin: no trailing slash) and the extra origins given, no wildcard, no credentials.
        var cors = deployment.App["properties"]!["siteConfig"]!["cors"]!;
        // One ARM expression (union of the endpoint's origin and the extra ones), or a list when all are literals.
        var origins = cors["allowedOrigins"] is JsonValue expression ? (string)expression! : cors["allowedOrigins"]!.ToJsonString();
        Assert.Contains($"reference('{Id(portal)}', '{(string)portal["apiVersion"]!}').primaryEndpoints.web", origins);
        Assert.Contains("https://portal.example.cn", origins);
        Assert.DoesNotContain("'*'", origins);
        Assert.DoesNotContain("\"*\"", origins);
        Assert.Equal("false", cors["supportCredentials"]!.ToJsonString());

        // Who may write the portal's files: the deployer, to upload them; not the app's identity.
        var onPortal = deployment.Resources.Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments"
            && Id(r).StartsWith(Id(portal) + "/providers/Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase)).ToList();
        var assignment = Assert.Single(onPortal);
        Assert.Equal("00000000-0000-0000-0000-00000000d0d0", (string?)assignment["properties"]!["principalId"]);
        Assert.EndsWith("ba92f5b4-2d11-453d-a403-e96b0029c9fe", (string)assignment["properties"]!["roleDefinitionId"]!); // Storage Blob Data Contributor
    }

    /// <summary>A Key Vault secret version, as the snapshot's parameters give it.</summary>
    private const string PreviousCertificateKeyVersion = "3f9c2a7e5b1d4c8a9e6f0b2d7a4c1e58";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_previous_certificate_key_is_an_earlier_version_of_the_same_secret_and_the_current_key_its_latest(bool azureChina)
    {
        var settings = Snapshot.Of(azureChina).AppSettings;
        var (current, previous) = (settings["Certificates__VerificationKey"], settings["Certificates__PreviousVerificationKeys__0"]);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1})', ", current);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1})', ", previous);
        // Unversioned: a new value set in Key Vault becomes the key that makes codes (after a restart).
        Assert.EndsWith(".vaultUri, 'certificate-verification-key')]", current);
        Assert.EndsWith($".vaultUri, 'certificate-verification-key/{PreviousCertificateKeyVersion}')]", previous);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Certificates__PreviousVerificationKeys__1", StringComparison.Ordinal));
    }

    private static string Id(JsonNode resource) => (string)resource["id"]!;

    /// <summary>A reference to a deployed resource's property, as the snapshot leaves it: <c>reference('&lt;id&gt;', '&lt;api&gt;').clientId</c>.</summary>
    private static string Reference(JsonNode resource, string property) => $"reference('{Id(resource)}', '{(string)resource["apiVersion"]!}').{property}";

    /// <summary>The ARM expression a setting holds (<c>[…]</c>), or the value itself when it is a literal.</summary>
    private static string? Expression(string? value) => value is ['[', .. var inner, ']'] ? inner : value;

    /// <summary>
    /// What <c>main.bicep</c> deploys for one cloud variant, evaluated offline by <c>bicep snapshot</c> (no Azure
    /// account): parameters, variables, conditions and modules are resolved; a property only a deployment knows
    /// (an identity's clientId, a storage endpoint) stays an expression such as
    /// <c>[reference('/subscriptions/…/userAssignedIdentities/id-…', '2023-01-31').clientId]</c>.
    /// </summary>
    private sealed record Snapshot(string Json, IReadOnlyList<JsonNode> Resources)
    {
        private static readonly Dictionary<bool, Lazy<Snapshot>> Cache = new()
        {
            [false] = new(() => Create(azureChina: false)),
            [true] = new(() => Create(azureChina: true)),
        };

        public static Snapshot Of(bool azureChina) => Cache[azureChina].Value;

        public JsonNode App => Resources.Single(r => (string?)r["type"] == "Microsoft.Web/sites");

        /// <summary>The app's storage account (the other one is the portal's static website).</summary>
        public JsonNode StorageAccount => Resources.Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts" && r != PortalStorageAccount);

        /// <summary>The reference portal's static website account.</summary>
        public JsonNode PortalStorageAccount => Resources.Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts"
            && ((string)r["name"]!).StartsWith("stweb", StringComparison.Ordinal));

        /// <summary>The app's one user-assigned identity, which must be the template's one identity.</summary>
        public JsonNode AppIdentity
        {
            get
            {
                var assigned = App["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key).Single();
                var identity = Resources.Single(r => (string?)r["type"] == "Microsoft.ManagedIdentity/userAssignedIdentities");
                Assert.Equal(Id(identity), assigned);
                return identity;
            }
        }

        public Dictionary<string, string> AppSettings =>
            App["properties"]!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (string?)s!["value"] ?? "");

        private static Snapshot Create(bool azureChina)
        {
            var dir = Directory.CreateTempSubdirectory("bicep-snapshot-");
            try
            {
                // A .bicepparam names its template by a relative path.
                var main = Path.GetRelativePath(dir.FullName, Path.Combine(Infra, "main.bicep")).Replace('\\', '/');
                var location = azureChina ? "chinanorth3" : "eastasia";
                File.WriteAllText(Path.Combine(dir.FullName, "deploy.bicepparam"), $$"""
                    using '{{main}}'
                    param environmentName = 'funcregistry-test'
                    param location = '{{location}}'
                    param azureChina = {{(azureChina ? "true" : "false")}}
                    param principalId = '00000000-0000-0000-0000-00000000d0d0'
                    param authAuthority = 'https://login.example/tenant/v2.0'
                    param authAudience = 'api://funcregistry'
                    param aliyunTemplateCodes = {{(azureChina ? "{ CityReturned: 'SMS_1' }" : "{}")}}
                    param cityWebhookUrls = { '620100': 'https://hooks.example/620100' }
                    param portalOrigins = ['https://portal.example.cn']
                    param previousCertificateKeyVersions = ['{{PreviousCertificateKeyVersion}}']
                    """);
                var (exit, output) = Repository.Run(Repository.Bicep,
                    ["snapshot", "deploy.bicepparam", "--mode", "overwrite", "--location", location, "--deployment-name", "funcregistry",
                     "--subscription-id", "00000000-0000-0000-0000-0000000000aa", "--tenant-id", "00000000-0000-0000-0000-0000000000bb"],
                    dir.FullName, TimeSpan.FromMinutes(2));
                Assert.True(exit == 0, $"bicep snapshot (azureChina={azureChina}) exit {exit}:\n{output}");
                var json = File.ReadAllText(Path.Combine(dir.FullName, "deploy.snapshot.json"));
                var resources = JsonNode.Parse(json)!["predictedResources"]!.AsArray().Select(r => r!).ToList();
                return new Snapshot(json, resources);
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        }
    }

    [Fact]
    public void Lint_fails_on_a_warning()
    {
        // The check above would be worthless if the CLI stayed quiet: an unused parameter must be reported.
        var dir = Directory.CreateTempSubdirectory("bicep-lint-");
        try
        {
            File.Copy(Path.Combine(Infra, "bicepconfig.json"), Path.Combine(dir.FullName, "bicepconfig.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "probe.bicep"), "param unused string\n");
            var (exit, output) = Repository.Run(Repository.Bicep, ["lint", "probe.bicep"], dir.FullName, TimeSpan.FromMinutes(2));
            Assert.NotEqual(0, exit);
            Assert.Contains("no-unused-params", output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
