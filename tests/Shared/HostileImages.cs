using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Dsh.Tests.Shared;

/// <summary>
/// Small files that ask a decoder for far more memory than they weigh: a PNG whose header claims any size, a real PNG of
/// that size whose rows compress to almost nothing, and a GIF with many full-screen frames of a few bytes each.
/// </summary>
internal static class HostileImages
{
    /// <summary>A valid PNG signature, an IHDR claiming <paramref name="width"/>×<paramref name="height"/> RGB, one IDAT of a few bytes, IEND (under 100 bytes).</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", Ihdr(width, height, colorType: 2));
        WriteChunk(file, "IDAT", Zlib(stream => stream.Write(new byte[16])));
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>A complete 8-bit grey PNG of <paramref name="width"/>×<paramref name="height"/> black pixels (20000² is about 0.4 MB).</summary>
    public static byte[] PngOfBlackPixels(int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", Ihdr(width, height, colorType: 0));
        byte[] row = new byte[width + 1]; // filter byte 0, then the pixels
        WriteChunk(file, "IDAT", Zlib(stream =>
        {
            for (int y = 0; y < height; y++)
            {
                stream.Write(row);
            }
        }));
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>
    /// A GIF89a of <paramref name="frames"/> frames of <paramref name="width"/>×<paramref name="height"/>, each coded as one
    /// pixel (the rest of the frame is left to the decoder's fill): about 20 bytes a frame, 500 frames in 10 KB.
    /// </summary>
    public static byte[] GifWithFrames(int frames, int width = 1000, int height = 1000)
    {
        using var file = new MemoryStream();
        file.Write("GIF89a"u8);
        Span<byte> screen = stackalloc byte[7];
        BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)height);
        screen[4] = 0x80; // a global colour table of 2 entries
        file.Write(screen);
        file.Write([0, 0, 0, 255, 255, 255]);
        Span<byte> descriptor = stackalloc byte[10];
        for (int f = 0; f < frames; f++)
        {
            file.Write([0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00]); // graphic control: 0.1 s
            descriptor.Clear();
            descriptor[0] = 0x2C;
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[5..], (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[7..], (ushort)height);
            file.Write(descriptor);
            // LZW, minimum code size 2: clear (4), pixel 0, end (5) as 3-bit codes, low bits first.
            file.Write([0x02, 0x02, 0x44, 0x01, 0x00]);
        }
        file.WriteByte(0x3B);
        return file.ToArray();
    }

    private static byte[] Ihdr(int width, int height, byte colorType)
    {
        byte[] data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = 8;
        data[9] = colorType;
        return data;
    }

    private static byte[] Zlib(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            write(zlib);
        }
        return buffer.ToArray();
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        file.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        file.Write(crc);
    }
}
