using Dsh.Hashing;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// Iterative Quantization (Gong &amp; Lazebnik, CVPR 2011 / TPAMI 2013), an unsupervised baseline on frozen
/// features: center, project onto the top-K principal directions W, rotate by the learnt orthogonal R, take signs.
/// code(x) = sgn((x − μ) W R). For cross-domain retrieval fit ONE hasher on sketch and photo features together
/// (<see cref="Fit(Tensor, Tensor, int, ItqOptions?)"/>) so that both domains share μ, W and R.
/// Holds plain arrays (no tensors), so it needs no disposal and is safe to share between threads.
/// </summary>
public sealed class ItqHasher
{
    private readonly double[] _mean;        // [d]
    private readonly double[] _projection;  // [d, K] row-major: W R
    private readonly double[] _pca;         // [d, K]
    private readonly double[] _rotation;    // [K, K]

    private ItqHasher(double[] mean, double[] pca, double[] rotation, double[] projection, double[] variances, double[] losses, int d, int k)
    {
        _mean = mean;
        _pca = pca;
        _rotation = rotation;
        _projection = projection;
        PrincipalVariances = variances;
        QuantizationLosses = losses;
        FeatureDimensions = d;
        CodeLength = k;
    }

    /// <summary>Bits a code (K).</summary>
    public int CodeLength { get; }

    /// <summary>Columns of the features the hasher takes (d).</summary>
    public int FeatureDimensions { get; }

    /// <summary>
    /// ‖B − V R‖²_F of the training data for the random start and after each iteration (Iterations + 1 values,
    /// non-increasing), V = (X − μ) W the PCA projection and B = sgn(V R).
    /// </summary>
    public IReadOnlyList<double> QuantizationLosses { get; }

    /// <summary>The covariance eigenvalues of the K principal directions kept, in decreasing order.</summary>
    public IReadOnlyList<double> PrincipalVariances { get; }

    /// <summary>
    /// Fits ITQ on one feature matrix [n, d] (float32 or float64, finite).
    /// </summary>
    /// <param name="features">Training features, n ≥ 2 rows.</param>
    /// <param name="codeLength">K, 1 ≤ K ≤ d.</param>
    /// <param name="options">Iterations and seed; null for the defaults.</param>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix, fewer than 2 rows, or K out of range.</exception>
    public static ItqHasher Fit(Tensor features, int codeLength, ItqOptions? options = null)
    {
        using var scope = NewDisposeScope();
        Tensor x = FeatureMatrix.ToFloat64(features, nameof(features), minRows: 2);
        return FitChecked(x, codeLength, options);
    }

    /// <summary>
    /// Fits one ITQ hasher on sketch and photo features stacked together (the cross-modal use: both domains are then
    /// encoded with the same mean, PCA and rotation). Each matrix needs at least one row, together at least 2.
    /// </summary>
    /// <exception cref="ArgumentException">A matrix is invalid, the column counts differ, or K is out of range.</exception>
    public static ItqHasher Fit(Tensor sketchFeatures, Tensor photoFeatures, int codeLength, ItqOptions? options = null)
    {
        using var scope = NewDisposeScope();
        return FitChecked(FeatureMatrix.StackDomains(sketchFeatures, photoFeatures), codeLength, options);
    }

    /// <summary>Codes of features [N, d] (float32 or float64, finite; N may be 0): bit = ((x − μ) W R) &gt; 0.</summary>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix with <see cref="FeatureDimensions"/> columns.</exception>
    public BinaryCodeSet Encode(Tensor features) =>
        FeatureMatrix.CenteredProjectionSigns(features, _mean, _projection, FeatureDimensions, CodeLength);

    /// <summary>The training mean μ, float64 [d] (a new tensor; the caller disposes it).</summary>
    public Tensor GetMean() => FeatureMatrix.FromArray(_mean, FeatureDimensions);

    /// <summary>
    /// The PCA directions W, float64 [d, K]: covariance eigenvectors by decreasing eigenvalue, each signed so that its
    /// largest-magnitude entry is positive (a new tensor).
    /// </summary>
    public Tensor GetPcaDirections() => FeatureMatrix.FromArray(_pca, FeatureDimensions, CodeLength);

    /// <summary>
    /// The learnt rotation R, float64 [K, K], orthogonal. Its columns are signed so that the columns of W R have a
    /// positive largest-magnitude entry (flipping a bit for every item changes no Hamming distance).
    /// </summary>
    public Tensor GetRotation() => FeatureMatrix.FromArray(_rotation, CodeLength, CodeLength);

    private static ItqHasher FitChecked(Tensor x, int codeLength, ItqOptions? options)
    {
        options = (options ?? new ItqOptions()).Validated();
        FeatureMatrix.CheckCodeLength(codeLength);
        int d = (int)x.shape[1];
        if (codeLength > d)
        {
            throw new ArgumentException($"codeLength ({codeLength}) cannot exceed the feature dimensions ({d}): PCA keeps at most d directions.", nameof(codeLength));
        }
        Tensor mean = x.mean(new long[] { 0 }, keepdim: true);
        Tensor centered = x.sub(mean);
        var (pca, variances) = Pca.Fit(centered, codeLength);
        var (rotation, losses) = ItqRotation.Learn(centered.matmul(pca), options.Iterations, new Random(options.Seed));
        rotation = rotation.mul(ColumnSigns.Of(pca.matmul(rotation)).unsqueeze(0));
        Tensor projection = pca.matmul(rotation);
        return new ItqHasher(FeatureMatrix.ToArray(mean), FeatureMatrix.ToArray(pca), FeatureMatrix.ToArray(rotation),
            FeatureMatrix.ToArray(projection), FeatureMatrix.ToArray(variances), losses, d, codeLength);
    }
}
