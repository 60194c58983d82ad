namespace Dsh.Imaging;

/// <summary>
/// Limits for decoding images that may come from anyone (a user's folder, an HTTP upload). Every decoder in the library
/// (<see cref="RgbImage.Load(string, ImageDecodingOptions)"/>, the model's encoders, the dataset loaders, the trainer) checks
/// them from the file's header before any pixel buffer exists, decodes only the first frame of animated or multi-page files,
/// and allocates through an ImageSharp allocator whose single-buffer limit follows <see cref="MaxPixels"/>. A refusal is an
/// <see cref="InvalidDataException"/> naming the file and the limit, wrapping an <see cref="ImageLimitExceededException"/>.
/// See docs/imaging.md.
/// </summary>
public sealed record ImageDecodingOptions
{
    /// <summary>The default of <see cref="MaxPixels"/>: 40 million pixels (e.g. 7,746 × 5,164), more than any camera photo needs.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>The default of <see cref="MaxEncodedBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxEncodedBytes = 64L * 1024 * 1024;

    /// <summary>The default limits.</summary>
    public static ImageDecodingOptions Default { get; } = new();

    /// <summary>
    /// The most pixels (width × height of the first frame, as the header declares) an image may have; at least 1.
    /// Decoding one image takes up to about 12 bytes a pixel at its peak (the decoded frame, its RGBA copy and the RGB
    /// result), so the default bounds one decode at roughly 0.5 GB.
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>The largest encoded file or stream accepted, in bytes; at least 1. Checked before the content is read.</summary>
    public long MaxEncodedBytes { get; init; } = DefaultMaxEncodedBytes;

    /// <summary>
    /// How many images the batch encoders and loaders decode at once (at least 1; default: the processor count, at most 4),
    /// which bounds their decoding memory at this many times the per-image peak.
    /// </summary>
    public int MaxParallelDecodes { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Checks every limit and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public ImageDecodingOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPixels, 1L, nameof(MaxPixels));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEncodedBytes, 1L, nameof(MaxEncodedBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelDecodes, 1, nameof(MaxParallelDecodes));
        return this;
    }
}
