using System.Diagnostics;
using System.Globalization;

namespace Dsh.ScaleOut;

/// <summary>Runs queries one at a time or with several in flight and reports throughput and latency percentiles.</summary>
internal sealed record Latency(string Name, int Queries, int InFlight, double Seconds, double P50, double P90, double P99, double Max)
{
    public double Qps => Queries / Seconds;

    public static async Task<Latency> MeasureAsync(string name, int queries, int inFlight, Func<int, Task> query)
    {
        var times = new double[queries];
        int next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < queries; i = Interlocked.Increment(ref next))
            {
                long start = Stopwatch.GetTimestamp();
                await query(i);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        double seconds = total.Elapsed.TotalSeconds;
        Array.Sort(times);
        return new Latency(name, queries, inFlight, seconds, At(times, 0.5), At(times, 0.9), At(times, 0.99), times[^1]);
    }

    public static string Header =>
        "| configuration | in flight | queries | queries/s | p50 ms | p90 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {InFlight} | {Queries} | {Qps:F0} | {P50:F2} | {P90:F2} | {P99:F2} | {Max:F1} |");

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
