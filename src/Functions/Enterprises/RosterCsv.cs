using System.Text;
using FuncRegistry.Core.Certificates;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>
/// The roster as a CSV file Excel opens as it is: UTF-8 with a byte-order mark (without one Excel
/// reads Chinese as the ANSI code page), a Chinese header row, CRLF line ends, fields quoted per
/// RFC 4180 when they hold a comma, a quote or a line break. A text cell starting with = + - or @
/// is prefixed with an apostrophe so that Excel shows it instead of running it as a formula
/// (OWASP "CSV injection"; names come from the register and from applications).
/// </summary>
public static class RosterCsv
{
    /// <summary>The media type of the export.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>The header row.</summary>
    public static readonly string[] Header = ["证书编号", "姓名", "岗位", "状态", "有效期至", "在办申请编号"];

    /// <summary>The file's bytes, BOM first.</summary>
    public static byte[] Write(IEnumerable<RosterItemView> items)
    {
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var i in items)
            Line(text, [i.Number, i.HolderName, Posts.Format(i.Post, i.Specialty), i.StatusText, i.ValidUntil.ToString("yyyy-MM-dd"), i.OpenApplicationId ?? ""]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (var f = 0; f < fields.Count; f++)
        {
            if (f > 0) text.Append(',');
            text.Append(Field(fields[f]));
        }
        text.Append("\r\n");
    }

    /// <summary>One cell: defused against formulas, then quoted when it must be.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
