using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// The ITQ rotation (Gong &amp; Lazebnik, CVPR 2011, §2.3; TPAMI 2013): alternate B = sgn(V R) and the orthogonal
/// Procrustes step R = Ŝ Sᵀ from the SVD Bᵀ V = S Ω Ŝᵀ, which minimises ‖B − V R‖²_F over orthogonal R for fixed B
/// (it maximises tr(R BᵀV)). Both steps can only lower the quantisation loss, so the loss sequence is non-increasing.
/// </summary>
internal static class ItqRotation
{
    /// <summary>
    /// Learns R [K, K] for projected data <paramref name="v"/> [n, K] (float64) from a seeded random orthogonal start.
    /// The losses are ‖sgn(V Rₜ) − V Rₜ‖²_F for t = 0 (the start) … <paramref name="iterations"/> (the returned R).
    /// </summary>
    public static (Tensor Rotation, double[] Losses) Learn(Tensor v, int iterations, Random random)
    {
        using var scope = NewDisposeScope();
        long k = v.shape[1];
        Tensor r = SeededMatrices.Orthogonal(random, k);
        var losses = new double[iterations + 1];
        for (int t = 0; ; t++)
        {
            Tensor projected = v.matmul(r);
            Tensor b = Sgn(projected);
            losses[t] = b.sub(projected).Squared().sum().item<double>();
            if (t == iterations)
            {
                break;
            }
            var (s, _, shT) = linalg.svd(b.T.matmul(v), fullMatrices: false); // BᵀV = S Ω Ŝᵀ
            r = shT.T.matmul(s.T);                                             // R = Ŝ Sᵀ
        }
        return (r.MoveToOuterDisposeScope(), losses);
    }

    /// <summary>±1 with +1 where the value is &gt; 0 (the bit rule of the codes).</summary>
    public static Tensor Sgn(Tensor values) => values.GreaterThan(0).to(values.dtype).Times(2).Minus(1);
}
