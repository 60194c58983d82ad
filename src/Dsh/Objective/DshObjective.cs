using Dsh.Native;
using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// The DSH objective in one place:
/// <c>‖B_Iᵀ B_S − m·W‖² + λ(‖Φ_I − D B_I‖² + ‖Φ_S − D B_S‖²) + ρ‖D‖² + γ(‖F_I − B_I‖² + ‖F_S − B_S‖²)</c>,
/// with codes B ∈ {−1,+1}^{m×n}, network outputs F (m×n), class vectors Φ = φ(Y) (d×n) and D (d×m).
/// <see cref="Evaluate"/> reports every term in float64 without forming W (n_I×n_S) or Φ (d×n);
/// <see cref="Quantization"/> and <see cref="RegressionLoss"/> are the differentiable, network-facing terms.
/// </summary>
public static class DshObjective
{
    /// <summary>
    /// Computes every term and the weighted total (float64; exact for ±1 codes up to about 10^15). With γ = 0 the
    /// network outputs may be null: the quantisation terms are then reported as NaN (not computed) and the total, which
    /// they do not enter, stays exact.
    /// </summary>
    /// <param name="problem">Labels and class vectors.</param>
    /// <param name="photoCodes">B_I, m×n_I, entries ±1.</param>
    /// <param name="sketchCodes">B_S, m×n_S, entries ±1.</param>
    /// <param name="d">D, d×m.</param>
    /// <param name="photoOutputs">F_I, m×n_I (the photo network's outputs, transposed); null only when γ is 0.</param>
    /// <param name="sketchOutputs">F_S, m×n_S; null only when γ is 0.</param>
    /// <param name="options">Weights; null for the defaults.</param>
    /// <exception cref="ArgumentException">
    /// Shapes disagree with the problem or each other, codes are not ±1, values are not finite, or outputs are null while γ &gt; 0.
    /// </exception>
    public static DshLossTerms Evaluate(DshCodeProblem problem, Tensor photoCodes, Tensor sketchCodes, Tensor d,
        Tensor? photoOutputs, Tensor? sketchOutputs, DshObjectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options = (options ?? new DshObjectiveOptions()).Validated();
        long m = CodeLengthOf(photoCodes, nameof(photoCodes));
        problem.CheckCodes(photoCodes, CodeDomain.Photo, m, nameof(photoCodes));
        problem.CheckCodes(sketchCodes, CodeDomain.Sketch, m, nameof(sketchCodes));
        CheckOutputs(problem, photoOutputs, CodeDomain.Photo, m, nameof(photoOutputs), options);
        CheckOutputs(problem, sketchOutputs, CodeDomain.Sketch, m, nameof(sketchOutputs), options);
        CheckD(problem, d, m);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor bi = photoCodes.detach().to(ScalarType.Float64);
        Tensor bs = sketchCodes.detach().to(ScalarType.Float64).to(bi.device);
        Tensor dd = d.detach().to(ScalarType.Float64).to(bi.device);
        double nI = problem.PhotoCount;
        double nS = problem.SketchCount;

        // Pairwise: ‖BᵢᵀBₛ‖² − 2m⟨W, BᵢᵀBₛ⟩ + m²‖W‖², with ‖BᵢᵀBₛ‖² = ⟨BᵢBᵢᵀ, BₛBₛᵀ⟩ and, for W = (1 − w)YᵢᵀYₛ + w·11ᵀ
        // (w: the dissimilar-pair target), ⟨W, BᵢᵀBₛ⟩ = (1 − w)⟨BᵢYᵢᵀ, BₛYₛᵀ⟩ + w(Bᵢ1)ᵀ(Bₛ1) and
        // ‖W‖² = same-class pairs + w²·other pairs. With photo-class balance each pair is weighted by its photo's ω: the
        // photos' codes enter every product times their weights (BᵢΩ), and the pair counts become weighted sums.
        Tensor gi = bi.matmul(bi.T);
        Tensor gs = bs.matmul(bs.T);
        Tensor ci = problem.ClassSums(bi, CodeDomain.Photo);
        Tensor cs = problem.ClassSums(bs, CodeDomain.Sketch);
        bool balance = options.BalancePhotoClasses && !problem.PhotoClassesEqual; // equal classes: every weight is 1
        Tensor biW = balance ? bi.mul(problem.PhotoWeights(true).to(bi.device)) : bi;
        double crossSquared = Scalar((balance ? biW.matmul(bi.T) : gi).mul(gs).sum());
        double w = options.DissimilarTargetFor(problem.ClassCount);
        Tensor ciW = balance ? problem.ClassSums(biW, CodeDomain.Photo) : ci;
        double crossW = (1 - w) * Scalar(ciW.mul(cs).sum()) + w * Scalar(biW.sum(1).dot(bs.sum(1)));
        double samePairs = problem.SameClassPairWeight(balance);
        double wSquared = samePairs + w * w * (nI * nS - samePairs);
        double pairwise = crossSquared - 2 * m * crossW + (double)m * m * wSquared;

        double semanticPhoto = Semantic(problem, dd, ci, gi, CodeDomain.Photo);
        double semanticSketch = Semantic(problem, dd, cs, gs, CodeDomain.Sketch);
        double dNorm = Scalar(dd.Squared().sum());
        double quantPhoto = photoOutputs is null ? double.NaN : Scalar(photoOutputs.detach().to(ScalarType.Float64).to(bi.device).sub(bi).Squared().sum());
        double quantSketch = sketchOutputs is null ? double.NaN : Scalar(sketchOutputs.detach().to(ScalarType.Float64).to(bi.device).sub(bs).Squared().sum());
        double total = pairwise + options.Lambda * (semanticPhoto + semanticSketch) + options.DRegularization * dNorm;
        if (options.Gamma > 0)
        {
            total += options.Gamma * (quantPhoto + quantSketch);
        }
        return new DshLossTerms(pairwise, pairwise / (nI * nS), semanticPhoto, semanticSketch, dNorm, quantPhoto, quantSketch, total);
    }

