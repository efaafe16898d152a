using System.Diagnostics;
using System.Reflection;

namespace FuncRegistry.Deploy.Tests;

/// <summary>Paths of the repository and tools, and running a command with a time limit.</summary>
public static class Repository
{
    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");

    /// <summary>The repository root (where publish.sh is).</summary>
    public static string Root => Metadata("RepositoryRoot");

    /// <summary>The Bicep CLI restored from NuGet with this project.</summary>
    public static string Bicep => Path.Combine(Metadata("BicepCli"), "tools", "bicep");

    /// <summary>Runs a command; returns exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {limit}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
