namespace Dsh.Trunks;

/// <summary>The shape of what a trunk makes of one image: <see cref="Channels"/> maps of <see cref="Height"/>×<see cref="Width"/>.</summary>
/// <param name="Channels">Feature maps (≥ 1).</param>
/// <param name="Height">Rows of each map (≥ 1; 1 after a global pool).</param>
/// <param name="Width">Columns of each map (≥ 1).</param>
public readonly record struct FeatureShape(int Channels, int Height, int Width)
{
    /// <summary>The flattened length, Channels × Height × Width (what a head's first layer takes).</summary>
    public long Length => (long)Channels * Height * Width;

    /// <inheritdoc />
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
