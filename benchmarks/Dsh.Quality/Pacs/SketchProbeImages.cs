using Dsh.Imaging;
using Dsh.Imaging.Contours;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Quality.Pacs;

/// <summary>What <c>sketch-classifier</c> may do to a prepared sketch (black strokes on white) before it is scaled.</summary>
internal static class SketchProbeImages
{
    /// <summary>Grey levels below this count as ink when <see cref="FitToInk"/> looks for the drawing.</summary>
    private const byte InkBelow = 200;

    /// <summary>
    /// Widens dark strokes on white by <paramref name="radius"/> px: each pixel becomes the darkest of its (2r + 1)²
    /// square (the contour extractor's <see cref="Morphology.Dilate"/> applied to the ink, 255 − grey).
    /// </summary>
    public static void Thicken(Image<Rgb24> image, int radius)
    {
        var ink = new Plane(image.Width, image.Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                Span<float> output = ink.Row(y);
                for (int x = 0; x < row.Length; x++)
                {
                    output[x] = 255 - row[x].R;
                }
            }
        });
        Plane wide = Morphology.Dilate(ink, radius);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                ReadOnlySpan<float> input = wide.Row(y);
                for (int x = 0; x < row.Length; x++)
                {
                    byte grey = (byte)(255 - input[x]);
                    row[x] = new Rgb24(grey, grey, grey);
                }
            }
        });
    }

    /// <summary>
    /// A new white square holding the sketch's ink (pixels darker than 200) cropped to its bounding box, centred, with
    /// <paramref name="margin"/> of the box's longer side free on each side; and that longer side as a share of the
    /// sketch's longer side (1 for a sketch with no ink, returned as a copy). The caller disposes the image.
    /// </summary>
    public static (Image<Rgb24> Fitted, double InkShare) FitToInk(Image<Rgb24> image, double margin)
    {
        int minX = image.Width, minY = image.Height, maxX = -1, maxY = -1;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    if (row[x].R < InkBelow)
                    {
                        minX = Math.Min(minX, x);
                        maxX = Math.Max(maxX, x);
                        minY = Math.Min(minY, y);
                        maxY = Math.Max(maxY, y);
                    }
                }
            }
        });
        if (maxX < 0)
        {
            return (image.Clone(), 1);
        }
        int w = maxX - minX + 1, h = maxY - minY + 1, longer = Math.Max(w, h);
        int side = longer + 2 * (int)Math.Round(margin * longer);
        var canvas = new Image<Rgb24>(side, side, new Rgb24(255, 255, 255));
        using Image<Rgb24> ink = image.Clone(c => c.Crop(new Rectangle(minX, minY, w, h)));
        canvas.Mutate(c => c.DrawImage(ink, new Point((side - w) / 2, (side - h) / 2), 1f));
        return (canvas, (double)longer / Math.Max(image.Width, image.Height));
    }
}
