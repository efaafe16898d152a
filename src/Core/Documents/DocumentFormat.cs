namespace FuncRegistry.Core.Documents;

/// <summary>The file formats accepted, recognised by their content (magic bytes), never by name or declared type.</summary>
public enum DocumentFormat
{
    /// <summary>JPEG image (FF D8 FF).</summary>
    Jpeg,
    /// <summary>PNG image (89 50 4E 47 0D 0A 1A 0A).</summary>
    Png,
    /// <summary>PDF document (%PDF-).</summary>
    Pdf,
}

/// <summary>Recognising formats by content and naming them.</summary>
public static class DocumentFormats
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int SniffLength = 8;

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    /// <summary>The format the leading bytes of a file show, or null when it is none of the accepted ones.</summary>
    public static DocumentFormat? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith(JpegMagic) ? DocumentFormat.Jpeg
        : head.StartsWith(PngMagic) ? DocumentFormat.Png
        : head.StartsWith(PdfMagic) ? DocumentFormat.Pdf
        : null;

    /// <summary>The media type the document is served with.</summary>
    public static string ContentType(this DocumentFormat format) => format switch
    {
        DocumentFormat.Jpeg => "image/jpeg",
        DocumentFormat.Png => "image/png",
        _ => "application/pdf",
    };

    /// <summary>The Chinese name of a format, e.g. PNG图片.</summary>
    public static string Label(this DocumentFormat format) => format switch
    {
        DocumentFormat.Jpeg => "JPEG图片",
        DocumentFormat.Png => "PNG图片",
        _ => "PDF文件",
    };

    /// <summary>File-name extensions (lower case, without the dot) that name the format.</summary>
    public static IReadOnlyList<string> Extensions(this DocumentFormat format) => format switch
    {
        DocumentFormat.Jpeg => ["jpg", "jpeg", "jpe"],
        DocumentFormat.Png => ["png"],
        _ => ["pdf"],
    };

    /// <summary>The format a declared media type names (parameters ignored; common JPEG aliases accepted), or null.</summary>
    public static DocumentFormat? OfContentType(string? contentType) =>
        contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "image/jpeg" or "image/jpg" or "image/pjpeg" => DocumentFormat.Jpeg,
            "image/png" or "image/x-png" => DocumentFormat.Png,
            "application/pdf" or "application/x-pdf" => DocumentFormat.Pdf,
            _ => null,
        };

    /// <summary>
    /// The extension of a file name (lower case, without the dot) when it has one that looks like
    /// an extension: 1–5 ASCII letters or digits after the last dot. "身份证.正面" has none.
    /// </summary>
    public static string? ExtensionOf(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0 || dot == fileName.Length - 1) return null;
        var ext = fileName[(dot + 1)..];
        return ext.Length <= 5 && ext.All(char.IsAsciiLetterOrDigit) ? ext.ToLowerInvariant() : null;
    }
}
