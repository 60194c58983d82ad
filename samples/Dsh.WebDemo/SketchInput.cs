using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.WebDemo;

/// <summary>
/// Turns an uploaded drawing (PNG bytes, or a <c>data:image/png;base64,</c> URL) into a sketch the model expects:
/// black strokes on white, cropped to the ink with a margin and centred on a square. Every problem is a
/// <see cref="BadSketchException"/> with a one-line message.
/// </summary>
public static class SketchInput
{
    /// <summary>The largest upload accepted (bytes of the request body).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The largest width or height accepted.</summary>
    public const int MaxSide = 4096;

    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
    private const string DataUrlPrefix = "data:image/png;base64,";

    /// <summary>Ink: a prepared pixel darker than this.</summary>
    private const byte InkLuma = 200;

    /// <summary>Fewer ink pixels than this is an empty drawing.</summary>
    private const int MinInkPixels = 8;

    /// <summary>Reads the body (at most <see cref="MaxBodyBytes"/>).</summary>
    public static async Task<byte[]> ReadBodyAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new BadSketchException($"The upload is too large: at most {MaxBodyBytes / (1024 * 1024)} MB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The PNG bytes of a body that is either a PNG file or a PNG data URL.</summary>
    public static byte[] PngBytes(byte[] body)
    {
        if (body.Length == 0)
        {
            throw new BadSketchException("The upload is empty: send the drawing as PNG bytes or a data:image/png;base64 URL.");
        }
        if (body.AsSpan().StartsWith(PngSignature))
        {
            return body;
        }
        string text = System.Text.Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 64)).TrimStart();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            string all = System.Text.Encoding.ASCII.GetString(body).Trim();
            if (!all.StartsWith(DataUrlPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw new BadSketchException("The data URL is not data:image/png;base64,…: only PNG drawings are accepted.");
            }
            byte[] decoded;
            try
            {
                decoded = Convert.FromBase64String(all[DataUrlPrefix.Length..]);
            }
            catch (FormatException)
            {
                throw new BadSketchException("The data URL's base64 part is not valid base64.");
            }
            if (!decoded.AsSpan().StartsWith(PngSignature))
            {
                throw new BadSketchException("The data URL does not hold a PNG image.");
            }
            return decoded;
        }
        throw new BadSketchException("The upload is not a PNG image (send PNG bytes or a data:image/png;base64 URL).");
    }

    /// <summary>Decodes and prepares the drawing; the caller disposes the result.</summary>
    public static Image<Rgb24> Prepare(byte[] png)
    {
        // IHDR comes first: width and height at bytes 16..23. Checked before any pixel is allocated.
        if (png.Length < 33 || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new BadSketchException("The PNG is truncated or has no IHDR header.");
        }
        uint width = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4));
        uint height = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4));
        if (width == 0 || height == 0 || width > MaxSide || height > MaxSide)
        {
            throw new BadSketchException($"The PNG is {width}x{height} pixels; width and height must be 1 to {MaxSide}.");
        }

        Image<Rgb24> decoded;
        try
        {
            using var stream = new MemoryStream(png, writable: false);
            decoded = DshImaging.Load(stream);
        }
        catch (InvalidDataException e)
        {
            throw new BadSketchException("The PNG cannot be decoded: " + OneLine(e.Message));
        }
        using (decoded)
        {
            using Image<Rgb24> prepared = DshImaging.PrepareSketch(decoded);
            return CropToInk(prepared);
        }
    }

    /// <summary>The ink's bounding box plus a 6 % margin, centred on a white square.</summary>
    private static Image<Rgb24> CropToInk(Image<Rgb24> sketch)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1, ink = 0;
        sketch.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    if (row[x].R < InkLuma)
                    {
                        ink++;
                        minX = Math.Min(minX, x);
                        maxX = Math.Max(maxX, x);
                        minY = Math.Min(minY, y);
                        maxY = Math.Max(maxY, y);
                    }
                }
            }
        });
        if (ink < MinInkPixels)
        {
            throw new BadSketchException("The drawing is empty: draw something before searching.");
        }
        int w = maxX - minX + 1, h = maxY - minY + 1;
        int side = (int)Math.Ceiling(Math.Max(w, h) * 1.12) + 2;
        var square = new Image<Rgb24>(side, side, new Rgb24(255, 255, 255));
        using Image<Rgb24> cropped = sketch.Clone(c => c.Crop(new Rectangle(minX, minY, w, h)));
        square.Mutate(c => c.DrawImage(cropped, new Point((side - w) / 2, (side - h) / 2), 1f));
        return square;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

/// <summary>An upload the demo cannot search with; the message is one line for the user (HTTP 400).</summary>
public sealed class BadSketchException(string message) : Exception(message);
