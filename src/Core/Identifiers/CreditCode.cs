namespace FuncRegistry.Core.Identifiers;

/// <summary>
/// A Unified Social Credit Code (GB 32100). Codes from the early pilot years can fail the
/// check character yet be legally valid, so a bad check character is a warning
/// (<see cref="CheckCharacterMatches"/> is false), never a refusal.
/// </summary>
public sealed record CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private CreditCode(string value, bool checkCharacterMatches)
    {
        Value = value;
        CheckCharacterMatches = checkCharacterMatches;
    }

    /// <summary>The normalised code (upper case).</summary>
    public string Value { get; }

    /// <summary>False when the 18th character is not the computed check character.</summary>
    public bool CheckCharacterMatches { get; }

    /// <summary>Parses 18 characters from the GB 32100 alphabet.</summary>
    public static bool TryParse(string? text, out CreditCode? code)
    {
        code = null;
        if (text is null || text.Length != 18) return false;
        var value = text.ToUpperInvariant();
        foreach (var c in value)
            if (!Alphabet.Contains(c)) return false;
        code = new CreditCode(value, CheckCharacterFor(value.AsSpan(0, 17)) == value[17]);
        return true;
    }

    /// <summary>Computes the check character of a 17-character body.</summary>
    public static char CheckCharacterFor(ReadOnlySpan<char> body17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(body17[i]) * Weights[i];
        var check = 31 - sum % 31;
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
