using System.Numerics.Tensors;

namespace Dsh.Imaging.Contours;

/// <summary>Grey dilation by a (2r+1)×(2r+1) square, separable, as row-wide vector maxima.</summary>
internal static class Morphology
{
    public static Plane Dilate(Plane source, int radius)
    {
        if (radius == 0)
        {
            return source;
        }
        int width = source.Width, height = source.Height;
        var horizontal = new Plane(width, height);
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<float> row = source.Row(y);
            Span<float> output = horizontal.Row(y);
            row.CopyTo(output);
            for (int k = 1; k <= radius && k < width; k++)
            {
                // output[x] = max(output[x], row[x + k]) and max(output[x], row[x − k]).
                TensorPrimitives.Max(output[..(width - k)], row[k..], output[..(width - k)]);
                TensorPrimitives.Max(output[k..], row[..(width - k)], output[k..]);
            }
        }
        var result = new Plane(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<float> output = result.Row(y);
            horizontal.Row(y).CopyTo(output);
            for (int k = 1; k <= radius; k++)
            {
                TensorPrimitives.Max(output, horizontal.ClampedRow(y - k), output);
                TensorPrimitives.Max(output, horizontal.ClampedRow(y + k), output);
            }
        }
        return result;
    }
}
