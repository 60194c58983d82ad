namespace Dsh;

/// <summary>How the loaders treat the files they find.</summary>
public sealed record SbirLoadOptions
{
    /// <summary>
    /// When <see langword="true"/>, anything skipped (a file or a category) makes the loader throw
    /// <see cref="SbirDatasetException"/> carrying the report. Default <see langword="false"/>: skip and report.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>
    /// When <see langword="true"/> (default), every file's header is read with ImageSharp's <c>Image.Identify</c>
    /// (in parallel, no pixel decoding) and unreadable files are skipped. <see langword="false"/> trusts the extension.
    /// </summary>
    public bool VerifyImages { get; init; } = true;

    /// <summary>File extensions taken as images, with the dot, compared case-insensitively. Other files are skipped and reported.</summary>
    public IReadOnlyList<string> Extensions { get; init; } =
        [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tga", ".tif", ".tiff"];

    /// <summary>The default options: not strict, images verified, the common extensions.</summary>
    public static SbirLoadOptions Default { get; } = new();
}
