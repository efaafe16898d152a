using UglyToad.PdfPig;
using UglyToad.PdfPig.Actions;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace FuncRegistry.Functions.Tests;

/// <summary>What a person reads off a PDF: its text (PdfPig), the QR codes it shows (ZXing) and where its links lead.</summary>
public sealed class PdfReading
{
    public required string Text { get; init; }
    public required IReadOnlyList<string> QrCodes { get; init; }
    public required IReadOnlyList<string> Links { get; init; }
    public required int Pages { get; init; }
    public required int Images { get; init; }

    public static PdfReading Of(byte[] pdf)
    {
        Assert.True(pdf.AsSpan().StartsWith("%PDF-"u8), "not a PDF");
        using var document = PdfDocument.Open(pdf);
        var text = new List<string>();
        var qr = new List<string>();
        var links = new List<string>();
        var images = 0;
        foreach (var page in document.GetPages())
        {
            text.Add(page.Text);
            foreach (var image in page.GetImages())
            {
                images++;
                if (Decode(image) is { } decoded) qr.Add(decoded);
            }
            links.AddRange(page.GetAnnotations().Select(a => a.Action).OfType<UriAction>().Select(a => a.Uri));
        }
        return new PdfReading { Text = string.Join("\n", text), QrCodes = qr, Links = links, Pages = document.NumberOfPages, Images = images };
    }

    /// <summary>
    /// A QR code drawn as a 1-bit image (one pixel per module), scaled up and read as a scanner would,
    /// in either polarity of its palette; null for any other image.
    /// </summary>
    private static string? Decode(UglyToad.PdfPig.Content.IPdfImage image)
    {
        if (image.BitsPerComponent != 1 || !image.TryGetBytesAsMemory(out var memory)) return null;
        var (w, h, bytes, scale) = (image.WidthInSamples, image.HeightInSamples, memory.ToArray(), 4);
        var stride = (w + 7) / 8;
        foreach (var dark in new[] { 0, 1 })
        {
            var luminance = new byte[w * scale * h * scale];
            for (var y = 0; y < h * scale; y++)
                for (var x = 0; x < w * scale; x++)
                {
                    var bit = (bytes[y / scale * stride + x / scale / 8] >> (7 - x / scale % 8)) & 1;
                    luminance[y * w * scale + x] = (byte)(bit == dark ? 0 : 255);
                }
            var source = new RGBLuminanceSource(luminance, w * scale, h * scale, RGBLuminanceSource.BitmapFormat.Gray8);
            var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true });
            if (result is not null) return result.Text;
        }
        return null;
    }
}
