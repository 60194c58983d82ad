using System.Diagnostics;

namespace Dsh.Samples.Tests.Support;

/// <summary>Runs a child process with a time limit and collects its output.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string All => StandardOutput + StandardError;
    }

    /// <summary>The dotnet host running these tests.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Runs <c>dotnet DLL ARGS</c> in <paramref name="workingDirectory"/>; fails the test after <paramref name="limit"/>.</summary>
    public static Result RunDll(string dll, IEnumerable<string> arguments, TimeSpan limit, string workingDirectory) =>
        Run(DotnetHost, new[] { dll }.Concat(arguments), limit, workingDirectory);

    /// <summary>Runs <c>PROGRAM ARGS</c> in <paramref name="workingDirectory"/>; fails the test after <paramref name="limit"/>.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, TimeSpan limit, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in {limit.TotalSeconds} s; output so far:\n{stdout.Result}{stderr.Result}");
        }
        process.WaitForExit(); // drains the redirected streams
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
