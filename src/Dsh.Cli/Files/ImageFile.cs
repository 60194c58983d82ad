namespace Dsh.Cli.Files;

/// <summary>An image file and its category (the name of the first folder under the scanned root; "" for a file given directly or at the root).</summary>
internal sealed record ImageFile(string Path, string Category);
