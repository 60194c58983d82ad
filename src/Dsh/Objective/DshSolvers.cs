using Dsh.Native;
using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// The sub-problem solvers of DSH's alternating optimisation, as pure tensor functions (inputs are never
/// modified): the closed-form D-step and the discrete updates of B_I and B_S by cyclic coordinate descent over
/// bit-rows. Each row step is the exact minimiser of the objective over that row with everything else fixed,
/// so the objective never increases. The trainer wires them with the θ-step (network regression onto codes).
/// </summary>
public static class DshSolvers
{
    /// <summary>
    /// The D-step: D = (Φ_I B_Iᵀ + Φ_S B_Sᵀ)(B_I B_Iᵀ + B_S B_Sᵀ + (ρ/λ)·I)⁻¹, the minimiser of
    /// λ(‖Φ_I − D B_I‖² + ‖Φ_S − D B_S‖²) + ρ‖D‖², by a Cholesky solve of the m×m normal equations
    /// (the pseudo-inverse, i.e. the minimum-norm least-squares D, when ρ = 0). Returns D as float64 [d, m].
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree with the problem, or codes are not ±1.</exception>
    public static Tensor UpdateD(DshCodeProblem problem, Tensor photoCodes, Tensor sketchCodes, DshObjectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options = (options ?? new DshObjectiveOptions()).Validated();
        long m = DshObjective.CodeLengthOf(photoCodes, nameof(photoCodes));
        problem.CheckCodes(photoCodes, CodeDomain.Photo, m, nameof(photoCodes));
        problem.CheckCodes(sketchCodes, CodeDomain.Sketch, m, nameof(sketchCodes));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor bi = photoCodes.detach().to(ScalarType.Float64);
        Tensor bs = sketchCodes.detach().to(ScalarType.Float64).to(bi.device);
        Tensor v = problem.ClassVectors.to(bi.device);
        Tensor rhs = v.matmul(problem.ClassSums(bi, CodeDomain.Photo).T).Plus(v.matmul(problem.ClassSums(bs, CodeDomain.Sketch).T)); // [d, m]
        Tensor a = bi.matmul(bi.T).Plus(bs.matmul(bs.T));
        double ridge = options.DRegularization / options.Lambda;
        if (ridge > 0)
        {
            a = a.Plus(eye(m, dtype: ScalarType.Float64, device: bi.device).Times(ridge));
        }
        // Dᵀ = A⁻¹ Rᵀ (A symmetric). With a ridge A is positive definite: Cholesky. Without one A may be singular
        // (codes repeat within a class), so use the SVD-based pseudo-inverse: the minimum-norm least-squares D.
        Tensor dT = ridge > 0
            ? cholesky_solve(rhs.T, linalg.cholesky(a))
            : linalg.pinv(a, hermitian: true).matmul(rhs.T);
        return dT.T.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The B_I-step: updates photo codes row by row (each row written before the next is computed, sweeps until no
    /// bit changes or <see cref="DshObjectiveOptions.MaxCodeSweeps"/>), with B_S, D and F_I fixed. Row k becomes
    /// sgn(m·W s + λΦ_Iᵀd_k + γf − B̂_Iᵀ(B̂_S s + λD̂ᵀd_k)); a tie keeps the old bit.
    /// </summary>
    /// <param name="problem">Labels and class vectors.</param>
    /// <param name="photoCodes">Current B_I, m×n_I, ±1 (not modified).</param>
    /// <param name="sketchCodes">B_S, m×n_S, ±1.</param>
    /// <param name="d">D, d×m.</param>
    /// <param name="photoOutputs">F_I, m×n_I; may be null when γ (<see cref="DshObjectiveOptions.Gamma"/>) is 0, which leaves F out.</param>
    /// <param name="options">Weights; null for the defaults.</param>
    /// <param name="cancellationToken">Checked between rows.</param>
    /// <exception cref="ArgumentException">Shapes disagree, codes are not ±1, or the outputs are null while γ &gt; 0.</exception>
    public static DshCodeUpdate UpdatePhotoCodes(DshCodeProblem problem, Tensor photoCodes, Tensor sketchCodes, Tensor d,
        Tensor? photoOutputs, DshObjectiveOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateCodes(problem, CodeDomain.Photo, photoCodes, sketchCodes, d, photoOutputs, options, cancellationToken);

    /// <summary>
    /// The B_S-step: the same scheme for sketch codes with B_I (the updated one), D and F_S fixed. Row k becomes
    /// sgn(m·Wᵀ r + λΦ_Sᵀd_k + γf_S − B̂_Sᵀ(B̂_I r + λD̂ᵀd_k)). <paramref name="sketchOutputs"/> may be null when γ is 0.
    /// </summary>
    public static DshCodeUpdate UpdateSketchCodes(DshCodeProblem problem, Tensor sketchCodes, Tensor photoCodes, Tensor d,
        Tensor? sketchOutputs, DshObjectiveOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateCodes(problem, CodeDomain.Sketch, sketchCodes, photoCodes, d, sketchOutputs, options, cancellationToken);

    /// <summary>Random ±1 codes, m×n float32 (the usual start of the alternating optimisation).</summary>
    public static Tensor RandomCodes(int codeLength, long count, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        return randint(0, 2, new[] { (long)codeLength, count }, generator: generator).Times(2).Minus(1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private static DshCodeUpdate UpdateCodes(DshCodeProblem problem, CodeDomain own, Tensor ownCodes, Tensor otherCodes,
        Tensor d, Tensor? outputs, DshObjectiveOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options = (options ?? new DshObjectiveOptions()).Validated();
        CodeDomain other = own == CodeDomain.Photo ? CodeDomain.Sketch : CodeDomain.Photo;
        string ownName = own == CodeDomain.Photo ? "photoCodes" : "sketchCodes";
        string otherName = own == CodeDomain.Photo ? "sketchCodes" : "photoCodes";
        string outputsName = own == CodeDomain.Photo ? "photoOutputs" : "sketchOutputs";
        long m = DshObjective.CodeLengthOf(ownCodes, ownName);
        problem.CheckCodes(ownCodes, own, m, ownName);
        problem.CheckCodes(otherCodes, other, m, otherName);
        DshObjective.CheckOutputs(problem, outputs, own, m, outputsName, options);
        DshObjective.CheckD(problem, d, m);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor b = ownCodes.detach().to(ScalarType.Float64).clone();
        Tensor o = otherCodes.detach().to(ScalarType.Float64).to(b.device);
        Tensor? f = options.Gamma > 0 ? outputs!.detach().to(ScalarType.Float64).to(b.device) : null;
        Tensor dd = d.detach().to(ScalarType.Float64).to(b.device);
        Tensor ownLabels = problem.Labels(own).to(b.device);
        double lambda = options.Lambda;
        double nOther = own == CodeDomain.Photo ? problem.SketchCount : problem.PhotoCount;
        double w = options.DissimilarTargetFor(problem.ClassCount);

        // Photo-class balance (off by default) weighs each photo's pairs by its ω: in the sketch update the photos' codes
        // enter every product times their weights (B_I Ω r, Y_I Ω r, 1ᵀ Ω r, and Σω for the removed row), and in the photo
        // update each photo's pairwise part is scaled by its own weight. Without it the argument is the paper's, as before.
        bool balance = options.BalancePhotoClasses && !problem.PhotoClassesEqual; // equal classes: every weight is 1
        Tensor? ownWeights = balance && own == CodeDomain.Photo ? problem.PhotoWeights(true).to(b.device) : null;
        Tensor? otherWeights = balance && other == CodeDomain.Photo ? problem.PhotoWeights(true).to(b.device) : null;
        Tensor ow = otherWeights is null ? o : o.mul(otherWeights);
        if (otherWeights is not null)
        {
            nOther = otherWeights.sum().item<double>();  // r·Ω r for the removed row: Σω
        }

        // Fixed during the update: Gram matrices and class sums of the other side, D's products.
        Tensor otherGram = ow.matmul(o.T);                                  // (B_o Ω B_oᵀ)[:, k] = B_o Ω s
        Tensor otherClassSums = problem.ClassSums(ow, other);               // row k: Y_o Ω s per class
        Tensor otherRowSums = ow.sum(1);                                    // 1ᵀ Ω s
        Tensor dGram = dd.T.matmul(dd);                                     // Dᵀ d_k = column k
        Tensor vTd = problem.ClassVectors.to(dd.device).T.matmul(dd);       // [c, m]: Vᵀ d_k = column k
        Tensor dNormsSquared = dd.Squared().sum(dim: 0);                          // ‖d_k‖²

        int sweeps = 0;
        long changedThisSweep;
        do
        {
            changedThisSweep = 0;
            for (long k = 0; k < m; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var rowScope = NewDisposeScope();
                Tensor z = b[k];
                // (W s) or (Wᵀ r), with W = (1 − w)YᵀY' + w·11ᵀ: (1 − w)·(own class's sum) + w·(sum of all)
                Tensor ws = otherClassSums[k].index_select(0, ownLabels).Times(1 - w).Plus(otherRowSums[k].Times(w));
                Tensor argument;
                if (!balance)
                {
                    Tensor u = otherGram[TensorIndex.Colon, k].Plus(dGram[TensorIndex.Colon, k], lambda);  // B_o s + λ Dᵀ d_k
                    Tensor coupled = b.T.matmul(u).sub(z.Times(nOther + lambda * dNormsSquared[k].item<double>())); // B̂ᵀ(…) with row k removed
                    argument = ws.Times(m).Plus(vTd[TensorIndex.Colon, k].index_select(0, ownLabels), lambda);
                    if (f is not null)
                    {
                        argument = argument.Plus(f[k], options.Gamma);
                    }
                    argument = argument.sub(coupled);
                }
                else
                {
                    Tensor pairwise = ws.Times(m).sub(b.T.matmul(otherGram[TensorIndex.Colon, k]).sub(z.Times(nOther)));
                    Tensor semantic = vTd[TensorIndex.Colon, k].index_select(0, ownLabels)
                        .sub(b.T.matmul(dGram[TensorIndex.Colon, k]).sub(z.Times(dNormsSquared[k].item<double>())));
                    argument = (ownWeights is null ? pairwise : pairwise.mul(ownWeights)).Plus(semantic, lambda);
                    if (f is not null)
                    {
                        argument = argument.Plus(f[k], options.Gamma);
                    }
                }
                Tensor updated = where(argument.GreaterThan(0), ones_like(z), where(argument.LessThan(0), ones_like(z).neg(), z));
                changedThisSweep += updated.ne(z).sum().item<long>();
                b[k] = updated;
            }
            sweeps++;
        }
        while (changedThisSweep > 0 && sweeps < options.MaxCodeSweeps);

        long bitsChanged = b.ne(ownCodes.detach().to(ScalarType.Float64)).sum().item<long>();
        Tensor result = b.to(ownCodes.dtype).MoveToOuterDisposeScope();
        return new DshCodeUpdate(result, sweeps, bitsChanged);
    }
}
