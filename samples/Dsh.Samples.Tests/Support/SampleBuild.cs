namespace Dsh.Samples.Tests.Support;

/// <summary>Where a sample's build output lies: ../&lt;Sample&gt;/bin/&lt;configuration&gt;/&lt;framework&gt;/ beside this test project.</summary>
internal static class SampleBuild
{
    private const string ThisProject = "Dsh.Samples.Tests";

    /// <summary>The samples/ folder.</summary>
    public static string SamplesRoot
    {
        get
        {
            string segment = $"{Path.DirectorySeparatorChar}{ThisProject}{Path.DirectorySeparatorChar}";
            string dir = AppContext.BaseDirectory;
            int at = dir.LastIndexOf(segment, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{dir} is not under a {ThisProject} folder");
            return dir[..at];
        }
    }

    /// <summary>The sample's build output folder, with the same configuration and framework as these tests.</summary>
    public static string OutputOf(string sample)
    {
        string segment = $"{Path.DirectorySeparatorChar}{ThisProject}{Path.DirectorySeparatorChar}";
        string dir = AppContext.BaseDirectory;
        int at = dir.LastIndexOf(segment, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{dir} is not under a {ThisProject} folder");
        return Path.GetFullPath(dir[..at] + $"{Path.DirectorySeparatorChar}{sample}{Path.DirectorySeparatorChar}" + dir[(at + segment.Length)..]);
    }

    /// <summary>The sample's built dll; fails with what to run when it has not been built.</summary>
    public static string DllOf(string sample)
    {
        string dll = Path.Combine(OutputOf(sample), sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} does not exist: build the samples first (bash .ci/run, or dotnet build samples/{sample} -c <configuration>).");
        return dll;
    }

    /// <summary>The sample's obj/project.assets.json (what NuGet restored for it).</summary>
    public static string AssetsFileOf(string sample) => Path.Combine(SamplesRoot, sample, "obj", "project.assets.json");
}
