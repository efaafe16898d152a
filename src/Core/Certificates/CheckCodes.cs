using System.Security.Cryptography;
using System.Text;

namespace FuncRegistry.Core.Certificates;

/// <summary>
/// The check code (校验码) printed on an electronic certificate and asked for by its public
/// verification: without it a number alone verifies nothing, so numbers — which follow a pattern —
/// cannot be enumerated. It is a keyed HMAC-SHA256 of the number's <see cref="CertificateNumbers.Key"/>
/// (so every spelling of one number has one code, and a reissued certificate, a new number, a new
/// code), cut to <see cref="Length"/> characters of Crockford's base 32 (50 bits): digits and
/// capital letters without I, L, O and U, so that nothing read off paper is ambiguous. It is
/// printed in two groups, <c>7K3M9-QX2PA</c>.
/// </summary>
public static class CheckCodes
{
    /// <summary>Crockford's base-32 alphabet.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Characters of a code.</summary>
    public const int Length = 10;

    // Changing it changes every code under every key, current and previous: printed certificates would stop verifying.
    private const string Purpose = "funcregistry/certificate-check-code/v1\n";

    /// <summary>The code of a number under a key.</summary>
    public static string Compute(ReadOnlySpan<byte> key, string number)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Purpose + CertificateNumbers.Key(number)), mac);
        // The first 50 bits, 5 at a time.
        ulong bits = 0;
        for (var i = 0; i < 8; i++) bits = (bits << 8) | mac[i];
        var code = new char[Length];
        for (var i = 0; i < Length; i++) code[i] = Alphabet[(int)(bits >> (64 - 5 * (i + 1))) & 31];
        return new string(code);
    }

    /// <summary>
    /// A code as typed or read back: case, spaces and hyphens do not matter, and O, I and L are read
    /// as 0, 1 and 1 (Crockford's rule). Null when it cannot be a code.
    /// </summary>
    public static string? Normalise(string? code)
    {
        if (code is null || code.Length > 3 * Length) return null;
        var normal = new StringBuilder(Length);
        foreach (var c in code.ToUpperInvariant())
        {
            if (c is '-' or ' ') continue;
            var read = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
            if (!Alphabet.Contains(read)) return null;
            normal.Append(read);
        }
        return normal.Length == Length ? normal.ToString() : null;
    }

    /// <summary>Whether <paramref name="code"/> (as typed) is the code of <paramref name="number"/>; compared in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> key, string number, string? code) =>
        Normalise(code) is { } typed && IsCodeOf(key, number, Encoding.ASCII.GetBytes(typed));

    /// <summary>
    /// Whether <paramref name="code"/> (as typed) is the code of <paramref name="number"/> under any of
    /// <paramref name="keys"/>: the current key and the keys it replaced, whose codes are still on paper.
    /// Each is compared in constant time, and every key is tried, so the time taken does not tell which matched.
    /// </summary>
    public static bool Matches(IEnumerable<byte[]> keys, string number, string? code)
    {
        if (Normalise(code) is not { } typed) return false;
        var typedBytes = Encoding.ASCII.GetBytes(typed);
        var matched = false;
        foreach (var key in keys) matched |= IsCodeOf(key, number, typedBytes);
        return matched;
    }

    private static bool IsCodeOf(ReadOnlySpan<byte> key, string number, byte[] typed) =>
        CryptographicOperations.FixedTimeEquals(typed, Encoding.ASCII.GetBytes(Compute(key, number)));

    /// <summary>The printed form: two groups of five, <c>7K3M9-QX2PA</c>.</summary>
    public static string Display(string code) => code.Length == Length ? $"{code[..5]}-{code[5..]}" : code;
}
