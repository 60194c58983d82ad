namespace Dsh.Quality.Pacs;

/// <summary>The repository root: the first folder holding Dsh.sln, walking up from the working directory, then from the executable.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dsh.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("Dsh.sln not found above the working directory or the executable; pass pacsRoot explicitly.");
    }
}
