using System.Text.Json.Serialization;

namespace Dsh.Objective;

/// <summary>
/// Weights of the DSH objective
/// <c>‖B_Iᵀ B_S − m·W‖² + λ(‖Φ_I − D B_I‖² + ‖Φ_S − D B_S‖²) + ρ‖D‖² + γ(‖F_I − B_I‖² + ‖F_S − B_S‖²)</c>
/// and of its discrete solvers. Defaults: λ as in the reference port (the paper's own values are not confirmed), γ = 0
/// (see <see cref="Gamma"/>), and a ρ that only keeps the D-step well posed.
/// </summary>
public sealed record DshObjectiveOptions
{
    /// <summary>The defaults listed on each property.</summary>
    public DshObjectiveOptions()
    {
    }

    /// <summary>
    /// How a model file's stored training options are read: a file that does not name
    /// <see cref="BalancePhotoClasses"/> was trained before the option existed, when every pair weighed 1.
    /// </summary>
    [JsonConstructor]
    private DshObjectiveOptions(bool balancePhotoClasses) => BalancePhotoClasses = balancePhotoClasses;

    /// <summary>λ: weight of the semantic factorisation terms (default 0.01). Must be &gt; 0.</summary>
    public double Lambda { get; init; } = 0.01;

    /// <summary>
    /// γ: weight of the quantisation terms tying network outputs F to codes B in the code update (default 0; the
    /// reference port's 1e-5 is too small to tip a bit beside the pairwise term, measured in docs/results.md). Must be ≥ 0.
    /// Above 0, each epoch's code update first computes F over the whole training set; at 0 it skips that pass.
    /// </summary>
    public double Gamma { get; init; } = 0;

    /// <summary>
    /// ρ: weight of the regulariser ‖D‖² (default 0.01, i.e. ρ/λ = 1: a ridge of 1 in the m×m normal equations,
    /// negligible beside B·Bᵀ's diagonal of n_I + n_S, but it keeps the solve positive definite when codes repeat).
    /// Must be ≥ 0; with 0 a singular system falls back to the pseudo-inverse.
    /// </summary>
    public double DRegularization { get; init; } = 0.01;

    /// <summary>
    /// The entry of W for a photo and a sketch of different classes, in [−1, 0] (pairs of one class are +1): the
    /// pairwise term asks their codes' inner product to be m times it. −1 (default) is the paper's: every such pair
    /// asks for opposite codes, which no more than two classes can have at once. null takes −1/(c − 1) for c classes,
    /// the inner product of c codes spread evenly (a regular simplex), which every pair of classes can reach at once;
    /// 0 asks for unrelated codes. See <see cref="DissimilarTargetFor"/>.
    /// </summary>
    public double? DissimilarPairTarget { get; init; } = -1.0;

    /// <summary>The W entry for pairs of different classes with <paramref name="classCount"/> classes: <see cref="DissimilarPairTarget"/>, or −1/(c − 1) when it is null (−1 for one or two classes).</summary>
    public double DissimilarTargetFor(int classCount) =>
        DissimilarPairTarget ?? (classCount <= 2 ? -1.0 : -1.0 / (classCount - 1));

    /// <summary>
    /// Reads a <see cref="DissimilarPairTarget"/> written as text: <c>paper</c> → −1, <c>simplex</c> → null, or a number
    /// from −1 to 0 (invariant culture); false for anything else.
    /// </summary>
    public static bool TryParseDissimilarPairTarget(string text, out double? target)
    {
        target = null;
        if (string.Equals(text, "simplex", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (string.Equals(text, "paper", StringComparison.OrdinalIgnoreCase))
        {
            target = -1.0;
            return true;
        }
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) && value >= -1 && value <= 0)
        {
            target = value;
            return true;
        }
        return false;
    }

    /// <summary>The target as <see cref="TryParseDissimilarPairTarget"/> reads it: <c>paper</c>, <c>simplex</c> or the number.</summary>
    public string DissimilarPairTargetText => DissimilarPairTarget switch
    {
        null => "simplex",
        -1.0 => "paper",
        double t => t.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Weighs each photo's pairs in the pairwise term by n_I / (c · n_I(class)) (c: the classes that have photos), so
    /// that a sketch's code heeds every class's photos alike however many photos the class has; the weights still sum
    /// to n_I. Default true (on PACS higher at 64 bits with every seed measured, level at 128, lower on average at 32: docs/results.md); false weighs
    /// every pair 1, as in the paper. Classes with equally many photos train the same either way.
    /// </summary>
    public bool BalancePhotoClasses { get; init; } = true;

    /// <summary>Maximum sweeps over the m bit-rows in one B update (default 3); a sweep that changes no bit stops early.</summary>
    public int MaxCodeSweeps { get; init; } = 3;

    /// <summary>
    /// The text a checkpoint stores to tell runs apart. With the paper's target it is the text written before
    /// <see cref="DissimilarPairTarget"/> existed, so checkpoints of those versions still resume.
    /// </summary>
    internal string CheckpointText()
    {
        string weights = $"Lambda = {Lambda}, Gamma = {Gamma}, DRegularization = {DRegularization}, MaxCodeSweeps = {MaxCodeSweeps}";
        string target = DissimilarPairTarget switch
        {
            -1.0 => "",
            null => ", DissimilarPairTarget = simplex",
            double t => $", DissimilarPairTarget = {t}",
        };
        string balance = BalancePhotoClasses ? ", BalancePhotoClasses = True" : "";
        return $"{nameof(DshObjectiveOptions)} {{ {weights}{target}{balance} }}";
    }

    /// <summary>Throws when a weight is negative, not finite, or λ is 0, or the dissimilar-pair target is outside [−1, 0].</summary>
    /// <exception cref="ArgumentException">A weight is out of range; the message names it.</exception>
    public DshObjectiveOptions Validated()
    {
        if (!(Lambda > 0) || !double.IsFinite(Lambda))
        {
            throw new ArgumentException($"Lambda must be a finite value > 0, not {Lambda}.", nameof(Lambda));
        }
        if (!(Gamma >= 0) || !double.IsFinite(Gamma))
        {
            throw new ArgumentException($"Gamma must be a finite value ≥ 0, not {Gamma}.", nameof(Gamma));
        }
        if (!(DRegularization >= 0) || !double.IsFinite(DRegularization))
        {
            throw new ArgumentException($"DRegularization must be a finite value ≥ 0, not {DRegularization}.", nameof(DRegularization));
        }
        if (DissimilarPairTarget is { } target && !(target >= -1 && target <= 0))
        {
            throw new ArgumentException($"DissimilarPairTarget must be between -1 and 0 (or null for -1/(classes - 1)), not {target}.", nameof(DissimilarPairTarget));
        }
        if (MaxCodeSweeps < 1)
        {
            throw new ArgumentException($"MaxCodeSweeps must be at least 1, not {MaxCodeSweeps}.", nameof(MaxCodeSweeps));
        }
        return this;
    }
}
