using System.Diagnostics;
using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>The real program in a child process: exit codes and stderr as a shell sees them.</summary>
public sealed class ChildProcessTests
{
    /// <summary>The built CLI next to this test build (same configuration).</summary>
    private static string CliDll
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            string dll = Path.Combine(Repo.Root, "src", "Dsh.Cli", "bin", configuration, "net10.0", "Dsh.Cli.dll");
            Assert.True(File.Exists(dll), dll + " is missing");
            return dll;
        }
    }

    private static CliResult RunChild(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliDll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "dsh did not finish in 2 minutes");
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void BadBitsExitWithTwoAndOneStderrLine()
    {
        string folder = Path.Combine(Repo.PacsMini, "test", "sketch");
        RunChild("train", "--sketches", folder, "--photos", folder, "--bits", "3", "--out", Path.Combine(Path.GetTempPath(), "never.dshm"))
            .AssertOneError(ExitCodes.Usage, "--bits must be 8 to 4096, not 3");
    }

    [Fact]
    public void CorruptModelExitsWithThree()
    {
        string model = Path.Combine(Path.GetTempPath(), $"dsh-cli-corrupt-{Guid.NewGuid():N}.dshm");
        File.WriteAllText(model, "garbage");
        try
        {
            string folder = Path.Combine(Repo.PacsMini, "test");
            RunChild("eval", "--model", model, "--sketches", Path.Combine(folder, "sketch"), "--photos", Path.Combine(folder, "photo"), "--json")
                .AssertOneError(ExitCodes.BadInput, "not a usable dsh model");
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public void CraftedModelsExitWithThreeAndOneLine_NeverAnAbort()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dsh-cli-crafted-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string photos = Path.Combine(Repo.PacsMini, "test", "photo", "dog");
            string huge = CraftedModel.Write(Path.Combine(folder, "huge.dshm"), CraftedModel.Huge, []);
            RunChild("index", "build", "--model", huge, "--photos", photos, "--out", Path.Combine(folder, "i.dshi"))
                .AssertOneError(ExitCodes.BadInput, "MaxParameters");
            DshArchitecture compact = DshArchitecture.Compact(16);
            string shape = CraftedModel.Write(Path.Combine(folder, "shape.dshm"), compact, CraftedModel.WithHugeShapeLength(compact));
            RunChild("index", "build", "--model", shape, "--photos", photos, "--out", Path.Combine(folder, "i.dshi"))
                .AssertOneError(ExitCodes.BadInput, "2147483647 dimensions");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void HelpExitsWithZeroWithoutAnsiWhenRedirected()
    {
        CliResult result = RunChild("--help").AssertSuccess().AssertNoAnsi();
        Assert.Contains("Exit codes:", result.Out, StringComparison.Ordinal);
    }
}
