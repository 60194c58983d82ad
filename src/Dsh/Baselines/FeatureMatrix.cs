using Dsh.Hashing;
using Dsh.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>Checks and conversions of the feature matrices [n, d] the baseline hashers take.</summary>
internal static class FeatureMatrix
{
    /// <summary>
    /// Validates <paramref name="features"/> (2-d, floating point, finite, <paramref name="columns"/> columns when
    /// given, at least <paramref name="minRows"/> rows) and returns it as a CPU float64 contiguous copy owned by the
    /// caller's dispose scope.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix does not fit; the message names the parameter and says why.</exception>
    public static Tensor ToFloat64(Tensor features, string paramName, long? columns = null, long minRows = 0)
    {
        ArgumentNullException.ThrowIfNull(features, paramName);
        TorchRuntime.EnsureLoaded();
        if (features.dim() != 2)
        {
            throw new ArgumentException($"{paramName} must be a 2-d [n, d] matrix, not [{string.Join(", ", features.shape)}].", paramName);
        }
        if (!features.is_floating_point())
        {
            throw new ArgumentException($"{paramName} must be float32 or float64, not {features.dtype}.", paramName);
        }
        if (columns is long d && features.shape[1] != d)
        {
            throw new ArgumentException($"{paramName} has {features.shape[1]} columns but the hasher was fitted on {d}.", paramName);
        }
        if (features.shape[1] < 1)
        {
            throw new ArgumentException($"{paramName} has no columns.", paramName);
        }
        if (features.shape[0] < minRows)
        {
            throw new ArgumentException($"{paramName} has {features.shape[0]} rows; at least {minRows} are needed.", paramName);
        }
        Tensor x = features.detach().cpu().to(ScalarType.Float64).contiguous();
        if (x.numel() > 0 && !isfinite(x).all().item<bool>())
        {
            Tensor bad = isfinite(x).logical_not().nonzero()[0];
            throw new ArgumentException($"{paramName} holds a NaN or infinite value (row {bad[0].item<long>()}, column {bad[1].item<long>()}).", paramName);
        }
        return x;
    }

    /// <summary>Stacks two matrices with the same column count (for example sketch and photo features).</summary>
    /// <exception cref="ArgumentException">The column counts differ.</exception>
    public static Tensor Concatenate(Tensor sketches, Tensor photos)
    {
        if (sketches.shape[1] != photos.shape[1])
        {
            throw new ArgumentException($"Sketch features have {sketches.shape[1]} columns but photo features {photos.shape[1]}.", nameof(photos));
        }
        return cat(new[] { sketches, photos }, 0);
    }

    /// <summary>
    /// Sketch and photo features (each checked: finite, at least one row) stacked into one float64 matrix, for
    /// hashers fitted on both domains together.
    /// </summary>
    /// <exception cref="ArgumentException">A matrix is invalid or the column counts differ.</exception>
    public static Tensor StackDomains(Tensor sketchFeatures, Tensor photoFeatures) =>
        Concatenate(ToFloat64(sketchFeatures, nameof(sketchFeatures), minRows: 1), ToFloat64(photoFeatures, nameof(photoFeatures), minRows: 1));

    /// <summary>Codes of features [N, d] under a centred linear projection: bit = ((x − μ) P) &gt; 0.</summary>
    /// <exception cref="ArgumentException">Not a finite 2-d float matrix with d columns.</exception>
    public static BinaryCodeSet CenteredProjectionSigns(Tensor features, double[] mean, double[] projection, int d, int k)
    {
        using var scope = NewDisposeScope();
        Tensor x = ToFloat64(features, nameof(features), d);
        return Signs(x.sub(FromArray(mean, 1, d)).matmul(FromArray(projection, d, k)));
    }

    /// <summary>Codes of real projections [n, K]: bit = value &gt; 0 (taken in float64, so tiny positives count).</summary>
    public static BinaryCodeSet Signs(Tensor projections)
    {
        using var scope = NewDisposeScope();
        int k = (int)projections.shape[1];
        if (projections.shape[0] == 0)
        {
            return BinaryCodeSet.FromSigns(ReadOnlySpan<float>.Empty, k);
        }
        float[] signs = projections.GreaterThan(0).to(ScalarType.Float32).Times(2).Minus(1).contiguous().data<float>().ToArray();
        return BinaryCodeSet.FromSigns(signs, k);
    }

    /// <summary>The values of a float64 tensor, row-major.</summary>
    public static double[] ToArray(Tensor t) => t.detach().cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    /// <summary>A float64 CPU tensor of the given shape over a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(double[] values, params long[] shape) => tensor(values, shape, ScalarType.Float64);

    /// <summary>Throws unless 1 ≤ <paramref name="codeLength"/> ≤ <see cref="BinaryCode.MaxCodeLength"/>.</summary>
    public static void CheckCodeLength(int codeLength)
    {
        if (codeLength < 1 || codeLength > BinaryCode.MaxCodeLength)
        {
            throw new ArgumentException($"codeLength must be between 1 and {BinaryCode.MaxCodeLength}, not {codeLength}.", nameof(codeLength));
        }
    }
}
