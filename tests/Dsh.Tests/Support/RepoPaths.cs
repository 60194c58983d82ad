namespace Dsh.Tests.Support;

/// <summary>Locates the repository from the test output folder.</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dsh.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("Dsh.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string DshTargets => Path.Combine(Root, "src", "Dsh", "buildTransitive", "Dsh.targets");
}
