using System.Numerics.Tensors;

namespace Dsh.Imaging.Contours;

/// <summary>Separable Gaussian blur with replicated borders; each tap is one vector operation over a whole row.</summary>
internal static class GaussianBlur
{
    public static Plane Apply(Plane source, double sigma)
    {
        float[] weights = Kernel(sigma);
        int radius = weights.Length / 2, width = source.Width;
        var horizontal = new Plane(width, source.Height);
        var padded = new float[width + 2 * radius];
        for (int y = 0; y < source.Height; y++)
        {
            ReadOnlySpan<float> row = source.Row(y);
            padded.AsSpan(0, radius).Fill(row[0]);
            row.CopyTo(padded.AsSpan(radius));
            padded.AsSpan(radius + width).Fill(row[^1]);
            Span<float> output = horizontal.Row(y);
            TensorPrimitives.Multiply(padded.AsSpan(0, width), weights[0], output);
            for (int k = 1; k < weights.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(padded.AsSpan(k, width), weights[k], output, output);
            }
        }

        var result = new Plane(width, source.Height);
        for (int y = 0; y < source.Height; y++)
        {
            Span<float> output = result.Row(y);
            TensorPrimitives.Multiply(horizontal.ClampedRow(y - radius), weights[0], output);
            for (int k = 1; k < weights.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(horizontal.ClampedRow(y - radius + k), weights[k], output, output);
            }
        }
        return result;
    }

    /// <summary>Normalised Gaussian weights over ±ceil(3σ).</summary>
    internal static float[] Kernel(double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var weights = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
        {
            sum += Math.Exp(-(i * i) / (2 * sigma * sigma));
        }
        for (int i = -radius; i <= radius; i++)
        {
            weights[i + radius] = (float)(Math.Exp(-(i * i) / (2 * sigma * sigma)) / sum);
        }
        return weights;
    }
}
