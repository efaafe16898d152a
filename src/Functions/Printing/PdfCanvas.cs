using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace FuncRegistry.Functions.Printing;

/// <summary>Where a line of text sits against its x: its start, its middle or its end.</summary>
public enum TextAlign
{
    /// <summary>x is where the text starts.</summary>
    Left,
    /// <summary>x is the middle of the text.</summary>
    Center,
    /// <summary>x is where the text ends.</summary>
    Right,
}

/// <summary>
/// Drawing on one PDF page in points (1/72 inch), y downwards, text by its baseline: mixed Chinese
/// and Latin text in runs of the font that has them (<see cref="PdfFonts"/>), wrapped paragraphs,
/// boxes, images and QR codes. The layouts (certificate, application form) are written with it.
/// </summary>
public sealed class PdfCanvas : IDisposable
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private readonly Dictionary<(string, double, bool), XFont> _fonts = [];

    private PdfCanvas(PdfDocument document, PdfPage page)
    {
        Document = document;
        Page = page;
        Graphics = XGraphics.FromPdfPage(page);
    }

    /// <summary>The document drawn into.</summary>
    public PdfDocument Document { get; }

    /// <summary>The page drawn on.</summary>
    public PdfPage Page { get; }

    /// <summary>PDFsharp's graphics of the page, for what this class does not draw.</summary>
    public XGraphics Graphics { get; }

    /// <summary>Page width in points.</summary>
    public double Width => Page.Width.Point;

    /// <summary>Page height in points.</summary>
    public double Height => Page.Height.Point;

    /// <summary>A new A4 page of <paramref name="document"/> to draw on.</summary>
    public static PdfCanvas AddA4Page(PdfDocument document, bool landscape = false)
    {
        PdfFonts.Install();
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(landscape ? 297 : 210);
        page.Height = XUnit.FromMillimeter(landscape ? 210 : 297);
        return new PdfCanvas(document, page);
    }

    /// <summary>A new document with its metadata (PDFsharp's producer is its own).</summary>
    public static PdfDocument NewDocument(string title, string author)
    {
        PdfFonts.Install();
        var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Author = author;
        document.Info.Creator = "FuncRegistry";
        document.Options.CompressContentStreams = true;
        return document;
    }

    /// <summary>The document's bytes.</summary>
    public static byte[] Save(PdfDocument document)
    {
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    /// <summary>Points of a length in millimetres.</summary>
    public static double Mm(double millimetres) => XUnit.FromMillimeter(millimetres).Point;

    /// <summary>The width <paramref name="text"/> takes.</summary>
    public double Measure(string text, double size, bool bold = false) =>
        PdfFonts.Runs(text).Sum(r => Graphics.MeasureString(r.Text, Font(r.Family, size, bold)).Width);

    /// <summary>Draws one line of text with its baseline at <paramref name="y"/>; returns its width.</summary>
    public double Text(string text, double x, double y, double size, bool bold = false, XColor? color = null, TextAlign align = TextAlign.Left)
    {
        var width = Measure(text, size, bold);
        x -= align switch { TextAlign.Center => width / 2, TextAlign.Right => width, _ => 0 };
        var brush = new XSolidBrush(color ?? XColors.Black);
        foreach (var (run, family) in PdfFonts.Runs(text))
        {
            var font = Font(family, size, bold);
            Graphics.DrawString(run, font, brush, x, y);
            x += Graphics.MeasureString(run, font).Width;
        }
        return width;
    }

    /// <summary>
    /// Draws text wrapped to <paramref name="width"/> (Chinese breaks anywhere; a run of Latin letters
    /// and digits is kept whole where it fits), first baseline at <paramref name="y"/>. Returns the
    /// baseline after the last line.
    /// </summary>
    public double Paragraph(string text, double x, double y, double width, double size, double lineHeight, bool bold = false, XColor? color = null)
    {
        foreach (var line in Wrap(text, width, size, bold))
        {
            Text(line, x, y, size, bold, color);
            y += lineHeight;
        }
        return y;
    }

    /// <summary>The lines <paramref name="text"/> wraps into at <paramref name="width"/>.</summary>
    public IReadOnlyList<string> Wrap(string text, double width, double size, bool bold = false)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = "";
            var i = 0;
            while (i < paragraph.Length)
            {
                // The next piece: a word of Latin letters and digits, or one other character.
                var end = i + 1;
                if (char.IsAsciiLetterOrDigit(paragraph[i]))
                    while (end < paragraph.Length && char.IsAsciiLetterOrDigit(paragraph[end])) end++;
                var piece = paragraph[i..end];
                if (line.Length > 0 && Measure(line + piece, size, bold) > width)
                {
                    if (Measure(piece, size, bold) > width) // a word longer than the line: cut it
                        piece = paragraph[i..(end = i + 1)];
                    lines.Add(line.TrimEnd());
                    line = piece.TrimStart();
                }
                else line += piece;
                i = end;
            }
            lines.Add(line.TrimEnd());
        }
        return lines;
    }

    /// <summary>A rectangle's outline.</summary>
    public void Box(XRect rect, double lineWidth = 0.6, XColor? color = null) =>
        Graphics.DrawRectangle(new XPen(color ?? XColors.Black, lineWidth), rect);

    /// <summary>A filled rectangle.</summary>
    public void Fill(XRect rect, XColor color) => Graphics.DrawRectangle(new XSolidBrush(color), rect);

    /// <summary>A straight line.</summary>
    public void Line(double x1, double y1, double x2, double y2, double lineWidth = 0.6, XColor? color = null) =>
        Graphics.DrawLine(new XPen(color ?? XColors.Black, lineWidth), x1, y1, x2, y2);

    /// <summary>
    /// Draws an image (JPEG or PNG) fitted into <paramref name="rect"/>, centred, its proportions kept.
    /// False when the bytes are no image PDFsharp can read (a scan is judged by its first bytes only).
    /// </summary>
    public bool Image(byte[] bytes, XRect rect)
    {
        XImage image;
        try
        {
            image = XImage.FromStream(new MemoryStream(bytes));
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or IndexOutOfRangeException or IOException or FormatException)
        {
            return false;
        }
        using (image)
        {
            if (image.PixelWidth <= 0 || image.PixelHeight <= 0) return false;
            var scale = Math.Min(rect.Width / image.PixelWidth, rect.Height / image.PixelHeight);
            var (w, h) = (image.PixelWidth * scale, image.PixelHeight * scale);
            Graphics.DrawImage(image, rect.X + (rect.Width - w) / 2, rect.Y + (rect.Height - h) / 2, w, h);
        }
        return true;
    }

    /// <summary>
    /// A QR code of <paramref name="text"/> (error correction M) filling the square <paramref name="rect"/>,
    /// one image pixel per module, drawn without smoothing so that it stays sharp at any zoom and in print;
    /// with <paramref name="link"/>, the square is also a link to it.
    /// </summary>
    public void Qr(string text, XRect rect, string? link = null)
    {
        using var data = new QRCodeGenerator().CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(1, [0, 0, 0, 255], [255, 255, 255, 255], drawQuietZones: true);
        using var image = XImage.FromStream(new MemoryStream(png));
        image.Interpolate = false;
        Graphics.DrawImage(image, rect);
        if (link is not null)
            Page.AddWebLink(new PdfRectangle(new XRect(rect.X, Height - rect.Bottom, rect.Width, rect.Height)), link); // PDF's y runs upwards
    }

    private XFont Font(string family, double size, bool bold)
    {
        if (!_fonts.TryGetValue((family, size, bold), out var font))
            _fonts[(family, size, bold)] = font = new XFont(family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);
        return font;
    }

    /// <summary>Releases the page's graphics (the page stays in the document).</summary>
    public void Dispose() => Graphics.Dispose();
}
