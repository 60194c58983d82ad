namespace Dsh.Imaging;

/// <summary>
/// How an image becomes a network input: letterboxed into a <see cref="Size"/>×<see cref="Size"/> square (the longer
/// side fitted, the rest filled with <see cref="PadColor"/>), then each channel mapped through
/// <see cref="Normalization"/>. A trunk spec gives one for each role (<c>DshArchitecture.SketchInput</c> and
/// <c>PhotoInput</c>); <see cref="DshImaging.ToTensor(IReadOnlyList{RgbImage}, ImageInputSpec)"/>
/// applies it.
/// </summary>
public sealed record ImageInputSpec
{
    /// <summary>Makes a spec; see the properties.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not in [1, 65,536].</exception>
    /// <exception cref="ArgumentNullException"><paramref name="normalization"/> is null.</exception>
    public ImageInputSpec(int size, RgbColor padColor, ImageNormalization normalization)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 65_536);
        ArgumentNullException.ThrowIfNull(normalization);
        Size = size;
        PadColor = padColor;
        Normalization = normalization;
    }

    /// <summary>Side in pixels of the square input (3 channels).</summary>
    public int Size { get; }

    /// <summary>The colour around an image that is not square.</summary>
    public RgbColor PadColor { get; }

    /// <summary>The per-channel mean and standard deviation applied to the pixels.</summary>
    public ImageNormalization Normalization { get; }

    /// <summary>Floats of one image: 3 × <see cref="Size"/> × <see cref="Size"/>.</summary>
    public int FloatsPerImage => 3 * Size * Size;
}
