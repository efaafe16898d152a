using System.Globalization;
using System.Text;

namespace FuncRegistry.Core.Certificates;

/// <summary>
/// Rules for certificate numbers (证书编号) as registers write them, e.g. <c>甘建安C（2019）0012345</c>,
/// <c>豫建安B(2018)0001234</c>, <c>鲁建安C2017000123</c>. A number is kept as written for display
/// and found by its <see cref="Key"/>: the one normalisation rule of the system (ADR 0011).
/// </summary>
public static class CertificateNumbers
{
    /// <summary>Most characters (Unicode scalar values) a number may have, written or normalised.</summary>
    public const int MaxLength = 64;

    /// <summary>The middle dot some registers write between parts (U+00B7).</summary>
    public const char MiddleDot = '·';

    /// <summary>
    /// The number as the register writes it: the text without surrounding whitespace (a CSV cell
    /// or a form field often carries a trailing full-width space). Nothing else is changed.
    /// </summary>
    public static string Written(string number) => number.Trim();

    /// <summary>
    /// The normalised form that identifies a number: NFKC's width folding (full-width letters, digits,
    /// parentheses and hyphen become their ASCII forms) then letters upper-cased, so <c>甘建安c（2019）0012345</c>
    /// and <c>甘建安C(2019)0012345</c> are one number. Idempotent. For a well-formed number it holds only
    /// letters, digits, marks, <c>-</c>, <c>(</c>, <c>)</c> and <c>·</c>: safe as a Table key as it is.
    /// </summary>
    /// <remarks>
    /// The app runs with InvariantGlobalization (no ICU), where <see cref="string.Normalize()"/> leaves
    /// non-ASCII text as it is; so the rule applies NFKC's mappings itself for the characters a number
    /// can carry: U+FF01–U+FF5E (full-width ASCII) → U+0021–U+007E and U+3000 (ideographic space) → space,
    /// exactly as NFKC maps them. Upper-casing is the invariant simple case mapping, which covers all of
    /// Unicode in that mode too.
    /// </remarks>
    public static string Key(string number)
    {
        var written = Written(number);
        var key = new StringBuilder(written.Length);
        foreach (var c in written)
            key.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            });
        return key.ToString().ToUpperInvariant();
    }

    /// <summary>True when two spellings are the same number (same <see cref="Key"/>).</summary>
    public static bool Same(string a, string b) => Key(a) == Key(b);

    /// <summary>True when <paramref name="number"/> can be a certificate number (see <see cref="Problem"/>).</summary>
    public static bool IsWellFormed(string? number) => Problem(number) is null;

    /// <summary>
    /// Why <paramref name="number"/> cannot be a certificate number, in Chinese for the user, or null
    /// when it can. A number is letters of any script (Chinese included), digits, <c>-</c>, half- or
    /// full-width parentheses and <c>·</c>, at most <see cref="MaxLength"/> characters. Anything else is
    /// refused: control and invisible characters, whitespace inside, the characters Table keys and URL
    /// paths cannot carry (<c>/ \ # ?</c>) and any other punctuation (quotes, <c>%</c>, …) — none occurs in a
    /// register, and refusing them keeps the normalised form usable as a storage key without escaping.
    /// </summary>
    public static string? Problem(string? number)
    {
        if (number is null || Written(number).Length == 0) return "证书编号不能为空";
        var written = Written(number);
        foreach (var rune in written.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for a lone surrogate half: text no register writes.
            if (rune == Rune.ReplacementChar) return "证书编号含有无效字符";
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                return "证书编号含有控制字符或不可见字符";
            if (Rune.IsWhiteSpace(rune)) return "证书编号中间不能有空格";
        }
        var key = Key(written);
        foreach (var rune in key.EnumerateRunes())
        {
            if (rune.Value is '/' or '\\' or '#' or '?') return $"证书编号不能含有“{rune}”（/ \\ # ? 不能用于证书编号）";
            if (!IsNumberCharacter(rune)) return $"证书编号含有不允许的字符“{rune}”（只能由文字、数字、-、括号和·组成）";
        }
        var length = Math.Max(RuneCount(written), RuneCount(key));
        return length > MaxLength ? $"证书编号过长（最多{MaxLength}个字符，实际{length}个）" : null;
    }

    /// <summary>The letters a number starts with (<c>甘建安C（2019）0012345</c> → <c>甘建安C</c>), as written, at most <paramref name="max"/>.</summary>
    public static string LeadingLetters(string number, int max)
    {
        var letters = new StringBuilder();
        var count = 0;
        foreach (var rune in Written(number).EnumerateRunes())
        {
            if (!Rune.IsLetter(rune) || count == max) break;
            letters.Append(rune.ToString());
            count++;
        }
        return letters.ToString();
    }

    private static bool IsNumberCharacter(Rune rune) =>
        Rune.IsLetterOrDigit(rune) || rune.Value is '-' or '(' or ')' or MiddleDot
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static int RuneCount(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}
