using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsh.Serve.Tests.Support;

/// <summary>
/// <c>dotnet Dsh.Cli.dll serve …</c> as a child process on a free loopback port. Collects its output;
/// <see cref="DisposeAsync"/> kills it if it still runs.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <summary>Starts <c>dsh serve --model M --index G --urls http://127.0.0.1:0</c> plus <paramref name="extra"/> and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string model, string gallery, params string[] extra)
    {
        ServeProcess serve = Start(["serve", "--model", model, "--index", gallery, "--urls", "http://127.0.0.1:0", .. extra]);
        serve.BaseAddress = await serve._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return serve;
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> serve …</c> (a copy of the tool elsewhere) and waits until it listens.</summary>
    public static async Task<ServeProcess> StartFromAsync(string dll, params string[] args)
    {
        ServeProcess serve = Start(["serve", .. args, "--urls", "http://127.0.0.1:0"], dll);
        serve.BaseAddress = await serve._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return serve;
    }

    /// <summary>Starts dsh (<paramref name="dll"/>, default the tool built beside the tests) with these arguments.</summary>
    public static ServeProcess Start(IEnumerable<string> args, string? dll = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll ?? TestPaths.DshDll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_gcServer"] = "0";
        var serve = new ServeProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        serve._process.OutputDataReceived += (_, e) => serve.OnLine(e.Data);
        serve._process.ErrorDataReceived += (_, e) => serve.OnLine(e.Data);
        serve._process.Exited += (_, _) => serve._listening.TrySetException(new InvalidOperationException("dsh serve exited before it listened:\n" + serve.Output));
        serve._process.Start();
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>The files the process has mapped (/proc/PID/maps): every native library it loaded.</summary>
    public IReadOnlyList<string> MappedFiles() =>
        File.ReadLines($"/proc/{Pid}/maps").Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 6)
            .Select(f => f[5].Trim()).Where(f => f.StartsWith('/')).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The process's peak resident memory (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        string line = File.ReadLines($"/proc/{Pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>SIGKILL: no chance to clean up, as a crash or an OOM kill.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>SIGTERM, as a service manager stops a service.</summary>
    public void Terminate()
    {
        if (Kill(Pid, 15) != 0)
        {
            throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^dsh serve: listening on (http://\S+/)$")]
    private static partial Regex ListeningLine();
}
