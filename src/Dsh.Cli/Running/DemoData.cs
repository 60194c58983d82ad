namespace Dsh.Cli.Running;

/// <summary>Finds the bundled demo data (pacs-mini: <c>train|test/sketch|photo/&lt;category&gt;/</c>).</summary>
internal static class DemoData
{
    /// <summary>Where the build puts the copy: <c>DemoData/pacs-mini</c> next to the program.</summary>
    public static string BesideProgram => Path.Combine(AppContext.BaseDirectory, "DemoData", "pacs-mini");

    /// <summary>
    /// <paramref name="explicitPath"/> when given; else the copy next to the program; else the first
    /// <c>samples/data/pacs-mini</c> found walking up from the current folder. Null when none is found.
    /// </summary>
    public static string? Find(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return Path.GetFullPath(explicitPath);
        }
        if (IsDemoData(BesideProgram))
        {
            return BesideProgram;
        }
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", "pacs-mini");
            if (IsDemoData(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="root"/> has the four folders the demo reads.</summary>
    public static bool IsDemoData(string root) =>
        new[] { "train/sketch", "train/photo", "test/sketch", "test/photo" }.All(p => Directory.Exists(Path.Combine(root, p)));
}
