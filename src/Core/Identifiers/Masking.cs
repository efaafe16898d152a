namespace FuncRegistry.Core.Identifiers;

/// <summary>
/// How personal data (PIPL sensitive personal information) is shown to anyone but its owner
/// and the reviewers handling it, and how it is written to logs: never in full.
/// </summary>
public static class Masking
{
    /// <summary>6201**********1234: first four and last four characters.</summary>
    public static string IdNumber(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= 8 ? new string('*', value.Length) : value[..4] + new string('*', value.Length - 8) + value[^4..];

    /// <summary>138****5678.</summary>
    public static string Phone(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Length < 7 ? new string('*', value.Length) : value[..3] + new string('*', value.Length - 7) + value[^4..];

    /// <summary>张*, 欧阳** : the family name's first character and stars.</summary>
    public static string Name(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value[..1] + new string('*', Math.Max(1, value.Length - 1));
}
