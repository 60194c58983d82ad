namespace Dsh.Data;

/// <summary>A category a loader found but did not use.</summary>
/// <param name="Name">The category (folder or manifest name).</param>
/// <param name="Reason">Why: <see cref="SkipReasons.NoPhotos"/>, <see cref="SkipReasons.NoSketches"/> or <see cref="SkipReasons.Empty"/>.</param>
public sealed record SkippedCategory(string Name, string Reason);
