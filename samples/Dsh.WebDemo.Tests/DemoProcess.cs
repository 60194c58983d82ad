using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsh.WebDemo.Tests;

/// <summary>
/// The built web demo as a child process (<c>dotnet Dsh.WebDemo.dll …</c>, working directory = its output folder).
/// Collects its output; <see cref="DisposeAsync"/> kills the whole process tree.
/// </summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoProcess(Process process) => _process = process;

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the demo with these arguments.</summary>
    public static DemoProcess Start(params string[] args)
    {
        string dll = TestPaths.WebDemoDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The web demo is not built: {dll}", dll);
        }
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        var demo = new DemoProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        demo._process.OutputDataReceived += (_, e) => demo.OnLine(e.Data);
        demo._process.ErrorDataReceived += (_, e) => demo.OnLine(e.Data);
        demo._process.Exited += (_, _) => demo._listening.TrySetException(
            new InvalidOperationException("The web demo exited before it listened:\n" + demo.Output));
        demo._process.Start();
        demo._process.BeginOutputReadLine();
        demo._process.BeginErrorReadLine();
        return demo;
    }

    /// <summary>The address the demo logged ("Dsh web demo listening on http://127.0.0.1:PORT/").</summary>
    public async Task<Uri> ListeningAsync(TimeSpan timeout) => await _listening.Task.WaitAsync(timeout);

    /// <summary>Waits for the process to end (for runs that must fail at start-up).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        Match m = ListeningLine().Match(line);
        if (m.Success)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^Dsh web demo listening on (http://\S+/)$")]
    private static partial Regex ListeningLine();
}
