using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Support;

/// <summary>
/// A tiny generated SBIR dataset: four categories of shapes (circle, square, triangle, cross). Photos are filled
/// shapes in a random colour on a noisy background of another colour; sketches are wobbly black outlines on white.
/// Position, size and rotation vary per image; everything is seeded.
/// </summary>
internal static class ShapeImages
{
    public static readonly string[] Categories = { "circle", "cross", "square", "triangle" };

    /// <summary>
    /// Writes sketches/&lt;category&gt;/*.png and photos/&lt;category&gt;/*.jpg (or *.png with <paramref name="pngPhotos"/>:
    /// lossless, so every decoder gives the same pixels) under <paramref name="root"/>.
    /// </summary>
    public static (string SketchRoot, string PhotoRoot) WriteDataset(string root, int sketchesPerCategory, int photosPerCategory, int seed, int size = 96,
        bool pngPhotos = false)
    {
        string sketchRoot = Path.Combine(root, "sketches"), photoRoot = Path.Combine(root, "photos");
        var random = new Random(seed);
        foreach (string category in Categories)
        {
            Directory.CreateDirectory(Path.Combine(sketchRoot, category));
            Directory.CreateDirectory(Path.Combine(photoRoot, category));
            for (int i = 0; i < sketchesPerCategory; i++)
            {
                using var sketch = Sketch(category, size, random);
                sketch.SaveAsPng(Path.Combine(sketchRoot, category, $"{category}_{i:D3}.png"));
            }
            for (int i = 0; i < photosPerCategory; i++)
            {
                using var photo = Photo(category, size, random);
                if (pngPhotos)
                {
                    photo.SaveAsPng(Path.Combine(photoRoot, category, $"{category}_{i:D3}.png"));
                }
                else
                {
                    photo.SaveAsJpeg(Path.Combine(photoRoot, category, $"{category}_{i:D3}.jpg"));
                }
            }
        }
        return (sketchRoot, photoRoot);
    }

    public static Image<Rgb24> Photo(string category, int size, Random random)
    {
        var shape = Shape.Random(category, size, random);
        var background = RandomColor(random);
        var fill = RandomColor(random);
        while (Distance(background, fill) < 150)
        {
            fill = RandomColor(random);
        }
        var image = new Image<Rgb24>(size, size);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < size; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < size; x++)
                {
                    Rgb24 c = shape.Distance(x, y) < 0 ? fill : background;
                    int noise = random.Next(-20, 21);
                    row[x] = new Rgb24(Clamp(c.R + noise), Clamp(c.G + noise), Clamp(c.B + noise));
                }
            }
        });
        return image;
    }

    public static Image<Rgb24> Sketch(string category, int size, Random random)
    {
        var shape = Shape.Random(category, size, random);
        double thickness = 1.2 + random.NextDouble();
        double wobblePhase = random.NextDouble() * Math.PI * 2;
        var image = new Image<Rgb24>(size, size);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < size; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < size; x++)
                {
                    double wobble = 1.2 * Math.Sin(0.3 * x + 0.2 * y + wobblePhase);
                    byte v = Math.Abs(shape.Distance(x, y) + wobble) < thickness ? (byte)20 : (byte)255;
                    row[x] = new Rgb24(v, v, v);
                }
            }
        });
        return image;
    }

    private static Rgb24 RandomColor(Random r) => new((byte)r.Next(256), (byte)r.Next(256), (byte)r.Next(256));

    private static double Distance(Rgb24 a, Rgb24 b) => Math.Sqrt(Math.Pow(a.R - b.R, 2) + Math.Pow(a.G - b.G, 2) + Math.Pow(a.B - b.B, 2));

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    /// <summary>A shape as a signed distance (negative inside).</summary>
    private sealed record Shape(string Kind, double Cx, double Cy, double Radius, double Angle)
    {
        public static Shape Random(string kind, int size, Random r) =>
            new(kind, size * (0.4 + 0.2 * r.NextDouble()), size * (0.4 + 0.2 * r.NextDouble()), size * (0.22 + 0.1 * r.NextDouble()),
                (r.NextDouble() - 0.5) * 0.5);

        public double Distance(double px, double py)
        {
            double cos = Math.Cos(Angle), sin = Math.Sin(Angle);
            double x = (px - Cx) * cos + (py - Cy) * sin;
            double y = -(px - Cx) * sin + (py - Cy) * cos;
            return Kind switch
            {
                "circle" => Math.Sqrt(x * x + y * y) - Radius,
                "square" => Math.Max(Math.Abs(x), Math.Abs(y)) - Radius * 0.85,
                "cross" => Math.Min(Box(x, y, Radius, Radius * 0.3), Box(x, y, Radius * 0.3, Radius)),
                _ => Triangle(x, y, Radius),
            };
        }

        private static double Box(double x, double y, double hx, double hy) => Math.Max(Math.Abs(x) - hx, Math.Abs(y) - hy);

        /// <summary>Equilateral triangle: the largest of its three edge half-planes (normals 90°, 210°, 330°), inradius r/2.</summary>
        private static double Triangle(double x, double y, double r)
        {
            double a = Math.Sqrt(3) / 2;
            return Math.Max(y, Math.Max(-a * x - 0.5 * y, a * x - 0.5 * y)) - r / 2;
        }
    }
}
