namespace Dsh.Data;

/// <summary>One manifest entry as written, before paths are resolved.</summary>
/// <param name="Where">"line N" (CSV) or "entry N" (JSON), for messages.</param>
/// <param name="Domain">The <c>domain</c> field.</param>
/// <param name="Category">The <c>category</c> field.</param>
/// <param name="Path">The <c>path</c> field.</param>
/// <param name="Split">The <c>split</c> field, or <see langword="null"/>/empty.</param>
/// <param name="Group">The <c>group</c> field, or <see langword="null"/>/empty.</param>
internal sealed record ManifestRow(string Where, string? Domain, string? Category, string? Path, string? Split, string? Group);
