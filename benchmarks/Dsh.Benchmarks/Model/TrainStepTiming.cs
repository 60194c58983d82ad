using System.Diagnostics;
using System.Globalization;
using Dsh.Training;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// <c>train-step PROFILE BATCH STEPS THREADS [K]</c>: times single train steps with a stopwatch and prints each,
/// for quick checks and for the same table as the PyTorch peer script (the BenchmarkDotNet class is the reference).
/// PROFILE is a <see cref="DshProfile"/> name; the resnet18 profile's trunks keep their random initialisation here.
/// </summary>
internal static class TrainStepTiming
{
    public static int Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine($"usage: train-step {string.Join('|', DshProfile.Names)} BATCH STEPS THREADS [K]");
            return 2;
        }
        var inv = CultureInfo.InvariantCulture;
        int batch = int.Parse(args[1], inv), steps = int.Parse(args[2], inv), threads = int.Parse(args[3], inv);
        int k = args.Length > 4 ? int.Parse(args[4], inv) : 128;
        if (!DshProfile.TryParse(args[0], out DshProfile? profile))
        {
            Console.Error.WriteLine($"train-step: unknown profile '{args[0]}' (use {string.Join(", ", DshProfile.Names)})");
            return 2;
        }
        DshArchitecture architecture = profile.Architecture(k);
        using var step = new TrainStep(architecture, batch, threads);
        Console.WriteLine($"profile={args[0]} K={k} batch={batch} threads={threads} parameters={step.ParameterCount:N0}");
        for (int i = 0; i < 2; i++)
        {
            step.Run(); // warm-up
        }
        var times = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            float loss = step.Run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            Console.WriteLine($"step {i}: {times[^1]:F3} s (loss {loss:G5})");
        }
        times.Sort();
        Console.WriteLine($"mean {times.Average():F3} s, median {times[times.Count / 2]:F3} s, min {times[0]:F3} s");
        return 0;
    }
}
