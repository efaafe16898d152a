using System.Text.RegularExpressions;

namespace FuncRegistry.Deploy.Tests;

/// <summary>
/// The table layout has one owner, src/Functions/Storage, and it depends only on Core: features
/// (Applications, Reviews, Documents, Certificates, Admin, Workflow…) use Storage, never the other
/// way round, so a change of a feature cannot reach into how rows are written.
/// </summary>
public sealed partial class LayoutTests
{
    [GeneratedRegex(@"FuncRegistry\.Functions\.(?<folder>[A-Za-z]+)")]
    private static partial Regex FunctionsNamespace();

    [Fact]
    public void Storage_depends_on_nothing_of_the_app_but_itself_and_core()
    {
        var storage = Path.Combine(Repository.Root, "src", "Functions", "Storage");
        var files = Directory.GetFiles(storage, "*.cs");
        Assert.NotEmpty(files);
        var reaches = files
            .SelectMany(f => FunctionsNamespace().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Folder: m.Groups["folder"].Value)))
            .Where(r => r.Folder != "Storage")
            .Select(r => $"{r.File} → {r.Folder}")
            .Distinct().ToList();
        Assert.True(reaches.Count == 0, "Storage reaches into features:\n" + string.Join("\n", reaches));
    }

    [Fact]
    public void Every_function_of_the_app_is_a_file_of_its_own_named_after_it()
    {
        var root = Path.Combine(Repository.Root, "src", "Functions");
        var functions = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\[Function\(nameof\((?<name>\w+)\)\)\]").Select(m => (File: Path.GetFileNameWithoutExtension(f), Name: m.Groups["name"].Value)))
            .ToList();
        Assert.True(functions.Count > 30, $"only {functions.Count} functions found");
        Assert.All(functions, f => Assert.Equal(f.Name, f.File));
    }
}
