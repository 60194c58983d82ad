using BenchmarkDotNet.Attributes;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// One ImageNet ResNet-18 trunk on TorchSharp (eval, no grad, 224 px, 2 threads) in float32 and in bfloat16 (weights and
/// input converted): whether libtorch's CPU kernels gain from AVX512-BF16 where the processor has it. The float32 run is
/// the baseline, so the result reads as a ratio on any machine.
/// </summary>
[WarmupCount(2)]
[IterationCount(7)]
public class TrunkPrecisionBenchmarks
{
    private DshNetwork? _float32, _bfloat16;
    private Tensor? _image, _imageBf16;

    /// <summary>Images per call.</summary>
    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        _float32 = new DshNetwork(DshArchitecture.ResNet18(64));
        _float32.LoadPretrainedWeights();
        _float32.eval();
        _bfloat16 = new DshNetwork(DshArchitecture.ResNet18(64));
        _bfloat16.LoadPretrainedWeights();
        _bfloat16.eval();
        _bfloat16.to(ScalarType.BFloat16);
        _image = torch.rand(Batch, 3, 224, 224).mul(120).sub(60);
        _imageBf16 = _image.to(ScalarType.BFloat16);
    }

    [Benchmark(Baseline = true)]
    public long Float32() => Trunk(_float32!, _image!);

    [Benchmark]
    public long BFloat16() => Trunk(_bfloat16!, _imageBf16!);

    private static long Trunk(DshNetwork network, Tensor image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return network.PhotoTrunk.forward(image, SketchBranch.Sketch).numel();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _float32?.Dispose();
        _bfloat16?.Dispose();
        _image?.Dispose();
        _imageBf16?.Dispose();
    }
}
