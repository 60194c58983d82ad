namespace Dsh.Baselines;

/// <summary>Settings of <see cref="LinearSupervisedHasher"/>.</summary>
public sealed record LinearHashOptions
{
    /// <summary>
    /// α, the ridge weight relative to the feature scale (default 1.0): each domain's regression uses
    /// λ = α · tr(XcᵀXc) / d, i.e. α times the mean eigenvalue of its centered Gram matrix, so the same α suits raw
    /// or normalised features of any size n. Must be finite and &gt; 0.
    /// </summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>
    /// Seeded draws of the C×K random ±1 category-code matrix (default 64); the draw whose closest pair of category
    /// codes is farthest apart in Hamming distance is kept (the first on ties). Must be ≥ 1.
    /// </summary>
    public int CodeDraws { get; init; } = 64;

    /// <summary>Seed of the category-code draws (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">Alpha is not a finite positive value, or CodeDraws &lt; 1.</exception>
    public LinearHashOptions Validated()
    {
        if (!(Alpha > 0) || !double.IsFinite(Alpha))
        {
            throw new ArgumentException($"Alpha must be a finite value > 0, not {Alpha}.", nameof(Alpha));
        }
        if (CodeDraws < 1)
        {
            throw new ArgumentException($"CodeDraws must be at least 1, not {CodeDraws}.", nameof(CodeDraws));
        }
        return this;
    }
}
