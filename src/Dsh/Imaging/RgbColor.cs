using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Imaging;

/// <summary>An 8-bit RGB colour (the padding colour of an <see cref="ImageInputSpec"/>).</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>White: the paper colour of sketches and sketch-tokens.</summary>
    public static RgbColor White { get; } = new(255, 255, 255);

    internal Rgb24 ToRgb24() => new(R, G, B);
}
