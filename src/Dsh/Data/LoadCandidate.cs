namespace Dsh.Data;

/// <summary>A file a loader wants to use, before verification and category matching.</summary>
/// <param name="Domain">Sketch or photo.</param>
/// <param name="Category">The category name as found.</param>
/// <param name="Path">The absolute file path.</param>
/// <param name="Split">The split a manifest gave, or <see langword="null"/> for the domain's default.</param>
/// <param name="Group">The group a manifest gave, or <see langword="null"/> to derive it from the file name.</param>
internal readonly record struct LoadCandidate(ImageDomain Domain, string Category, string Path, SbirSplit? Split, string? Group);
