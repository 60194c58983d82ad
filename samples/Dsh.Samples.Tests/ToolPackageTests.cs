using System.Text.Json;
using System.Text.RegularExpressions;
using Dsh.Samples.Tests.Support;

namespace Dsh.Samples.Tests;

/// <summary>
/// The packed <c>dsh</c> tool, as a user gets it: installed with <c>dotnet tool install</c> from the local feed that
/// <c>.ci/run</c> fills, then run — including a real training and evaluation on the demo data it carries, which
/// needs its own libtorch (patched by the Dsh package's build step when this machine needs it).
/// </summary>
public class ToolPackageTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void PackedTool_InstallsFromTheLocalFeed_AndRunsTheDemo()
    {
        string feed = Path.GetFullPath(Path.Combine(SampleBuild.SamplesRoot, "..", "artifacts", "packages"));
        string? pointer = Directory.Exists(feed)
            ? Directory.EnumerateFiles(feed, "Dsh.Cli.*.nupkg").Select(Path.GetFileName)
                .FirstOrDefault(name => Regex.IsMatch(name!, @"^Dsh\.Cli\.[0-9][^/]*\.nupkg$"))
            : null;
        Assert.True(pointer != null, $"no Dsh.Cli package in {feed}: run .ci/run (it packs the tool first)");
        string version = pointer!["Dsh.Cli.".Length..^".nupkg".Length];

        string toolPath = Directory.CreateTempSubdirectory("dsh-tool-").FullName;
        try
        {
            var install = ChildProcess.Run(ChildProcess.DotnetHost,
                ["tool", "install", "--tool-path", toolPath, "--add-source", feed, "Dsh.Cli", "--version", version],
                TimeSpan.FromMinutes(5), toolPath);
            Assert.True(install.ExitCode == 0, install.All);
            string dsh = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "dsh.exe" : "dsh");

            var help = ChildProcess.Run(dsh, ["--help"], TimeSpan.FromMinutes(1), toolPath);
            Assert.True(help.ExitCode == 0, help.All);
            Assert.Contains("demo", help.StandardOutput);

            var bad = ChildProcess.Run(dsh, ["train", "--bits", "64"], TimeSpan.FromMinutes(1), toolPath);
            Assert.Equal(2, bad.ExitCode);
            Assert.StartsWith("dsh: error:", bad.StandardError.Trim());

            var demo = ChildProcess.Run(dsh, ["demo", "--profile", "compact", "--epochs", "1", "--bits", "16", "--json", "--out", Path.Combine(toolPath, "demo.dshm")],
                TimeSpan.FromMinutes(10), toolPath);
            Assert.True(demo.ExitCode == 0, demo.All);
            using JsonDocument json = JsonDocument.Parse(demo.StandardOutput);
            Assert.Equal(70, json.RootElement.GetProperty("queries").GetInt32());
            Assert.Equal(70, json.RootElement.GetProperty("gallery").GetInt32());
            double map = json.RootElement.GetProperty("mapAll").GetDouble();
            Assert.InRange(map, 0.0, 1.0);
            Assert.Contains("DemoData", json.RootElement.GetProperty("data").GetString()); // the copy inside the tool
        }
        finally
        {
            Directory.Delete(toolPath, recursive: true);
        }
    }
}
