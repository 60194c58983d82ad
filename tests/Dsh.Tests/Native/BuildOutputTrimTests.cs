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

    private static string Os => OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";

    private static string Arch => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>The portable RID of this machine (linux-x64, osx-arm64, win-x64 …), as the SDK's NETCoreSdkPortableRuntimeIdentifier.</summary>
    private static string PortableRid => $"{Os}-{Arch}";

    [Fact]
    public void BuildOutput_HoldsOnlyThisMachinesNatives()
    {
        string rid = PortableRid;
        var loadable = new HashSet<string>(StringComparer.Ordinal) { rid, Os, "any" };
        if (Os != "win")
        {
            loadable.Add("unix");
            loadable.Add($"unix-{Arch}");
        }

        string[] folders = Directory.GetDirectories(Runtimes).Select(d => Path.GetFileName(d)!).ToArray();

        Assert.Contains(rid, folders);
        Assert.All(folders, f => Assert.True(loadable.Contains(f), $"runtimes/{f} cannot be loaded on {rid}"));
    }

    [Fact]
    public void BuildOutput_KeepsLibTorchForThisMachine()
    {
        string native = Path.Combine(Runtimes, PortableRid, "native");
        string libtorch = OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

        Assert.True(File.Exists(Path.Combine(native, libtorch)), $"{libtorch} missing from {native}");
    }
}
