namespace Dsh.Data;

/// <summary>A file a loader found but did not use.</summary>
/// <param name="Path">The file (absolute).</param>
/// <param name="Reason">Why; starts with one of the <see cref="SkipReasons"/> file reasons.</param>
public sealed record SkippedFile(string Path, string Reason);
