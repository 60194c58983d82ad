using Dsh.Build;
using Dsh.Native;
using Dsh.Tests.Support;

namespace Dsh.Tests.Native;

/// <summary>
/// TorchSharp loads from a normal build output (Dsh.targets patched the copy there), proved in a fresh process
/// on every run; and when an unpatched copy is used on a machine that needs the fix, Dsh says why.
/// </summary>
public class FreshProcessTests
{
    private static string CheckDll => Path.Combine(ChildProcess.SiblingOutput("Dsh.TorchCheck"), "Dsh.TorchCheck.dll");

    [Fact]
    public async Task BuildOutput_RunsAConvolutionForwardAndBackward()
    {
        Assert.True(File.Exists(CheckDll), $"{CheckDll} was not built");
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost, new[] { CheckDll }, TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.StartsWith("torch-ok", result.StandardOutput);
    }

    [Fact]
    public void BuildOutput_CopyIsPatched_WhateverThisMachineHas()
    {
        string copy = Path.Combine(ChildProcess.SiblingOutput("Dsh.TorchCheck"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(copy), $"{copy} missing");

        // The default (always): an output built here also loads on Debian 12 / Ubuntu 22.04.
        Assert.False(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(copy), "libstdc++.so.6", "GLIBCXX_3.4.32"));
        // The NuGet cache copy is never touched.
        Assert.True(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(NuGetPaths.ShippedLibTorchSharp), "libstdc++.so.6", "GLIBCXX_3.4.32"));
    }

    [Fact]
    public async Task UnpatchedCopy_FailsWithDshNativeLibraryExceptionNamingTheCause()
    {
        string? libstdcxx = LibStdCxx.Find();
        if (libstdcxx != null && LibStdCxx.Provides(libstdcxx, "GLIBCXX_3.4.32"))
        {
            return; // this machine loads the shipped library as is: nothing to diagnose
        }
        string source = ChildProcess.SiblingOutput("Dsh.TorchCheck");
        string dir = Directory.CreateTempSubdirectory("dsh-unpatched-").FullName;
        try
        {
            LinkTree(source, dir);
            string native = Path.Combine(dir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            File.Delete(native);
            File.Copy(NuGetPaths.ShippedLibTorchSharp, native);

            var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost, new[] { Path.Combine(dir, "Dsh.TorchCheck.dll") }, TimeSpan.FromSeconds(120));

            Assert.True(result.ExitCode == 2, result.All);
            Assert.Contains("DshNativeLibraryException", result.StandardError);
            Assert.Contains("GLIBCXX_3.4.32", result.StandardError);
            Assert.Contains("DshPatchLibTorchSharp", result.StandardError);
            // Dsh asked the loader first, so TorchSharp never copied libtorch into a fallback folder.
            Assert.False(Directory.Exists(Path.Combine(dir, "cpu")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Copies a build output, linking the big native libraries instead (libtorch is ~600 MB); the app
    /// itself must be a real copy, since the host resolves links to find its base directory.</summary>
    private static void LinkTree(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("cpu" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue; // TorchSharp's own run-time consolidation folder, if an earlier failed run left one
            }
            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (new FileInfo(file).Length > 4 << 20)
            {
                File.CreateSymbolicLink(target, file);
            }
            else
            {
                File.Copy(file, target);
            }
        }
    }
}
