using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace FuncRegistry.Functions.Printing;

/// <summary>
/// The fonts the PDFs embed (ADR 0020), from Debian packages, copied next to the app by the build
/// (<c>fonts/</c>, Functions.csproj) and into the deployment package: Droid Sans Fallback
/// (fonts-droid-fallback, Apache-2.0) for Chinese, and Liberation Sans (fonts-liberation2, SIL OFL 1.1)
/// for Latin letters, digits and ASCII punctuation, which the fallback font does not have. Both have
/// TrueType (glyf) outlines, which PDFsharp embeds as subsets; it reads neither CFF-based OpenType nor
/// TrueType collections (.ttc), so Noto CJK, WenQuanYi and Arphic are out. Text is drawn in runs, each
/// in the font that has its characters (<see cref="Runs"/>). PDFsharp's resolver is process-wide:
/// <see cref="Install"/> sets it once.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    /// <summary>The family of Chinese text (bold is simulated: the font has one weight).</summary>
    public const string Cjk = "FuncRegistry CJK";

    /// <summary>The family of Latin text.</summary>
    public const string Latin = "FuncRegistry Latin";

    private const string CjkFile = "DroidSansFallbackFull.ttf";
    private const string LatinFile = "LiberationSans-Regular.ttf";
    private const string LatinBoldFile = "LiberationSans-Bold.ttf";

    private static readonly Lock Gate = new();
    private static readonly Lazy<Faces> Loaded = new(Faces.Load);

    /// <summary>Where the build put the fonts.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fonts");

    /// <summary>Makes these fonts PDFsharp's (once per process; idempotent).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is PdfFonts) return;
            GlobalFontSettings.FontResolver = new PdfFonts();
        }
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Latin => new FontResolverInfo(bold ? LatinBoldFile : LatinFile),
        _ => new FontResolverInfo(CjkFile, bold, false),
    };

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => faceName switch
    {
        LatinFile => Loaded.Value.Latin,
        LatinBoldFile => Loaded.Value.LatinBold,
        _ => Loaded.Value.Cjk,
    };

    /// <summary>
    /// Splits text into runs of one font: ASCII and whatever else only the Latin font has in Latin,
    /// the rest in the Chinese font (full-width parentheses, CJK punctuation and ideographs).
    /// </summary>
    public static IEnumerable<(string Text, string Family)> Runs(string text)
    {
        var faces = Loaded.Value;
        var start = 0;
        string? family = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // A surrogate pair stays together, in the Chinese font (rare ideographs beyond the BMP).
            var f = char.IsSurrogate(c) || (c >= 0x80 && (faces.CjkCovers.Contains(c) || !faces.LatinCovers.Contains(c))) ? Cjk : Latin;
            if (family is null) family = f;
            else if (f != family)
            {
                yield return (text[start..i], family);
                (start, family) = (i, f);
            }
        }
        if (family is not null) yield return (text[start..], family);
    }

    private sealed record Faces(byte[] Cjk, byte[] Latin, byte[] LatinBold, HashSet<int> CjkCovers, HashSet<int> LatinCovers)
    {
        public static Faces Load()
        {
            byte[] Read(string file)
            {
                var path = Path.Combine(Directory, file);
                return File.Exists(path) ? File.ReadAllBytes(path)
                    : throw new FileNotFoundException($"PDF font {file} is missing from {Directory}: the build copies it from the Debian packages fonts-droid-fallback and fonts-liberation2 (docs/certificates.md)", path);
            }
            var (cjk, latin) = (Read(CjkFile), Read(LatinFile));
            return new Faces(cjk, latin, Read(LatinBoldFile), CharacterMap(cjk), CharacterMap(latin));
        }
    }

    /// <summary>The BMP characters a TrueType font maps to a glyph (its cmap's format-4 subtable for Unicode).</summary>
    internal static HashSet<int> CharacterMap(byte[] font)
    {
        var covered = new HashSet<int>();
        ushort U16(int at) => BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(at));
        uint U32(int at) => BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(at));
        var cmap = -1;
        for (var t = 0; t < U16(4); t++)
            if (U32(12 + 16 * t) == 0x636D6170) cmap = (int)U32(12 + 16 * t + 8); // 'cmap'
        if (cmap < 0) return covered;
        for (var s = 0; s < U16(cmap + 2); s++)
        {
            var (platform, encoding) = (U16(cmap + 4 + 8 * s), U16(cmap + 4 + 8 * s + 2));
            var table = cmap + (int)U32(cmap + 4 + 8 * s + 4);
            if (!(platform == 3 && encoding == 1 || platform == 0) || U16(table) != 4) continue;
            var segments = U16(table + 6) / 2;
            var (ends, starts, deltas, offsets) = (table + 14, table + 16 + 2 * segments, table + 16 + 4 * segments, table + 16 + 6 * segments);
            for (var i = 0; i < segments; i++)
            {
                int end = U16(ends + 2 * i), first = U16(starts + 2 * i), delta = (short)U16(deltas + 2 * i), offset = U16(offsets + 2 * i);
                for (var c = first; c <= end && c != 0xFFFF; c++)
                {
                    var glyph = offset == 0 ? (c + delta) & 0xFFFF : U16(offsets + 2 * i + offset + 2 * (c - first)) is var g and not 0 ? (g + delta) & 0xFFFF : 0;
                    if (glyph != 0) covered.Add(c);
                }
            }
            return covered;
        }
        return covered;
    }
}
