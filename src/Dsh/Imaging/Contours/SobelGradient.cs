using System.Numerics.Tensors;

namespace Dsh.Imaging.Contours;

/// <summary>Sobel derivatives (x to the right, y downwards) with replicated borders, as row-wide vector operations.</summary>
internal static class SobelGradient
{
    public static (Plane Gx, Plane Gy) Apply(Plane source)
    {
        int width = source.Width, height = source.Height;
        var gx = new Plane(width, height);
        var gy = new Plane(width, height);
        var smooth = new float[width];
        var horizontalSmooth = new Plane(width, height);
        for (int y = 0; y < height; y++)
        {
            // gx: smooth vertically [1 2 1], then difference horizontally [−1 0 1].
            TensorPrimitives.Add(source.ClampedRow(y - 1), source.ClampedRow(y + 1), smooth);
            TensorPrimitives.MultiplyAdd(source.Row(y), 2f, smooth, smooth);
            CentralDifference(smooth, gx.Row(y));
            // Horizontal [1 2 1] smoothing of this row, for gy.
            SmoothRow(source.Row(y), horizontalSmooth.Row(y));
        }
        for (int y = 0; y < height; y++)
        {
            TensorPrimitives.Subtract(horizontalSmooth.ClampedRow(y + 1), horizontalSmooth.ClampedRow(y - 1), gy.Row(y));
        }
        return (gx, gy);
    }

    /// <summary>output[x] = v[x+1] − v[x−1], indices clamped.</summary>
    private static void CentralDifference(ReadOnlySpan<float> v, Span<float> output)
    {
        int n = v.Length;
        if (n == 1)
        {
            output[0] = 0;
            return;
        }
        TensorPrimitives.Subtract(v[2..], v[..(n - 2)], output[1..(n - 1)]);
        output[0] = v[1] - v[0];
        output[n - 1] = v[n - 1] - v[n - 2];
    }

    /// <summary>output[x] = v[x−1] + 2·v[x] + v[x+1], indices clamped.</summary>
    private static void SmoothRow(ReadOnlySpan<float> v, Span<float> output)
    {
        int n = v.Length;
        if (n == 1)
        {
            output[0] = 4 * v[0];
            return;
        }
        TensorPrimitives.Add(v[..(n - 2)], v[2..], output[1..(n - 1)]);
        TensorPrimitives.MultiplyAdd(v[1..(n - 1)], 2f, output[1..(n - 1)], output[1..(n - 1)]);
        output[0] = 3 * v[0] + v[1];
        output[n - 1] = 3 * v[n - 1] + v[n - 2];
    }
}
