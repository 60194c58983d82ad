namespace Dsh.Baselines;

/// <summary>Settings of <see cref="ItqHasher"/>.</summary>
public sealed record ItqOptions
{
    /// <summary>ITQ iterations (default 50, as in the paper; the loss has mostly settled by then). Must be ≥ 0; 0 keeps the random rotation.</summary>
    public int Iterations { get; init; } = 50;

    /// <summary>Seed of the random orthogonal start of the rotation (default 0). Equal seeds and data give equal codes.</summary>
    public int Seed { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">Iterations is negative.</exception>
    public ItqOptions Validated()
    {
        if (Iterations < 0)
        {
            throw new ArgumentException($"Iterations must be ≥ 0, not {Iterations}.", nameof(Iterations));
        }
        return this;
    }
}
