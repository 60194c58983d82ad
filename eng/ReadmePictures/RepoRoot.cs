namespace Dsh.ReadmePictures;

/// <summary>The repository's root: the nearest folder above the program or the working directory that holds Dsh.sln.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dsh.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("Run this from inside the Dsh repository (no Dsh.sln found above it).");
    }
}
