using Dsh.Native;
using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// The fixed part of the DSH objective: the class of every training photo and sketch, and one semantic vector
/// per class (for example a word embedding of the class name). Matrices follow the paper's layout: items are
/// columns, so codes and network outputs are m×n (transpose a network's [n, m] output with <c>.T</c>).
/// The problem keeps CPU copies; the objective and solvers compute on the device of the codes passed to them
/// (D and F are moved there too).
/// The similarity W (n_I×n_S, +1 same class, −1 otherwise) and Φ = φ(Y) (d×n) are never formed: every product the
/// objective and the solvers need is computed from the labels.
/// </summary>
public sealed class DshCodeProblem : IDisposable
{
    /// <summary>Creates the problem; tensors are copied (int64 labels, float64 vectors).</summary>
    /// <param name="photoLabels">Class index of each photo, [n_I], values in [0, c).</param>
    /// <param name="sketchLabels">Class index of each sketch, [n_S], values in [0, c).</param>
    /// <param name="classVectors">Semantic vector of each class as columns, [d, c], finite.</param>
    /// <exception cref="ArgumentException">Empty inputs, wrong ranks, labels outside [0, c), or non-finite vectors.</exception>
    public DshCodeProblem(Tensor photoLabels, Tensor sketchLabels, Tensor classVectors)
    {
        ArgumentNullException.ThrowIfNull(photoLabels);
        ArgumentNullException.ThrowIfNull(sketchLabels);
        ArgumentNullException.ThrowIfNull(classVectors);
        TorchRuntime.EnsureLoaded();
        if (classVectors.dim() != 2 || classVectors.shape[0] < 1 || classVectors.shape[1] < 1)
        {
            throw new ArgumentException($"classVectors must be [d, c] with d, c ≥ 1, not [{string.Join(", ", classVectors.shape)}].", nameof(classVectors));
        }
        if (!classVectors.is_floating_point())
        {
            throw new ArgumentException($"classVectors must be floating point, not {classVectors.dtype}.", nameof(classVectors));
        }
        using (NewDisposeScope())
        {
            if (!isfinite(classVectors).all().item<bool>())
            {
                throw new ArgumentException("classVectors contains NaN or infinite values.", nameof(classVectors));
            }
        }
        ClassCount = (int)classVectors.shape[1];
        // The problem owns its tensors (it is IDisposable): they belong to no caller's dispose scope.
        PhotoLabels = CheckLabels(photoLabels, ClassCount, nameof(photoLabels)).DetachFromDisposeScope();
        SketchLabels = CheckLabels(sketchLabels, ClassCount, nameof(sketchLabels)).DetachFromDisposeScope();
        using (var scope = NewDisposeScope())
        {
            ClassVectors = classVectors.detach().cpu().to(ScalarType.Float64).clone().DetachFromDisposeScope();
        }
    }

    /// <summary>Class of each photo, int64 [n_I].</summary>
    public Tensor PhotoLabels { get; }

    /// <summary>Class of each sketch, int64 [n_S].</summary>
    public Tensor SketchLabels { get; }

    /// <summary>Class vectors as columns, float64 [d, c].</summary>
    public Tensor ClassVectors { get; }

    /// <summary>Number of classes c.</summary>
    public int ClassCount { get; }

    /// <summary>Dimension d of the class vectors.</summary>
    public int VectorDimension => (int)ClassVectors.shape[0];

    /// <summary>Number of photos n_I.</summary>
    public long PhotoCount => PhotoLabels.shape[0];

    /// <summary>Number of sketches n_S.</summary>
    public long SketchCount => SketchLabels.shape[0];

    /// <summary>Number of (photo, sketch) pairs of one class: Σ_c n_I(c)·n_S(c).</summary>
    public double SameClassPairs => SameClassPairWeight(balance: false);

    /// <summary>
    /// Summed weight of the (photo, sketch) pairs of one class, each pair weighing its photo's <see cref="PhotoWeights"/>:
    /// <see cref="SameClassPairs"/> without balance.
    /// </summary>
    internal double SameClassPairWeight(bool balance)
    {
        using var scope = NewDisposeScope();
        Tensor photos = zeros(ClassCount, ScalarType.Float64).IndexAdd(0, PhotoLabels, PhotoWeights(balance));
        Tensor sketches = bincount(SketchLabels, minlength: ClassCount).to(ScalarType.Float64);
        return photos.dot(sketches).item<double>();
    }

