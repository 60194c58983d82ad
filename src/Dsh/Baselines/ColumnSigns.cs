using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// A sign convention for matrices whose columns are only defined up to sign (eigenvectors, hash projections):
/// each column is flipped so that its largest-magnitude entry (the first one on ties) is positive.
/// </summary>
internal static class ColumnSigns
{
    /// <summary>The ±1 per column [K] that <see cref="Normalize"/> multiplies by.</summary>
    public static Tensor Of(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        Tensor largest = matrix.abs().argmax(0).unsqueeze(0);         // [1, K]
        Tensor signs = matrix.gather(0, largest).squeeze(0).sign();  // [K]
        return where(signs.EqualTo(0), ones_like(signs), signs).MoveToOuterDisposeScope();
    }

    /// <summary>The matrix with its columns signed by the convention.</summary>
    public static Tensor Normalize(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        return matrix.mul(Of(matrix).unsqueeze(0)).MoveToOuterDisposeScope();
    }
}
