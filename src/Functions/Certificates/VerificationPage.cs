using System.Net;
using System.Text;
using FuncRegistry.Core.Certificates;

namespace FuncRegistry.Functions.Certificates;

/// <summary>
/// The page a phone opens from a certificate's QR code: the same answer as the JSON, in Chinese, as
/// one self-contained HTML document (inline style, no script, nothing fetched). Every value is
/// HTML-encoded. The not-found page is one constant text, whatever was asked.
/// </summary>
public static class VerificationPage
{
    /// <summary>The page of a verified certificate.</summary>
    public static string Found(CertificateVerification v, string authority)
    {
        var valid = v.Status == CertificateStatus.Valid;
        var verdict = v.Status switch
        {
            CertificateStatus.Valid => "证书有效",
            CertificateStatus.Expired => "证书已过期",
            CertificateStatus.Cancelled => "证书已注销",
            _ => "证书已作废",
        };
        var rows = new StringBuilder();
        void Row(string label, string? value)
        {
            if (value is null) return;
            rows.Append("<tr><th>").Append(label).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>\n");
        }
        Row("证书编号", v.Number);
        Row("持证人", v.HolderName);
        Row("岗位", Posts.Format(v.Post, v.Specialty));
        Row("证书状态", v.StatusText);
        Row("有效期至", v.ValidUntil.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture));
        Row("替代证书", v.ReplacedBy);
        Row("发证机关", authority);
        return Page("证书查验结果", $"""
            <p class="verdict {(valid ? "ok" : "no")}">{verdict}</p>
            <table>
            {rows}</table>
            <p class="note">以上为登记机关证书库中的当前信息。持证人姓名已作部分隐藏。</p>
            """);
    }

    /// <summary>The page of anything that did not verify: an unknown number, a wrong code, a malformed request — all alike.</summary>
    public static string NotFound { get; } = Page("证书查验结果", """
        <p class="verdict no">未查到该证书</p>
        <p>证书编号或校验码不正确。请核对证书上的编号和校验码，或重新扫描证书上的二维码。</p>
        """);

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}}</title>
        <style>
        body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;padding:1.2em;color:#222;background:#f6f6f6}
        main{max-width:34em;margin:auto;background:#fff;border-top:4px solid #a31f1f;padding:1em 1.2em;border-radius:4px}
        h1{font-size:1.25em;margin:.2em 0 .8em}
        .verdict{font-size:1.4em;font-weight:bold;margin:.4em 0}.ok{color:#1a7f37}.no{color:#a31f1f}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5em .3em;border-bottom:1px solid #eee;vertical-align:top}
        th{color:#666;font-weight:normal;white-space:nowrap;width:6em}.note{color:#777;font-size:.85em}
        </style>
        </head>
        <body>
        <main>
        <h1>建设工程施工现场专业人员岗位证书 · 查验</h1>
        {{body}}
        </main>
        </body>
        </html>

        """;
}
