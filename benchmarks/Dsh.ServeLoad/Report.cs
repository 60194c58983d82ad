using System.Globalization;

namespace Dsh.ServeLoad;

/// <summary>The Markdown table the benchmark ends with, and the machine facts printed with it.</summary>
internal static class Report
{
    public const string Header =
        "| model | --max-concurrent | clients | requests | queries/s | p50 ms | p99 ms | max ms | encode p50 ms | encode p99 ms | search p50 ms | search p99 ms | server CPU ms/query | errors |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Row(string label, string maxConcurrent, RunStats s) => string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {maxConcurrent} | {s.Clients} | {s.Requests:N0} | {s.Qps:F1} | {s.P50:F1} | {s.P99:F1} | {s.Max:F0} | " +
        $"{s.EncodeP50:F1} | {s.EncodeP99:F1} | {s.SearchP50:F2} | {s.SearchP99:F2} | {s.ServerCpuMs:F1} | {s.Errors} |");

    /// <summary>The CPU model, the cores .NET sees, and the load average (1, 5, 15 min).</summary>
    public static string Machine()
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
            : "unknown CPU";
        return $"{cpu}, {Environment.ProcessorCount} cores; {LoadAverage()}";
    }

    public static string LoadAverage() => "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
