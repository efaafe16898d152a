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
