using BenchmarkDotNet.Attributes;
using Dsh.Pretrained;
using Dsh.Trunks;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// One ImageNet ResNet-18 trunk, one 224 px image, 2 threads: the <c>ResNet18.onnx</c> file of
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 on ONNX Runtime (the file takes one image per call) against the same
/// weights in Dsh's trunk on TorchSharp (a ResNet18-profile network's photo trunk), so the figures read as a ratio on
/// any machine.
/// </summary>
[WarmupCount(2)]
[IterationCount(9)]
public class ImageNetTrunkBenchmarks
{
    private DshNetwork? _network;
    private InferenceSession? _session;
    private string _input = "";
    private float[] _data = [];
    private Tensor? _image;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        _network = new DshNetwork(DshArchitecture.ResNet18(64));
        _network.LoadPretrainedWeights();
        _network.eval();
        _session = OrtRun.Session(ResNet18Onnx.DefaultPath);
        _input = _session.InputMetadata.Keys.Single();
        var random = new Random(5);
        _data = [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 120 - 60))];
        _image = torch.tensor(_data, [1, 3, 224, 224]);
    }

    [Benchmark(Baseline = true)]
    public long TorchSharp()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _network!.PhotoTrunk.forward(_image!, SketchBranch.Sketch).numel();
    }

    [Benchmark]
    public int OnnxRuntime() => OrtRun.Run(_session!, 1, (_input, _data));

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _network?.Dispose();
        _image?.Dispose();
    }
}
