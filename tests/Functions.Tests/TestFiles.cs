using System.Net.Http.Headers;
using System.Text;

namespace FuncRegistry.Functions.Tests;

/// <summary>Files to upload: real ones (a 1×1 PNG, a minimal PDF, a JPEG header) and disguised ones.</summary>
public static class TestFiles
{
    public static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7A, 0x5E, 0xAB, 0x3F, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    /// <summary>An (empty) ZIP archive: "PK\x05\x06" and 18 zero bytes.</summary>
    public static readonly byte[] Zip = [0x50, 0x4B, 0x05, 0x06, .. new byte[18]];

    /// <summary>A PNG of exactly <paramref name="size"/> bytes (valid signature, padded).</summary>
    public static byte[] PngOfSize(int size)
    {
        var bytes = new byte[size];
        Png.AsSpan(0, Math.Min(Png.Length, size)).CopyTo(bytes);
        return bytes;
    }

    /// <summary>A multipart/form-data body with the file and its type, as a browser or curl sends it.</summary>
    public static MultipartFormDataContent Form(string? type, byte[] content, string fileName, string? contentType = "image/png")
    {
        var form = new MultipartFormDataContent();
        if (type is not null) form.Add(new StringContent(type), "type");
        var file = new ByteArrayContent(content);
        if (contentType is not null) file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return form;
    }

    /// <summary>A form whose file name is sent only as RFC 5987 filename* (so any character, controls included, arrives).</summary>
    public static MultipartFormDataContent FormWithRawName(string type, byte[] content, string fileName)
    {
        var form = new MultipartFormDataContent { { new StringContent(type), "type" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = fileName };
        form.Add(file);
        return form;
    }
}
