using Dsh.Hashing;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// The linear supervised hash of issue #6, a strong baseline on frozen features: every category gets one ±1 code
/// (seeded random codes, the draw whose closest pair is farthest apart), and per domain a ridge regression maps
/// features onto the code of each training item's category; an item's code is the sign of its regression output,
/// code(x) = sgn((x − μ_domain) W_domain + ȳ_domain). Sketches and photos land in the same Hamming space because
/// both regress onto the same category codes. Holds plain arrays; no disposal needed.
/// </summary>
public sealed class LinearSupervisedHasher
{
    private readonly RidgeRegression _sketch;
    private readonly RidgeRegression _photo;
    private readonly BinaryCode[] _classCodes;

    private LinearSupervisedHasher(RidgeRegression sketch, RidgeRegression photo, BinaryCode[] classCodes, int minimumDistance)
    {
        _sketch = sketch;
        _photo = photo;
        _classCodes = classCodes;
        MinimumClassCodeDistance = minimumDistance;
    }

    /// <summary>Bits a code (K).</summary>
    public int CodeLength => _sketch.OutputDimensions;

    /// <summary>Number of categories C; labels are 0 … C − 1.</summary>
    public int ClassCount => _classCodes.Length;

    /// <summary>Columns of the sketch features.</summary>
    public int SketchFeatureDimensions => _sketch.InputDimensions;

    /// <summary>Columns of the photo features (may differ from the sketches').</summary>
    public int PhotoFeatureDimensions => _photo.InputDimensions;

    /// <summary>Smallest Hamming distance between two category codes (K when there is one category).</summary>
    public int MinimumClassCodeDistance { get; }

    /// <summary>The absolute ridge weight λ = α·tr(XcᵀXc)/d used for the sketch regression.</summary>
    public double SketchRidge => _sketch.Lambda;

    /// <summary>The absolute ridge weight used for the photo regression.</summary>
    public double PhotoRidge => _photo.Lambda;

    /// <summary>
    /// Draws the category codes and fits one ridge regression per domain.
    /// </summary>
    /// <param name="sketchFeatures">Sketch features [n_S ≥ 2, d_S], float32/64, finite.</param>
    /// <param name="sketchLabels">Category of each sketch, 0 … <paramref name="classCount"/> − 1.</param>
    /// <param name="photoFeatures">Photo features [n_I ≥ 2, d_I].</param>
    /// <param name="photoLabels">Category of each photo.</param>
    /// <param name="classCount">C ≥ 1.</param>
    /// <param name="codeLength">K, 1 … <see cref="BinaryCode.MaxCodeLength"/>.</param>
    /// <param name="options">Ridge weight, code draws and seed; null for the defaults.</param>
    /// <exception cref="ArgumentException">
    /// A matrix is invalid or has fewer than 2 rows or only equal rows, label counts differ from row counts, a label is
    /// out of range, or C or K is out of range.
    /// </exception>
    public static LinearSupervisedHasher Fit(Tensor sketchFeatures, IReadOnlyList<int> sketchLabels, Tensor photoFeatures,
        IReadOnlyList<int> photoLabels, int classCount, int codeLength, LinearHashOptions? options = null)
    {
        options = (options ?? new LinearHashOptions()).Validated();
        FeatureMatrix.CheckCodeLength(codeLength);
        if (classCount < 1)
        {
            throw new ArgumentException($"classCount must be at least 1, not {classCount}.", nameof(classCount));
        }
        using var scope = NewDisposeScope();
        Tensor s = FeatureMatrix.ToFloat64(sketchFeatures, nameof(sketchFeatures), minRows: 2);
        Tensor p = FeatureMatrix.ToFloat64(photoFeatures, nameof(photoFeatures), minRows: 2);
        long[] sLabels = CheckLabels(sketchLabels, s.shape[0], classCount, nameof(sketchLabels));
        long[] pLabels = CheckLabels(photoLabels, p.shape[0], classCount, nameof(photoLabels));

        var (codes, minimumDistance) = CategoryCodes.Choose(classCount, codeLength, options.CodeDraws, new Random(options.Seed));
        RidgeRegression sketch = RidgeRegression.Fit(s, codes.index_select(0, tensor(sLabels)), options.Alpha, nameof(sketchFeatures));
        RidgeRegression photo = RidgeRegression.Fit(p, codes.index_select(0, tensor(pLabels)), options.Alpha, nameof(photoFeatures));
        BinaryCodeSet classCodes = FeatureMatrix.Signs(codes);
        return new LinearSupervisedHasher(sketch, photo, classCodes.ToArray(), minimumDistance);
    }

    /// <summary>Codes of sketch features [N, d_S]: bit = ((x − μ_S) W_S + ȳ_S) &gt; 0.</summary>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix with <see cref="SketchFeatureDimensions"/> columns.</exception>
    public BinaryCodeSet EncodeSketches(Tensor sketchFeatures) => Encode(_sketch, sketchFeatures, nameof(sketchFeatures));

    /// <summary>Codes of photo features [N, d_I]: bit = ((x − μ_I) W_I + ȳ_I) &gt; 0.</summary>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix with <see cref="PhotoFeatureDimensions"/> columns.</exception>
    public BinaryCodeSet EncodePhotos(Tensor photoFeatures) => Encode(_photo, photoFeatures, nameof(photoFeatures));

    /// <summary>The target code of a category (bit = +1 entry).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label is not in 0 … <see cref="ClassCount"/> − 1.</exception>
    public BinaryCode ClassCode(int label)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, ClassCount);
        return _classCodes[label];
    }

    private static BinaryCodeSet Encode(RidgeRegression regression, Tensor features, string paramName)
    {
        using var scope = NewDisposeScope();
        Tensor x = FeatureMatrix.ToFloat64(features, paramName, regression.InputDimensions);
        return FeatureMatrix.Signs(regression.Predict(x));
    }

    private static long[] CheckLabels(IReadOnlyList<int> labels, long rows, int classCount, string paramName)
    {
        ArgumentNullException.ThrowIfNull(labels, paramName);
        if (labels.Count != rows)
        {
            throw new ArgumentException($"{paramName} has {labels.Count} labels for {rows} feature rows.", paramName);
        }
        var result = new long[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= classCount)
            {
                throw new ArgumentException($"{paramName}[{i}] is {labels[i]}, outside 0 … {classCount - 1}.", paramName);
            }
            result[i] = labels[i];
        }
        return result;
    }
}
