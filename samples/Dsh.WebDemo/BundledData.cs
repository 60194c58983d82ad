namespace Dsh.WebDemo;

/// <summary>Finds the bundled real data (<c>samples/data/pacs-mini</c>): up from a folder, or next to the binary.</summary>
public static class BundledData
{
    private static readonly string[] Candidates =
    {
        Path.Combine("samples", "data", "pacs-mini"),
        Path.Combine("data", "pacs-mini"),
    };

    /// <summary>The pacs-mini folder found walking up from <paramref name="startDirectory"/>, else the copy in the
    /// build output, else null.</summary>
    public static string? Find(string startDirectory)
    {
        return WalkUp(startDirectory) ?? WalkUp(AppContext.BaseDirectory);
    }

    private static string? WalkUp(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in Candidates)
            {
                string path = Path.Combine(dir.FullName, candidate);
                if (Directory.Exists(Path.Combine(path, "test", "photo")))
                {
                    return path;
                }
            }
        }
        return null;
    }
}
