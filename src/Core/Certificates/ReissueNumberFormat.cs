using System.Text;

namespace FuncRegistry.Core.Certificates;

/// <summary>
/// How a province writes the number of a reissued certificate: a template with placeholders
/// (setting <c>Registry:ReissueNumberFormat</c>).
/// <list type="bullet">
/// <item><c>{applicationDigits}</c> (required): the 14 digits of the reissuing application's id
/// (SQ20261123000042 → 20261123000042). It makes the number unique and derived, not drawn, so
/// applying the approval twice issues the same certificate.</item>
/// <item><c>{year}</c>: the year of the application (its digits 1–4), e.g. 2026.</item>
/// <item><c>{prefix}</c>: the letters the replaced number starts with, as written
/// (甘建安C（2019）0012345 → 甘建安C; at most <see cref="MaxPrefixLength"/>).</item>
/// </list>
/// The rest is literal text and must itself be number characters. The default,
/// <c>BF{applicationDigits}</c>, gives BF20261123000042 (BF for 补发).
/// Examples: <c>{prefix}（{year}）{applicationDigits}</c> → 甘建安C（2026）20261123000042.
/// </summary>
public sealed class ReissueNumberFormat
{
    /// <summary>The default template: BF + the application's digits.</summary>
    public const string DefaultTemplate = "BF{applicationDigits}";

    /// <summary>Most letters <c>{prefix}</c> takes from the replaced number.</summary>
    public const int MaxPrefixLength = 16;

    private const string ApplicationDigits = "applicationDigits";
    private const string Year = "year";
    private const string Prefix = "prefix";

    /// <summary>The default format.</summary>
    public static ReissueNumberFormat Default { get; } = Parse(DefaultTemplate);

    private ReissueNumberFormat(string template) => Template = template;

    /// <summary>The template, e.g. <c>BF{applicationDigits}</c>.</summary>
    public string Template { get; }

    /// <summary>Reads a template; the error (English, for the operator at start-up) says what is wrong.</summary>
    public static bool TryParse(string? template, out ReissueNumberFormat? format, out string? error)
    {
        format = null;
        error = Check(template);
        if (error is not null) return false;
        format = new ReissueNumberFormat(template!);
        return true;
    }

    /// <summary>Reads a template known to be valid.</summary>
    public static ReissueNumberFormat Parse(string template) =>
        TryParse(template, out var format, out var error) ? format! : throw new ArgumentException(error, nameof(template));

    /// <summary>The number of the certificate that application <paramref name="applicationId"/> reissues in place of <paramref name="replacedNumber"/>.</summary>
    public string NumberFor(string applicationId, string replacedNumber) =>
        Fill(Template, applicationId[2..], applicationId[2..6], CertificateNumbers.LeadingLetters(replacedNumber, MaxPrefixLength));

    /// <summary>
    /// The number of the certificate line <paramref name="lineIndex"/> (1–999) of batch reissue <paramref name="applicationId"/>
    /// issues in place of <paramref name="replacedNumber"/>: <c>{applicationDigits}</c> is followed by the line's
    /// index in three digits (SQ20261123000042, line 2 → 20261123000042002). Distinct per line, and never a
    /// single reissue's number: those carry 14 digits in that place, a batch's 17, and the placeholders
    /// around them lend letters, not digits (<c>{prefix}</c>), or the same fixed text.
    /// </summary>
    public string NumberForLine(string applicationId, string replacedNumber, int lineIndex) =>
        lineIndex is < 1 or > 999 ? throw new ArgumentOutOfRangeException(nameof(lineIndex))
            : Fill(Template, applicationId[2..] + lineIndex.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), applicationId[2..6],
                CertificateNumbers.LeadingLetters(replacedNumber, MaxPrefixLength));

    /// <summary>The longest number this format can give (the longest prefix a replaced number can lend it): what limits are checked against.</summary>
    public string LongestNumber => Longest(Template);

    // A batch line's number (17 digits in the place of 14) is the longest.
    private static string Longest(string template) => Fill(template, new string('0', 17), "2026", new string('甲', MaxPrefixLength));

    private static string? Check(string? template)
    {
        if (string.IsNullOrWhiteSpace(template)) return $"is required, e.g. {DefaultTemplate}";
        if (template != template.Trim()) return "must not start or end with whitespace";
        var names = new List<string>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '}') return "has a '}' without its '{'";
            if (template[i] != '{') continue;
            var end = template.IndexOf('}', i);
            if (end < 0) return "has a '{' without its '}'";
            var name = template[(i + 1)..end];
            if (name is not (ApplicationDigits or Year or Prefix))
                return $"has an unknown placeholder {{{name}}}; use {{applicationDigits}}, {{year}} and {{prefix}}";
            names.Add(name);
            i = end;
        }
        if (names.Count(n => n == ApplicationDigits) != 1)
            return "must contain {applicationDigits} exactly once: it makes each reissued number unique";
        // The longest number the template can give must itself be a number.
        var longest = Longest(template);
        return CertificateNumbers.Problem(longest) is { } problem
            ? $"does not give a valid certificate number ({problem}; e.g. {longest})"
            : null;
    }

    private static string Fill(string template, string digits, string year, string prefix) => new StringBuilder(template)
        .Replace("{" + ApplicationDigits + "}", digits).Replace("{" + Year + "}", year).Replace("{" + Prefix + "}", prefix).ToString();
}
