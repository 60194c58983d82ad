using System.Diagnostics;

namespace Dsh.Tests.Support;

/// <summary>Runs a child process with a time limit and collects its output.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string All => StandardOutput + StandardError;
    }

    /// <summary>The dotnet host running these tests.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (workingDirectory != null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish in {limit.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The build output folder of a sibling test project (same configuration and framework).</summary>
    public static string SiblingOutput(string project)
    {
        string segment = $"{Path.DirectorySeparatorChar}Dsh.Tests{Path.DirectorySeparatorChar}";
        string dir = AppContext.BaseDirectory;
        int at = dir.LastIndexOf(segment, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{dir} is not under a Dsh.Tests folder");
        return dir[..at] + $"{Path.DirectorySeparatorChar}{project}{Path.DirectorySeparatorChar}" + dir[(at + segment.Length)..];
    }
}
