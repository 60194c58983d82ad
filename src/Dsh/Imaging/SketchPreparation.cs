namespace Dsh.Imaging;

/// <summary>How <see cref="DshImaging.PrepareSketch(RgbImage, SketchPreparation?)"/> turns a drawing into black strokes on white.</summary>
public sealed record SketchPreparation
{
    /// <summary>The defaults: inversion decided from the image, anti-aliasing kept.</summary>
    public static SketchPreparation Default { get; } = new();

    /// <summary>
    /// <c>null</c> (default): invert when the image is mostly dark (the median luma of its border ring is below 128,
    /// i.e. white strokes on black paper); <c>true</c>: always invert; <c>false</c>: never.
    /// </summary>
    public bool? Invert { get; init; }

    /// <summary>
    /// <c>null</c> (default): keep the grey levels (anti-aliased strokes). A value t: after any inversion, luma ≥ t
    /// becomes white (255) and the rest black (0). Must be at least 1 (0 would turn everything white).
    /// </summary>
    public byte? Threshold { get; init; }

    /// <summary>Throws when <see cref="Threshold"/> is 0; returns this instance otherwise.</summary>
    /// <exception cref="ArgumentException">The threshold is 0.</exception>
    public SketchPreparation Validated()
    {
        if (Threshold == 0)
        {
            throw new ArgumentException("Threshold must be between 1 and 255 (0 would make every pixel white), or null to keep grey levels.", nameof(Threshold));
        }
        return this;
    }
}
