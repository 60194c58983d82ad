using BenchmarkDotNet.Attributes;
using Dsh.Training;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// One DSH training step (forward of both networks, backward, SGD) at K = 128 on 2 threads: the paper profile
/// at batch 8 and the compact profile at batch 32. The PyTorch side-by-side is benchmarks/peers/torch_train_step.py.
/// TorchSharp's libtorch 2.10 CPU build uses Intel MKL (statically linked) for BLAS and oneDNN for convolutions.
/// </summary>
[WarmupCount(2)]
[IterationCount(6)]
[InvocationCount(1, 1)]
public class TrainStepBenchmarks
{
    private TrainStep? _step;

    /// <summary>"Paper/8" or "Compact/32": profile (a <see cref="DshProfile"/> name) and batch size.</summary>
    [Params("Paper/8", "Compact/32")]
    public string Case { get; set; } = "Compact/32";

    /// <summary>Intra-op threads (the machine has 2 cores).</summary>
    [Params(2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Case.Split('/');
        DshArchitecture architecture = DshProfile.Parse(parts[0]).Architecture(128);
        _step = new TrainStep(architecture, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Threads);
    }

    [Benchmark]
    public float Step() => _step!.Run();

    [GlobalCleanup]
    public void Cleanup() => _step?.Dispose();
}
