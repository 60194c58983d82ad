using SixLabors.ImageSharp;

namespace Dsh.Imaging.Augmentation;

/// <summary>A random-resized crop as fractions of the image, so a photo and its token map of another size share it.</summary>
internal readonly record struct PhotoCrop(double X, double Y, double Width, double Height)
{
    public static PhotoCrop Whole { get; } = new(0, 0, 1, 1);

    public bool IsWhole => Width >= 1 && Height >= 1;

    /// <summary>Draws a crop (always four numbers from <paramref name="random"/>, whatever the options).</summary>
    public static PhotoCrop Draw(AugmentationOptions options, Random random)
    {
        double area = options.PhotoCropMinArea + (1 - options.PhotoCropMinArea) * random.NextDouble();
        double logChange = Math.Log(options.PhotoCropMaxAspectChange);
        double aspect = Math.Exp((2 * random.NextDouble() - 1) * logChange);
        double u = random.NextDouble(), v = random.NextDouble();
        double w = Math.Sqrt(area * aspect), h = Math.Sqrt(area / aspect);
        if (w > 1)
        {
            (w, h) = (1, area);
        }
        if (h > 1)
        {
            (w, h) = (area, 1);
        }
        return new PhotoCrop(u * (1 - w), v * (1 - h), w, h);
    }

    /// <summary>The crop in pixels of a <paramref name="size"/> image; at least 1×1, inside the image, never smaller than the fractions.</summary>
    public Rectangle In(Size size)
    {
        int w = Math.Clamp((int)Math.Ceiling(Width * size.Width - 1e-9), 1, size.Width);
        int h = Math.Clamp((int)Math.Ceiling(Height * size.Height - 1e-9), 1, size.Height);
        int x = Math.Clamp((int)Math.Floor(X * size.Width), 0, size.Width - w);
        int y = Math.Clamp((int)Math.Floor(Y * size.Height), 0, size.Height - h);
        return new Rectangle(x, y, w, h);
    }
}