    /// <summary>
    /// ‖F − B‖²_F between network outputs and their target codes (any matching shapes), differentiable in
    /// <paramref name="outputs"/>: the quantisation term the network is trained on.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ, the outputs are empty, or the targets hold NaN.</exception>
    public static Tensor Quantization(Tensor outputs, Tensor codes)
    {
        CheckPair(outputs, codes);
        return outputs.sub(codes.to(outputs.dtype).to(outputs.device)).Squared().sum();
    }

    /// <summary>
    /// The θ-step loss for a mini-batch: ‖F − B‖²_F divided by the batch size (rows of [N, K] outputs). γ is a
    /// constant factor in this step and belongs in the learning rate, not in the loss.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ, the batch is empty, or the targets hold NaN.</exception>
    public static Tensor RegressionLoss(Tensor outputs, Tensor targets)
    {
        CheckPair(outputs, targets);
        if (outputs.dim() != 2)
        {
            throw new ArgumentException($"outputs must be [N, K], not [{string.Join(", ", outputs.shape)}].", nameof(outputs));
        }
        return Quantization(outputs, targets).DividedBy(outputs.shape[0]);
    }

    /// <summary>‖Φ − D B‖² = Σ_c n_c‖v_c‖² − 2⟨V, D·B Yᵀ⟩ + ⟨DᵀD, B Bᵀ⟩.</summary>
    private static double Semantic(DshCodeProblem problem, Tensor d, Tensor classSums, Tensor gram, CodeDomain domain)
    {
        Tensor v = problem.ClassVectors.to(d.device);
        Tensor counts = bincount(problem.Labels(domain), minlength: problem.ClassCount).to(d.device).to(ScalarType.Float64);
        double phiSquared = Scalar(counts.dot(v.Squared().sum(dim: 0)));
        double cross = Scalar(v.mul(d.matmul(classSums)).sum());
        double dbSquared = Scalar(d.T.matmul(d).mul(gram).sum());
        return phiSquared - 2 * cross + dbSquared;
    }

    internal static long CodeLengthOf(Tensor codes, string name)
    {
        ArgumentNullException.ThrowIfNull(codes, name);
        if (codes.dim() != 2)
        {
            throw new ArgumentException($"{name} must be an m×n matrix, not [{string.Join(", ", codes.shape)}].", name);
        }
        long m = codes.shape[0];
        if (m < 1)
        {
            throw new ArgumentException($"{name} has no bit rows.", name);
        }
        return m;
    }

    /// <summary>Network outputs of one domain: checked like codes' columns when given; null allowed only when γ is 0 (F is then not used).</summary>
    internal static void CheckOutputs(DshCodeProblem problem, Tensor? outputs, CodeDomain domain, long m, string name, DshObjectiveOptions options)
    {
        if (outputs is not null)
        {
            problem.CheckColumns(outputs, domain, m, name);
        }
        else if (options.Gamma > 0)
        {
            throw new ArgumentException($"{name} are needed when Gamma is above 0 (it is {options.Gamma}); pass them, or set Gamma to 0.", name);
        }
    }

    internal static void CheckD(DshCodeProblem problem, Tensor d, long m)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.dim() != 2 || d.shape[0] != problem.VectorDimension || d.shape[1] != m)
        {
            throw new ArgumentException(
                $"D must be [{problem.VectorDimension}, {m}] (vector dimension × code length), not [{string.Join(", ", d.shape)}].", nameof(d));
        }
        using var scope = NewDisposeScope();
        if (!isfinite(d).all().item<bool>())
        {
            throw new ArgumentException("D contains NaN or infinite values.", nameof(d));
        }
    }

    private static void CheckPair(Tensor outputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (!outputs.shape.SequenceEqual(targets.shape))
        {
            throw new ArgumentException(
                $"outputs [{string.Join(", ", outputs.shape)}] and targets [{string.Join(", ", targets.shape)}] must have the same shape.", nameof(targets));
        }
        if (outputs.numel() == 0)
        {
            throw new ArgumentException("outputs is empty.", nameof(outputs));
        }
        using var scope = NewDisposeScope();
        if (!isfinite(targets).all().item<bool>())
        {
            throw new ArgumentException("targets contains NaN or infinite values.", nameof(targets));
        }
    }

    private static double Scalar(Tensor t) => t.item<double>();
}
