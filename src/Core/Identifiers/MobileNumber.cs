namespace FuncRegistry.Core.Identifiers;

/// <summary>A mainland mobile number: 11 digits, <c>1[3-9]</c> then 9 digits; an optional +86 prefix is dropped.</summary>
public sealed record MobileNumber
{
    private MobileNumber(string value) => Value = value;

    /// <summary>The 11 national digits.</summary>
    public string Value { get; }

    /// <summary>The number in E.164 form (+86…), as international gateways want it.</summary>
    public string E164 => "+86" + Value;

    /// <summary>Parses a number with or without +86.</summary>
    public static bool TryParse(string? text, out MobileNumber? number)
    {
        number = null;
        if (text is null) return false;
        var value = text.StartsWith("+86", StringComparison.Ordinal) ? text[3..] : text;
        if (value.Length != 11 || value[0] != '1' || value[1] < '3' || value[1] > '9') return false;
        foreach (var c in value)
            if (!char.IsAsciiDigit(c)) return false;
        number = new MobileNumber(value);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