    /// <summary>True when every class that has photos has equally many: balancing them then changes nothing.</summary>
    internal bool PhotoClassesEqual
    {
        get
        {
            using var scope = NewDisposeScope();
            Tensor counts = bincount(PhotoLabels, minlength: ClassCount);
            Tensor present = counts.masked_select(counts.GreaterThan(0));
            return present.min().item<long>() == present.max().item<long>();
        }
    }

    /// <summary>
    /// Each photo's weight in the pairwise term, float64 [n_I] on the CPU: 1 unless <paramref name="balance"/>, else
    /// n_I / (c · n_I(class)) with c the classes that have photos (so the weights sum to n_I and each such class's to n_I / c).
    /// </summary>
    internal Tensor PhotoWeights(bool balance)
    {
        if (!balance)
        {
            return ones(PhotoCount, ScalarType.Float64);
        }
        using var scope = NewDisposeScope();
        Tensor counts = bincount(PhotoLabels, minlength: ClassCount).to(ScalarType.Float64);
        double present = counts.GreaterThan(0).sum().item<long>();
        Tensor perClass = counts.AtLeast(1).reciprocal().Times(PhotoCount / present);
        return perClass.index_select(0, PhotoLabels).MoveToOuterDisposeScope();
    }

    /// <summary>Labels of one domain.</summary>
    internal Tensor Labels(CodeDomain domain) => domain == CodeDomain.Photo ? PhotoLabels : SketchLabels;

    /// <summary>Per-class sums of the columns of <paramref name="matrix"/> [r, n] → [r, c] (that is, matrix · Yᵀ).</summary>
    internal Tensor ClassSums(Tensor matrix, CodeDomain domain) =>
        zeros(new[] { matrix.shape[0], (long)ClassCount }, matrix.dtype, matrix.device).IndexAdd(1, Labels(domain).to(matrix.device), matrix);

    /// <summary>Throws unless <paramref name="matrix"/> is m×n for <paramref name="domain"/>, floating point and finite.</summary>
    internal void CheckColumns(Tensor matrix, CodeDomain domain, long rows, string name)
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        long n = domain == CodeDomain.Photo ? PhotoCount : SketchCount;
        string what = domain == CodeDomain.Photo ? "photos" : "sketches";
        if (matrix.dim() != 2 || matrix.shape[0] != rows || matrix.shape[1] != n)
        {
            throw new ArgumentException(
                $"{name} must be [{rows}, {n}] (one column per {what[..^1]}; the problem has {n} {what}), not [{string.Join(", ", matrix.shape)}].", name);
        }
        if (!matrix.is_floating_point())
        {
            throw new ArgumentException($"{name} must be floating point, not {matrix.dtype}.", name);
        }
        using var scope = NewDisposeScope();
        if (!isfinite(matrix).all().item<bool>())
        {
            throw new ArgumentException($"{name} contains NaN or infinite values.", name);
        }
    }

    /// <summary>Throws unless <paramref name="codes"/> is m×n of ±1 for <paramref name="domain"/>.</summary>
    internal void CheckCodes(Tensor codes, CodeDomain domain, long m, string name)
    {
        CheckColumns(codes, domain, m, name);
        using var scope = NewDisposeScope();
        if (!codes.abs().EqualTo(1).all().item<bool>())
        {
            throw new ArgumentException($"{name} must hold only −1 and +1.", name);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        PhotoLabels.Dispose();
        SketchLabels.Dispose();
        ClassVectors.Dispose();
    }

    private static Tensor CheckLabels(Tensor labels, int classes, string name)
    {
        if (labels.dim() != 1 || labels.shape[0] < 1)
        {
            throw new ArgumentException($"{name} must be a non-empty 1-d tensor of class indices, not [{string.Join(", ", labels.shape)}].", name);
        }
        if (labels.is_floating_point() || labels.dtype == ScalarType.Bool)
        {
            throw new ArgumentException($"{name} must hold integer class indices, not {labels.dtype}.", name);
        }
        using var scope = NewDisposeScope();
        Tensor result = labels.detach().cpu().to(ScalarType.Int64).clone();
        long min = result.min().item<long>();
        long max = result.max().item<long>();
        if (min < 0 || max >= classes)
        {
            throw new ArgumentException($"{name} must lie in [0, {classes}) (one class vector per class), but range over [{min}, {max}].", name);
        }
        return result.MoveToOuterDisposeScope();
    }
}
