using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>Principal component analysis by a symmetric eigendecomposition of the feature covariance.</summary>
internal static class Pca
{
    /// <summary>
    /// The top <paramref name="components"/> eigenvectors of the covariance <c>XcᵀXc / (n − 1)</c> of centered
    /// float64 features <paramref name="centered"/> [n, d], as the columns of a [d, K] matrix ordered by decreasing
    /// eigenvalue, each signed so that its largest-magnitude entry is positive; and those eigenvalues.
    /// </summary>
    public static (Tensor Directions, Tensor Variances) Fit(Tensor centered, int components)
    {
        using var scope = NewDisposeScope();
        long n = centered.shape[0];
        Tensor covariance = centered.T.matmul(centered).DividedBy(n - 1);
        covariance = covariance.Plus(covariance.T).Times(0.5); // exactly symmetric for eigh
        var (values, vectors) = linalg.eigh(covariance);     // ascending
        Tensor order = values.argsort(descending: true).narrow(0, 0, components);
        Tensor directions = ColumnSigns.Normalize(vectors.index_select(1, order));
        Tensor variances = values.index_select(0, order).AtLeast(0);
        return (directions.MoveToOuterDisposeScope(), variances.MoveToOuterDisposeScope());
    }
}
