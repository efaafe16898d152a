using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FuncRegistry.Functions.Tests;

/// <summary>A synthetic 2-inch photo (证件照): a grey head-and-shoulders silhouette on the usual blue, 120×168 RGB PNG.</summary>
public static class TestPhoto
{
    public static byte[] Png { get; } = Make(120, 168);

    private static byte[] Make(int width, int height)
    {
        var raw = new byte[height * (1 + 3 * width)];
        for (var y = 0; y < height; y++)
        {
            raw[y * (1 + 3 * width)] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                var head = Math.Pow(x - width / 2.0, 2) + Math.Pow(y - 62, 2) < 28 * 28;
                var shoulders = Math.Pow((x - width / 2.0) / 56, 2) + Math.Pow((y - height - 6.0) / 62, 2) < 1;
                var (r, g, b) = head || shoulders ? (70, 74, 82) : (214, 230, 247);
                var at = y * (1 + 3 * width) + 1 + 3 * x;
                (raw[at], raw[at + 1], raw[at + 2]) = ((byte)r, (byte)g, (byte)b);
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, 2); // 8 bits, RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
