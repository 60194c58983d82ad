using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsh.Samples.Tests.Support;

/// <summary>A sample that keeps running (a web server) as a child process: its output so far, a wait for a line, a kill on dispose.</summary>
internal sealed class RunningApp : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningApp(Process process) => _process = process;

    /// <summary>Everything the process wrote so far, standard output and standard error interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet DLL ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static RunningApp StartDll(string dll, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(ChildProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in new[] { dll }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        var app = new RunningApp(process);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>The first group of the first output line matching <paramref name="pattern"/>; fails when the process exits or <paramref name="limit"/> passes first.</summary>
    public string WaitFor(string pattern, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Match match = Regex.Match(Output, pattern, RegexOptions.Multiline);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output
                Assert.Fail($"the process exited ({_process.ExitCode}) before writing /{pattern}/; its output:\n{Output}");
            }
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"no /{pattern}/ in {limit.TotalSeconds} s; output so far:\n{Output}");
            }
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
