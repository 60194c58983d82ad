using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>Grey, black-on-white, optionally binarised copies of sketches.</summary>
internal static class SketchPreparer
{
    public static Image<Rgb24> Prepare(Image<Rgb24> sketch, SketchPreparation? options)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        SketchPreparation settings = (options ?? SketchPreparation.Default).Validated();
        byte[] luma = GreyImages.Luma(sketch);
        bool invert = settings.Invert ?? IsDarkPaper(luma, sketch.Width, sketch.Height);
        if (invert)
        {
            GreyImages.Invert(luma);
        }
        if (settings.Threshold is byte threshold)
        {
            GreyImages.Threshold(luma, threshold);
        }
        return GreyImages.FromLuma(luma, sketch.Width, sketch.Height);
    }

    /// <summary>
    /// True when the median luma of the border ring (1/32 of the shorter side, at least 1 px) is below 128: the
    /// paper is dark, so the strokes are light. The border is paper in almost every drawing, even one whose
    /// strokes fill most of the middle.
    /// </summary>
    internal static bool IsDarkPaper(ReadOnlySpan<byte> luma, int width, int height)
    {
        int ring = Math.Max(1, Math.Min(width, height) / 32);
        Span<int> histogram = stackalloc int[256];
        histogram.Clear();
        long count = 0;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = luma.Slice(y * width, width);
            bool fullRow = y < ring || y >= height - ring;
            if (fullRow)
            {
                foreach (byte v in row)
                {
                    histogram[v]++;
                }
                count += width;
            }
            else
            {
                int side = Math.Min(ring, width);
                foreach (byte v in row[..side])
                {
                    histogram[v]++;
                }
                foreach (byte v in row[Math.Max(side, width - ring)..])
                {
                    histogram[v]++;
                }
                count += side + (width - Math.Max(side, width - ring));
            }
        }
        long half = (count + 1) / 2, seen = 0;
        for (int v = 0; v < 256; v++)
        {
            seen += histogram[v];
            if (seen >= half)
            {
                return v < 128;
            }
        }
        return false;
    }
}
