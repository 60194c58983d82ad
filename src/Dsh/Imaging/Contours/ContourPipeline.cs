using System.Numerics.Tensors;

namespace Dsh.Imaging.Contours;

/// <summary>
/// The contour extractor's steps on a luma plane: multi-scale gradient, border fade, adaptive thresholds,
/// non-maximum suppression, hysteresis and thickening.
/// </summary>
internal static class ContourPipeline
{
    /// <summary>A 0/1 mask of the (thickened) strokes of <paramref name="luma"/> (values on [0, 1]).</summary>
    public static Plane Strokes(Plane luma, ContourTokenOptions options)
    {
        (Plane magnitude, Plane gx, Plane gy) = CombinedGradient(luma, options.Scales);
        FadeBorder(magnitude, options.BorderFade);
        float strongest = TensorPrimitives.Max<float>(magnitude.Data);
        if (!(strongest > 0))
        {
            return new Plane(luma.Width, luma.Height);   // a flat image has no contours
        }
        float high = Math.Max(Quantile(magnitude.Data, options.HighPercentile), (float)options.MinHighFraction * strongest);
        if (!(high > 0))
        {
            high = float.Epsilon;
        }
        float low = (float)options.LowRatio * high;
        Plane thin = NonMaximumSuppression.Apply(magnitude, gx, gy);
        Plane mask = Hysteresis.Apply(thin, low, high, options.MinStrokePixels);
        return Morphology.Dilate(mask, options.StrokeRadius);
    }

    /// <summary>
    /// For each σ: blur, Sobel, divide (gx, gy, |g|) by that scale's largest |g|; then average the magnitudes and sum
    /// the normalised vectors (their direction drives non-maximum suppression).
    /// </summary>
    internal static (Plane Magnitude, Plane Gx, Plane Gy) CombinedGradient(Plane luma, IReadOnlyList<double> scales)
    {
        int width = luma.Width, height = luma.Height;
        var magnitude = new Plane(width, height);
        var gxSum = new Plane(width, height);
        var gySum = new Plane(width, height);
        var scratch = new float[width * height];
        foreach (double sigma in scales)
        {
            (Plane gx, Plane gy) = SobelGradient.Apply(GaussianBlur.Apply(luma, sigma));
            TensorPrimitives.Hypot(gx.Data, gy.Data, scratch);
            float max = TensorPrimitives.Max<float>(scratch);
            if (!(max > 0))
            {
                continue;
            }
            float inverse = 1f / max;
            TensorPrimitives.MultiplyAdd(scratch, inverse, magnitude.Data, magnitude.Data);
            TensorPrimitives.MultiplyAdd(gx.Data, inverse, gxSum.Data, gxSum.Data);
            TensorPrimitives.MultiplyAdd(gy.Data, inverse, gySum.Data, gySum.Data);
        }
        TensorPrimitives.Multiply(magnitude.Data, 1f / scales.Count, magnitude.Data);
        return (magnitude, gxSum, gySum);
    }

    /// <summary>
    /// Multiplies each value by clamp((d + 1 − f) / f, 0, 1), d = its distance in pixels to the nearest image edge and
    /// f = <paramref name="fade"/>: the outer f pixels are cleared, and the next f pixels ramp up to full strength.
    /// </summary>
    internal static void FadeBorder(Plane plane, int fade)
    {
        if (fade == 0)
        {
            return;
        }
        int width = plane.Width, height = plane.Height;
        var columns = new float[width];
        for (int x = 0; x < width; x++)
        {
            columns[x] = Ramp(Math.Min(x, width - 1 - x), fade);
        }
        var weights = new float[width];
        for (int y = 0; y < height; y++)
        {
            TensorPrimitives.Min(columns, Ramp(Math.Min(y, height - 1 - y), fade), weights);
            TensorPrimitives.Multiply(plane.Row(y), weights, plane.Row(y));
        }
    }

    /// <summary>The <paramref name="q"/>-quantile (nearest rank) of <paramref name="values"/>.</summary>
    internal static float Quantile(ReadOnlySpan<float> values, double q)
    {
        float[] sorted = values.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[rank];
    }

    private static float Ramp(int distance, int fade) => Math.Clamp((distance + 1 - fade) / (float)fade, 0f, 1f);
}
