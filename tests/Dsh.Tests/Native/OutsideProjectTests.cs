using Dsh.Build;
using Dsh.Tests.Support;

namespace Dsh.Tests.Native;

/// <summary>
/// A project outside this repository that only imports buildTransitive/Dsh.targets gets the fix in its build
/// and publish outputs (always by default; with auto only where this machine needs it), can turn it off, and runs a torch op; one that references the packed Dsh package
/// gets it through NuGet's buildTransitive import and runs the network.
/// </summary>
[Trait("Category", "Slow")]
public class OutsideProjectTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public async Task ImportingDshTargets_PatchesBuildAndPublishOutputs()
    {
        string? libstdcxx = LibStdCxx.Find();
        bool machineNeedsIt = libstdcxx == null || !LibStdCxx.Provides(libstdcxx, Version);
        string dir = Directory.CreateTempSubdirectory("dsh-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    {HardLinkProperties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="TorchSharp-cpu" Version="{NuGetPaths.TorchSharpVersion}" />
                  </ItemGroup>
                  <Import Project="{RepoPaths.DshTargets}" />
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "Program.cs"), """
                var x = TorchSharp.torch.ones(2, 3);
                Console.WriteLine($"outside-ok {x.sum().item<float>()}");
                """);

            // The default (always): every Linux output is patched, whatever this machine's libstdc++ has, so an output
            // built on a newer system still loads on Debian 12 / Ubuntu 22.04.
            var build = await Dotnet(dir, "build", "-c", "Release", "-o", "out-default");
            Assert.True(build.ExitCode == 0, build.All);
            Assert.Contains($"Dsh: marked {Version} weak", build.StandardOutput, StringComparison.Ordinal);
            Assert.False(NeedsStrongly(Path.Combine(dir, "out-default")));

            var run = await ChildProcess.RunAsync(ChildProcess.DotnetHost, new[] { Path.Combine(dir, "out-default", "App.dll") }, TimeSpan.FromSeconds(120));
            Assert.True(run.ExitCode == 0, run.All);
            Assert.Contains("outside-ok 6", run.StandardOutput);

            var again = await Dotnet(dir, "build", "-c", "Release", "-o", "out-default");
            Assert.True(again.ExitCode == 0, again.All);
            Assert.DoesNotContain("Dsh: marked", again.StandardOutput); // idempotent: already weak

            // auto: only when the build machine's own libstdc++ lacks the version.
            var auto = await Dotnet(dir, "build", "-c", "Release", "-o", "out-auto", "-p:DshPatchLibTorchSharp=auto");
            Assert.True(auto.ExitCode == 0, auto.All);
            Assert.Equal(machineNeedsIt, NeedsStrongly(Path.Combine(dir, "out-auto")) == false);

            var never = await Dotnet(dir, "build", "-c", "Release", "-o", "out-never", "-p:DshPatchLibTorchSharp=never");
            Assert.True(never.ExitCode == 0, never.All);
            Assert.True(NeedsStrongly(Path.Combine(dir, "out-never")));

            var publish = await Dotnet(dir, "publish", "-c", "Release", "-o", "out-publish");
            Assert.True(publish.ExitCode == 0, publish.All);
            Assert.False(NeedsStrongly(Path.Combine(dir, "out-publish")));

            AssertCacheUnmodified();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ReferencingTheDshPackage_GetsTheFixAndRuns()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string dir = Directory.CreateTempSubdirectory("dsh-package-").FullName;
        string feed = Path.Combine(dir, "feed");
        string app = Path.Combine(dir, "app");
        Directory.CreateDirectory(app);
        try
        {
            // Pack the already built libraries (no rebuild under the running tests) into a local feed.
            foreach (string project in new[] { "src/Dsh.Hashing/Dsh.Hashing.csproj", "src/Dsh/Dsh.csproj" })
            {
                var pack = await Dotnet(RepoPaths.Root, "pack", project, "-c", configuration, "--no-build", "-o", feed);
                Assert.True(pack.ExitCode == 0, pack.All);
            }
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources><add key="dsh-local" value="{feed}" /></packageSources>
                </configuration>
                """);
            // A private packages folder (so the just-packed Dsh 0.1.0 never meets a stale copy), with the machine's
            // global folder as a fallback so libtorch is not extracted again.
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RestorePackagesPath>{Path.Combine(dir, "packages")}</RestorePackagesPath>
                    <RestoreAdditionalProjectFallbackFolders>{NuGetPaths.PackagesRoot}</RestoreAdditionalProjectFallbackFolders>
                    {HardLinkProperties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Dsh" Version="0.1.0" />
                    <PackageReference Include="TorchSharp-cpu" Version="{NuGetPaths.TorchSharpVersion}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using var network = new Dsh.DshNetwork(Dsh.DshArchitecture.Compact(32));
                var codes = network.EncodeSketchCodes(TorchSharp.torch.rand(2, 3, 64, 64));
                Console.WriteLine($"package-ok {codes.Count}x{codes.CodeLength}");
                """);

            var build = await Dotnet(app, "build", "-c", "Release", "-o", "out");
            Assert.True(build.ExitCode == 0, build.All);
            Assert.Contains($"Dsh: marked {Version} weak", build.StandardOutput, StringComparison.Ordinal); // the package's default: always

            var run = await ChildProcess.RunAsync(ChildProcess.DotnetHost, new[] { Path.Combine(app, "out", "App.dll") }, TimeSpan.FromSeconds(120));
            Assert.True(run.ExitCode == 0, run.All);
            Assert.Contains("package-ok 2x32", run.StandardOutput);
            AssertCacheUnmodified();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The outside projects copy package files as hard links, as this repository's own builds do
    /// (eng/SmallBuildOutputs.targets): about 1 GB less disk per output folder, and a check that the fix replaces
    /// its file instead of writing through a link into the NuGet cache (see <see cref="AssertCacheUnmodified"/>).
    /// </summary>
    private const string HardLinkProperties = """
        <CreateHardLinksForCopyLocalIfPossible>true</CreateHardLinksForCopyLocalIfPossible>
        <CreateHardLinksForPublishFilesIfPossible>true</CreateHardLinksForPublishFilesIfPossible>
        <MSBuildWarningsAsMessages>MSB3893</MSBuildWarningsAsMessages>
        """;

    private static void AssertCacheUnmodified() =>
        Assert.True(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(NuGetPaths.ShippedLibTorchSharp), "libstdc++.so.6", Version),
            "the NuGet cache copy was modified");

    private static bool NeedsStrongly(string output)
    {
        string[] copies = Directory.GetFiles(output, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(copies);
        bool[] strong = copies.Select(c => ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(c), "libstdc++.so.6", Version)).Distinct().ToArray();
        return Assert.Single(strong);
    }

    private static Task<ChildProcess.Result> Dotnet(string dir, params string[] arguments) =>
        ChildProcess.RunAsync(ChildProcess.DotnetHost, arguments.Append("-nologo"), TimeSpan.FromMinutes(5), dir,
            new Dictionary<string, string> { ["MSBUILDNOINPROCNODE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
}
