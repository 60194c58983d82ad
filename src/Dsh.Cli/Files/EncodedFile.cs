namespace Dsh.Cli.Files;

/// <summary>An encoded image file as <c>dsh encode</c> writes it: its row id, path and category.</summary>
/// <param name="Id">The id (its row in the output).</param>
/// <param name="Path">Full path of the image.</param>
/// <param name="Category">Category (folder name), "" when unknown.</param>
internal sealed record EncodedFile(long Id, string Path, string Category);
