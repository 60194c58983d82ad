using System.Runtime.InteropServices;

namespace Dsh.Tests.Native;

/// <summary>
/// eng/SmallBuildOutputs.targets: this repository's build outputs carry only the native libraries this machine can
/// load (CI ran out of disk with libtorch for three platforms in every bin folder), and those still run
/// (<see cref="FreshProcessTests"/> loads libtorch from such an output).
/// </summary>
public class BuildOutputTrimTests
{
    private static string Runtimes => Path.Combine(AppContext.BaseDirectory, "runtimes");

    [Fact]
    public void BuildOutput_HoldsOnlyThisMachinesNatives()
    {
        string rid = RuntimeInformation.RuntimeIdentifier;
        string os = rid.Split('-')[0];
        string arch = rid[(os.Length + 1)..];
        var loadable = new HashSet<string>(StringComparer.Ordinal) { rid, os, "any" };
        if (os != "win")
        {
            loadable.Add("unix");
            loadable.Add($"unix-{arch}");
        }

        string[] folders = Directory.GetDirectories(Runtimes).Select(d => Path.GetFileName(d)!).ToArray();

        Assert.Contains(rid, folders);
        Assert.All(folders, f => Assert.True(loadable.Contains(f), $"runtimes/{f} cannot be loaded on {rid}"));
    }

    [Fact]
    public void BuildOutput_KeepsLibTorchForThisMachine()
    {
        string native = Path.Combine(Runtimes, RuntimeInformation.RuntimeIdentifier, "native");
        string libtorch = OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

        Assert.True(File.Exists(Path.Combine(native, libtorch)), $"{libtorch} missing from {native}");
    }
}
