using Dsh.Build;
using Dsh.Tests.Support;

namespace Dsh.Tests.Native;

/// <summary>
/// A project outside this repository that only imports buildTransitive/Dsh.targets (as a package reference to
/// Dsh does) gets the fix in its build and publish outputs, can turn it off, and runs a torch op.
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

            var build = await Dotnet(dir, "build", "-c", "Release", "-o", "out-auto");
            Assert.True(build.ExitCode == 0, build.All);
            Assert.Equal(machineNeedsIt, build.StandardOutput.Contains($"Dsh: marked {Version} weak", StringComparison.Ordinal));
            Assert.Equal(machineNeedsIt, NeedsStrongly(Path.Combine(dir, "out-auto")) == false);

            var run = await ChildProcess.RunAsync(ChildProcess.DotnetHost, new[] { Path.Combine(dir, "out-auto", "App.dll") }, TimeSpan.FromSeconds(120));
            Assert.True(run.ExitCode == 0, run.All);
            Assert.Contains("outside-ok 6", run.StandardOutput);

            var again = await Dotnet(dir, "build", "-c", "Release", "-o", "out-auto");
            Assert.True(again.ExitCode == 0, again.All);
            Assert.DoesNotContain("Dsh: marked", again.StandardOutput); // idempotent: already weak

            var never = await Dotnet(dir, "build", "-c", "Release", "-o", "out-never", "-p:DshPatchLibTorchSharp=never");
            Assert.True(never.ExitCode == 0, never.All);
            Assert.True(NeedsStrongly(Path.Combine(dir, "out-never")));

            var publish = await Dotnet(dir, "publish", "-c", "Release", "-o", "out-publish");
            Assert.True(publish.ExitCode == 0, publish.All);
            Assert.Equal(machineNeedsIt, NeedsStrongly(Path.Combine(dir, "out-publish")) == false);

            Assert.True(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(NuGetPaths.ShippedLibTorchSharp), "libstdc++.so.6", Version),
                "the NuGet cache copy was modified");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

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
