namespace FuncRegistry.Core.Identifiers;

/// <summary>
/// A mainland resident ID number (GB 11643): 17 digits and a check character.
/// Only the province part of the area code is checked, because people keep numbers whose
/// district code was later retired.
/// </summary>
public sealed record ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    // GB/T 2260 province-level codes (first two digits), and 81/82/83 of the residence permits
    // of Hong Kong, Macao and Taiwan residents (numbered like resident ID cards).
    private static readonly HashSet<int> ProvinceCodes =
        [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
         50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83];

    private ResidentIdNumber(string value) => Value = value;

    /// <summary>The normalised number (upper-case X).</summary>
    public string Value { get; }

    /// <summary>Parses a number; <paramref name="today"/> bounds the birth date.</summary>
    public static bool TryParse(string? text, DateOnly today, out ResidentIdNumber? number)
    {
        number = null;
        if (text is null || text.Length != 18) return false;
        var value = text.ToUpperInvariant();
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(value[i])) return false;
        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X') return false;

        if (!ProvinceCodes.Contains(int.Parse(value.AsSpan(0, 2)))) return false;
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", out var birth) || birth > today) return false;

        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (value[i] - '0') * Weights[i];
        if (CheckCharacters[sum % 11] != value[17]) return false;

        number = new ResidentIdNumber(value);
        return true;
    }

    /// <summary>Computes the check character of a 17-digit body (used to generate demo data).</summary>
    public static char CheckCharacterFor(ReadOnlySpan<char> body17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (body17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
