namespace Dsh.Baselines;

/// <summary>Settings of <see cref="LshHasher"/>.</summary>
public sealed record LshOptions
{
    /// <summary>Seed of the random hyperplanes (default 0). Equal seeds and data give equal codes.</summary>
    public int Seed { get; init; }

    /// <summary>Returns this instance (there is nothing out of range yet; kept for symmetry with the other options).</summary>
    public LshOptions Validated() => this;
}
