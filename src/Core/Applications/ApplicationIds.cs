namespace FuncRegistry.Core.Applications;

/// <summary>Application numbers: SQ + Beijing date + 6 digits, e.g. SQ20261123000042.</summary>
public static class ApplicationIds
{
    /// <summary>Makes an id from a time and a number below 1,000,000.</summary>
    public static string New(DateTimeOffset at, int sequence) =>
        $"SQ{ApplicationDecider.Today(at):yyyyMMdd}{sequence % 1_000_000:D6}";

    /// <summary>True for the shape of an application id (used to reject junk path values early).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 16 } && id.StartsWith("SQ", StringComparison.Ordinal) && id.AsSpan(2).IndexOfAnyExceptInRange('0', '9') < 0;
}
