namespace Dsh.Data;

/// <summary>Finds the sketch and photo folders of the official Sketchy release.</summary>
internal static class SketchyLayout
{
    private const string Augmentation = "tx_000000000000";

    /// <summary>The <c>sketch/tx_000000000000</c> and <c>photo/tx_000000000000</c> folders under the root.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither the root nor its <c>rendered_256x256/256x256</c> or <c>256x256</c> holds them.</exception>
    public static (string Sketches, string Photos) Resolve(string root)
    {
        string full = CategoryFolderScanner.RequireDirectory(root, "Sketchy root");
        string[] bases =
        [
            Path.Combine(full, "rendered_256x256", "256x256"),
            Path.Combine(full, "256x256"),
            full,
        ];
        foreach (string candidate in bases)
        {
            string sketches = Path.Combine(candidate, "sketch", Augmentation);
            if (Directory.Exists(sketches))
            {
                string photos = CategoryFolderScanner.RequireDirectory(Path.Combine(candidate, "photo", Augmentation), "Sketchy photo folder");
                return (sketches, photos);
            }
        }
        throw new DirectoryNotFoundException(
            $"The Sketchy sketch folder '{Path.Combine(bases[0], "sketch", Augmentation)}' does not exist " +
            $"(also looked for 256x256/sketch/{Augmentation} and sketch/{Augmentation} under '{full}').");
    }
}
