using System.Globalization;

namespace Dsh.ServeLoad;

/// <summary>One measured run at one client count: throughput, client-side latency, the server's encode and search times.</summary>
/// <param name="ServerCpuMs">CPU time the server used a request (user and system, all threads).</param>
/// <param name="ClientCpuMs">CPU time this benchmark process used a request.</param>
internal sealed record RunStats(int Clients, int Requests, int Errors, double Qps, double P50, double P99, double Max,
    double EncodeP50, double EncodeP99, double SearchP50, double SearchP99, double ServerCpuMs, double ClientCpuMs,
    IReadOnlyDictionary<int, int> Statuses)
{
    /// <summary>Throughput counts answered searches (status 200) only; latency percentiles cover every request.</summary>
    public static RunStats Of(int clients, double seconds, IReadOnlyList<Sample> samples, TimeSpan serverCpu, TimeSpan clientCpu)
    {
        double[] latency = Sorted(samples.Select(s => s.LatencyMs));
        Sample[] ok = samples.Where(s => s.Status == 200).ToArray();
        double[] encode = Sorted(ok.Select(s => s.EncodeMs));
        double[] search = Sorted(ok.Select(s => s.SearchMs));
        return new RunStats(clients, samples.Count, samples.Count - ok.Length, ok.Length / seconds,
            At(latency, 0.50), At(latency, 0.99), latency.Length > 0 ? latency[^1] : double.NaN,
            At(encode, 0.50), At(encode, 0.99), At(search, 0.50), At(search, 0.99),
            serverCpu.TotalMilliseconds / samples.Count, clientCpu.TotalMilliseconds / samples.Count,
            samples.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count()));
    }

    /// <summary>The median of each figure over several runs at the same client count (requests and errors: totals).</summary>
    public static RunStats Median(IReadOnlyList<RunStats> runs)
    {
        double M(Func<RunStats, double> f) => MedianOf(runs.Select(f));
        var statuses = new Dictionary<int, int>();
        foreach (var (status, n) in runs.SelectMany(r => r.Statuses))
        {
            statuses[status] = statuses.GetValueOrDefault(status) + n;
        }
        return new RunStats(runs[0].Clients, runs.Sum(r => r.Requests), runs.Sum(r => r.Errors), M(r => r.Qps), M(r => r.P50), M(r => r.P99),
            M(r => r.Max), M(r => r.EncodeP50), M(r => r.EncodeP99), M(r => r.SearchP50), M(r => r.SearchP99),
            M(r => r.ServerCpuMs), M(r => r.ClientCpuMs), statuses);
    }

    public string Line()
    {
        string statuses = string.Join(", ", Statuses.Where(s => s.Key != 200).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key)}: {s.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Clients,2} clients: {Requests,5} requests, {Qps,6:F1} q/s, p50 {P50,7:F1} ms, p99 {P99,7:F1} ms, max {Max,7:F1} ms; encode p50/p99 {EncodeP50:F1}/{EncodeP99:F1} ms, search p50/p99 {SearchP50:F2}/{SearchP99:F2} ms; CPU a request: server {ServerCpuMs:F1} ms, client {ClientCpuMs:F1} ms; errors {Errors}{(Errors > 0 ? " (" + statuses + ")" : "")}");
    }

    private static double[] Sorted(IEnumerable<double> values)
    {
        double[] array = values.ToArray();
        Array.Sort(array);
        return array;
    }

    /// <summary>The nearest-rank percentile of sorted values; NaN when there are none.</summary>
    private static double At(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = Sorted(values);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
