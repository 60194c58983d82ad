using Dsh.Hashing;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// Locality-sensitive hashing by random hyperplanes (Charikar, STOC 2002) on centered features, the sanity
/// baseline: code(x) = sgn((x − μ) H) with H a seeded d×K matrix of standard normal values. Nothing is learnt
/// but the mean; for cross-domain retrieval fit one hasher on both domains
/// (<see cref="Fit(Tensor, Tensor, int, LshOptions?)"/>). Holds plain arrays; no disposal needed.
/// </summary>
public sealed class LshHasher
{
    private readonly double[] _mean;        // [d]
    private readonly double[] _hyperplanes; // [d, K]

    private LshHasher(double[] mean, double[] hyperplanes, int d, int k)
    {
        _mean = mean;
        _hyperplanes = hyperplanes;
        FeatureDimensions = d;
        CodeLength = k;
    }

    /// <summary>Bits a code (K).</summary>
    public int CodeLength { get; }

    /// <summary>Columns of the features the hasher takes (d).</summary>
    public int FeatureDimensions { get; }

    /// <summary>Fits (takes the mean of) features [n ≥ 1, d] and draws K hyperplanes; K may exceed d.</summary>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix with a row, or K out of range.</exception>
    public static LshHasher Fit(Tensor features, int codeLength, LshOptions? options = null)
    {
        using var scope = NewDisposeScope();
        return FitChecked(FeatureMatrix.ToFloat64(features, nameof(features), minRows: 1), codeLength, options);
    }

    /// <summary>Fits one hasher on sketch and photo features stacked together (one shared mean and hyperplane set).</summary>
    /// <exception cref="ArgumentException">A matrix is invalid, the column counts differ, or K is out of range.</exception>
    public static LshHasher Fit(Tensor sketchFeatures, Tensor photoFeatures, int codeLength, LshOptions? options = null)
    {
        using var scope = NewDisposeScope();
        return FitChecked(FeatureMatrix.StackDomains(sketchFeatures, photoFeatures), codeLength, options);
    }

    /// <summary>Codes of features [N, d]: bit = ((x − μ) H) &gt; 0.</summary>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix with <see cref="FeatureDimensions"/> columns.</exception>
    public BinaryCodeSet Encode(Tensor features) =>
        FeatureMatrix.CenteredProjectionSigns(features, _mean, _hyperplanes, FeatureDimensions, CodeLength);

    /// <summary>The training mean μ, float64 [d] (a new tensor; the caller disposes it).</summary>
    public Tensor GetMean() => FeatureMatrix.FromArray(_mean, FeatureDimensions);

    /// <summary>The hyperplane normals H, float64 [d, K] (a new tensor).</summary>
    public Tensor GetHyperplanes() => FeatureMatrix.FromArray(_hyperplanes, FeatureDimensions, CodeLength);

    private static LshHasher FitChecked(Tensor x, int codeLength, LshOptions? options)
    {
        options = (options ?? new LshOptions()).Validated();
        FeatureMatrix.CheckCodeLength(codeLength);
        int d = (int)x.shape[1];
        Tensor mean = x.mean(new long[] { 0 });
        Tensor hyperplanes = SeededMatrices.Gaussian(new Random(options.Seed), d, codeLength);
        return new LshHasher(FeatureMatrix.ToArray(mean), FeatureMatrix.ToArray(hyperplanes), d, codeLength);
    }
}
