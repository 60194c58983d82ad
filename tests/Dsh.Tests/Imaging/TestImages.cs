using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Tests.Imaging;

/// <summary>Small generated images for the imaging tests.</summary>
internal static class TestImages
{
    public static Image<Rgb24> Solid(int width, int height, Rgb24 color) => new(width, height, color);

    /// <summary>An image whose pixel (x, y) is <paramref name="pixel"/>(x, y).</summary>
    public static Image<Rgb24> FromFunction(int width, int height, Func<int, int, Rgb24> pixel)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = pixel(x, y);
                }
            }
        });
        return image;
    }

    /// <summary>Every pixel, row-major.</summary>
    public static Rgb24[] Pixels(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    public static Rgb24 Grey(byte v) => new(v, v, v);

    /// <summary>A light, noisy background (values 170–230, seeded) with a dark disc (value 40) of the given radius.</summary>
    public static Image<Rgb24> DiscPhoto(int size, double cx, double cy, double radius, int seed)
    {
        var random = new Random(seed);
        var noise = new byte[size * size];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (byte)random.Next(170, 231);
        }
        return FromFunction(size, size, (x, y) =>
        {
            double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
            byte v = d <= radius ? (byte)(40 + noise[y * size + x] / 20) : noise[y * size + x];
            return new Rgb24(v, (byte)(v * 0.9), (byte)(v * 0.8));
        });
    }

}
