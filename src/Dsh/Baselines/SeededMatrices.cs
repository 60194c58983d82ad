using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// Seeded random matrices drawn with <see cref="Random"/> (not TorchSharp's process-wide generator), so that a
/// baseline's result depends only on its seed and data.
/// </summary>
internal static class SeededMatrices
{
    /// <summary>A float64 [rows, columns] matrix of independent standard normal values (Box–Muller).</summary>
    public static Tensor Gaussian(Random random, long rows, long columns)
    {
        var values = new double[checked(rows * columns)];
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < values.Length)
            {
                values[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
            }
        }
        return FeatureMatrix.FromArray(values, rows, columns);
    }

    /// <summary>
    /// A random orthogonal [n, n] matrix, Haar distributed: Q of the QR decomposition of a Gaussian matrix, with
    /// columns signed so that R's diagonal is positive.
    /// </summary>
    public static Tensor Orthogonal(Random random, long n)
    {
        using var scope = NewDisposeScope();
        var (q, r) = linalg.qr(Gaussian(random, n, n));
        Tensor signs = r.diagonal().sign();
        signs = where(signs.EqualTo(0), ones_like(signs), signs);
        return q.mul(signs.unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>A [rows, columns] float64 matrix of independent fair ±1 values.</summary>
    public static Tensor Signs(Random random, long rows, long columns)
    {
        var values = new double[checked(rows * columns)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(2) == 0 ? -1.0 : 1.0;
        }
        return FeatureMatrix.FromArray(values, rows, columns);
    }
}
