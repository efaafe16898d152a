using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Printing;
using PdfSharp.Drawing;

namespace FuncRegistry.Functions.Certificates;

/// <summary>
/// Everything an electronic certificate prints, and nothing else: one PDF serves the holder, the
/// employer and the reviewers alike, so the holder's ID number is masked on it and a name change's
/// endorsement reads 姓名变更 (the old name is not printed), as for anyone but the holder (PIPL).
/// The status is the register's (valid, cancelled, voided), not expiry, which the date shows.
/// </summary>
public sealed record CertificateSheet(
    string Number, string HolderName, string HolderIdNumber, string Post, string Employer, DateOnly IssuedOn, DateOnly ValidUntil,
    CertificateStatus Status, string? ReplacedBy, string? Replaces, IReadOnlyList<Endorsement> Endorsements,
    string Authority, string CheckCode, string VerifyUrl)
{
    /// <summary>Changes whenever the drawing changes, so that every certificate is drawn again.</summary>
    public const string Layout = "certificate/1";

    /// <summary>What a certificate of the register prints.</summary>
    public static CertificateSheet Of(Certificate c, CertificateLinks links) => new(
        c.Number, c.HolderName, Masking.IdNumber(c.HolderIdNumber), Posts.Format(c.Post, c.Specialty), c.Employer, c.IssuedOn, c.ValidUntil,
        c.Status == CertificateStatus.Expired ? CertificateStatus.Valid : c.Status, c.ReplacedBy, c.Replaces,
        c.Endorsements.Select(CertificateEffects.MaskedForOthers).ToList(), links.Authority, links.CheckCode(c.Number), links.VerifyUrl(c.Number));

    /// <summary>
    /// The version of the printed content (32 hex digits): equal sheets draw equal certificates, so a
    /// stored PDF of this version is the certificate as the register now says (ADR 0020).
    /// </summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { Layout, Sheet = this }, Json.Options)))[..32];
}

/// <summary>Draws the electronic certificate: A4 landscape, one page.</summary>
public static class CertificatePdf
{
    private static readonly XColor Red = XColor.FromArgb(0xA3, 0x1F, 0x1F);
    private static readonly XColor Grey = XColor.FromArgb(0x55, 0x55, 0x55);
    private const int MaxEndorsements = 7;

    /// <summary>The PDF of a certificate; <paramref name="photo"/>: the holder's 2-inch photo (JPEG or PNG), if any.</summary>
    public static byte[] Render(CertificateSheet sheet, byte[]? photo)
    {
        var document = PdfCanvas.NewDocument($"岗位证书 {sheet.Number}", sheet.Authority);
        document.Info.Subject = "建设工程施工现场专业人员岗位证书（电子证书）";
        using (var page = PdfCanvas.AddA4Page(document, landscape: true))
        {
            Frame(page);
            Heading(page, sheet);
            Photo(page, photo, new XRect(62, 140, PdfCanvas.Mm(35), PdfCanvas.Mm(49)));
            Fields(page, sheet, 190, 158);
            Verification(page, sheet, 640);
            Endorsements(page, sheet.Endorsements, 62, 372, 580);
            page.Text("证书真伪及当前状态请扫描二维码或凭证书编号与校验码查验。", page.Width / 2, page.Height - 42, 9, color: Grey, align: TextAlign.Center);
            if (sheet.Status != CertificateStatus.Valid) StatusMark(page, sheet);
        }
        return PdfCanvas.Save(document);
    }

    private static void Frame(PdfCanvas page)
    {
        page.Box(new XRect(20, 20, page.Width - 40, page.Height - 40), 2.2, Red);
        page.Box(new XRect(27, 27, page.Width - 54, page.Height - 54), 0.6, Red);
    }

    private static void Heading(PdfCanvas page, CertificateSheet sheet)
    {
        page.Text("建设工程施工现场专业人员岗位证书", page.Width / 2, 82, 26, bold: true, color: Red, align: TextAlign.Center);
        page.Text("电 子 证 书", page.Width / 2, 108, 12, color: Grey, align: TextAlign.Center);
    }

    private static void Photo(PdfCanvas page, byte[]? photo, XRect box)
    {
        if (photo is null || !page.Image(photo, box))
        {
            page.Box(box, 0.6, Grey);
            page.Text("照片", box.X + box.Width / 2, box.Y + box.Height / 2 + 4, 11, color: Grey, align: TextAlign.Center);
        }
    }

    private static void Fields(PdfCanvas page, CertificateSheet sheet, double x, double y)
    {
        (string, string)[] fields =
        [
            ("姓　　名", sheet.HolderName), ("身份证号", sheet.HolderIdNumber), ("岗　　位", sheet.Post), ("工作单位", sheet.Employer),
            ("证书编号", sheet.Number), ("发证日期", Date(sheet.IssuedOn)), ("有效期至", Date(sheet.ValidUntil)), ("发证机关", sheet.Authority),
        ];
        foreach (var (label, value) in fields)
        {
            page.Text(label, x, y, 12, color: Grey);
            page.Text(value, x + 72, y, 13, bold: label == "姓　　名" || label == "证书编号");
            page.Line(x + 70, y + 5, x + 430, y + 5, 0.3, Grey);
            y += 26;
        }
    }

    private static void Verification(PdfCanvas page, CertificateSheet sheet, double x)
    {
        var size = PdfCanvas.Mm(44);
        page.Qr(sheet.VerifyUrl, new XRect(x, 134, size, size), link: sheet.VerifyUrl);
        var middle = x + size / 2;
        page.Text("扫码查验", middle, 134 + size + 14, 11, color: Grey, align: TextAlign.Center);
        page.Text("校验码", middle, 134 + size + 34, 10, color: Grey, align: TextAlign.Center);
        page.Text(CheckCodes.Display(sheet.CheckCode), middle, 134 + size + 52, 14, bold: true, align: TextAlign.Center);
    }

    private static void Endorsements(PdfCanvas page, IReadOnlyList<Endorsement> endorsements, double x, double y, double width)
    {
        page.Text("签注记录", x, y, 12, bold: true, color: Red);
        page.Line(x, y + 6, x + width + 120, y + 6, 0.6, Red);
        y += 24;
        if (endorsements.Count == 0)
        {
            page.Text("无", x, y, 10, color: Grey);
            return;
        }
        var shown = endorsements.TakeLast(MaxEndorsements).ToList();
        if (shown.Count < endorsements.Count)
        {
            page.Text($"（共 {endorsements.Count} 条，以下为最近 {shown.Count} 条）", x, y, 9, color: Grey);
            y += 16;
        }
        foreach (var e in shown)
        {
            page.Text(Date(e.On), x, y, 10);
            y = page.Paragraph(e.Text, x + 100, y, width + 20, 10, 15);
        }
    }

    private static void StatusMark(PdfCanvas page, CertificateSheet sheet)
    {
        var (mark, note) = sheet.Status == CertificateStatus.Voided
            ? ("已作废", sheet.ReplacedBy is { } by ? $"本证书已作废，由证书 {by} 替代" : "本证书已作废")
            : ("已注销", "本证书已注销");
        page.Text(note, page.Width / 2, 128, 12, bold: true, color: Red, align: TextAlign.Center);
        var g = page.Graphics;
        var state = g.Save();
        g.RotateAtTransform(-20, new XPoint(page.Width / 2, page.Height / 2));
        page.Text(mark, page.Width / 2, page.Height / 2 + 30, 110, bold: true, color: XColor.FromArgb(70, 0xC0, 0x10, 0x10), align: TextAlign.Center);
        g.Restore(state);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}
