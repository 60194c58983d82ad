using BenchmarkDotNet.Attributes;
using Dsh.Pretrained;
using Dsh.Training;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// The ResNet18 profile's costs on 2 threads, K = 64, per input size and frozen stages ("sketch/photo"):
/// <see cref="TrainStepFromCache"/> is one θ-step as the trainer runs it with <c>CacheFrozenStages</c> — 32 sketches
/// and 32 photos (with their sketch-tokens) starting from cached frozen-stage outputs, forward, backward, momentum SGD
/// on the trainable parameters; <see cref="FillCache"/> is what the cache costs once per item (the frozen stages of 32
/// sketches, 32 sketch-tokens and 32 photos, eval, no grad); <see cref="EncodeSketches"/> and <see cref="EncodePhotos"/>
/// are full eval forwards of 32 images (what <c>DshModel</c> does after decoding). Random weights: the speed does not
/// depend on them. docs/performance.md turns these into images per second.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1, 1)]
public class ResNet18ProfileBenchmarks
{
    private const int Batch = 32;
    private DshNetwork? _network;
    private MomentumSgd? _optimizer;
    private Tensor[] _images = [];
    private Tensor[] _boundaries = [];
    private Tensor[] _targets = [];

    /// <summary>Input side of sketches, sketch-tokens and photos.</summary>
    [Params(160, 224)]
    public int Size { get; set; }

    /// <summary>Frozen stages of the sketch trunk / of the photo trunk.</summary>
    [Params("3/4", "4/4", "2/4")]
    public string Frozen { get; set; } = "3/4";

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        string[] parts = Frozen.Split('/');
        var architecture = DshArchitecture.ResNet18(64) with
        {
            SketchTrunk = new ResNet18TrunkSpec { InputSize = Size, FrozenStages = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) },
            PhotoTrunk = new ResNet18TrunkSpec { InputSize = Size, FrozenStages = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) },
        };
        _network = new DshNetwork(architecture);
        _optimizer = new MomentumSgd(_network.TrainableParameters(), 0.9, 5e-4);
        int tokenSide = architecture.SketchTokenInputSize; // the profile's 128 px sketch-token maps
        _images = [.. new[] { Size, Size, tokenSide }.Select(side => torch.randn(Batch, 3, side, side).mul_(60f))];
        _boundaries =
        [
            _network.SketchBoundary(_images[0], SketchBranch.Sketch).DetachFromDisposeScope(),
            _network.PhotoBoundary(_images[1]).DetachFromDisposeScope(),
            _network.SketchBoundary(_images[2], SketchBranch.Token).DetachFromDisposeScope(),
        ];
        _targets = [.. Enumerable.Range(0, 2).Select(_ => torch.randint(0, 2, [Batch, 64]).mul(2).sub(1).to(ScalarType.Float32))];
    }

    [Benchmark]
    public float TrainStepFromCache()
    {
        using var scope = NewDisposeScope();
        _network!.train();
        _optimizer!.ZeroGrad();
        Tensor loss = DshObjective.RegressionLoss(_network.ForwardSketchFrom(_boundaries[0]), _targets[0])
            .add(DshObjective.RegressionLoss(_network.ForwardPhotoFrom(_boundaries[1], _boundaries[2]), _targets[1]));
        loss.backward();
        _optimizer.Step(1e-3);
        return loss.item<float>();
    }

    [Benchmark]
    public long FillCache()
    {
        using var scope = NewDisposeScope();
        return _network!.SketchBoundary(_images[0], SketchBranch.Sketch).numel()
            + _network.PhotoBoundary(_images[1]).numel()
            + _network.SketchBoundary(_images[2], SketchBranch.Token).numel();
    }

    [Benchmark]
    public long EncodeSketches()
    {
        using var scope = NewDisposeScope();
        return _network!.EncodeSketch(_images[0]).numel();
    }

    [Benchmark]
    public long EncodePhotos()
    {
        using var scope = NewDisposeScope();
        return _network!.EncodePhoto(_images[1], _images[2]).numel();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _network?.Dispose();
        foreach (Tensor t in _images.Concat(_boundaries).Concat(_targets))
        {
            t.Dispose();
        }
    }
}
