using BenchmarkDotNet.Attributes;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// Where one image's network time goes on TorchSharp (ResNet18 profile, K = 64, 224 px sketches and photos, 128 px sketch-token maps, batch 1, eval, no gradients,
/// 2 threads): each trunk, each head, and the copies of the input planes into a native tensor and of the output back.
/// The photo encoder is <see cref="PhotoTrunk"/> + <see cref="TokenTrunk"/> + <see cref="FusionHead"/>; the sketch
/// encoder <see cref="SketchTrunk"/> + <see cref="SketchHead"/>. Decoding and the sketch-token map are in
/// <see cref="ImagePipelineBenchmarks"/>.
/// </summary>
[WarmupCount(3)]
[IterationCount(15)]
public class PhotoPathBreakdownBenchmarks
{
    private const int Side = 224;
    private DshNetwork? _network;
    private float[] _planes = [];
    private Tensor? _photo, _tokens, _tokens160, _tokens128, _sketch, _photoFeatures, _tokenFeatures, _output;
    private IDisposable? _noGrad;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        _network = new DshNetwork(DshArchitecture.ResNet18(64));
        _network.LoadPretrainedWeights();
        _network.eval();
        _noGrad = torch.no_grad();
        var random = new Random(3);
        _planes = [.. Enumerable.Range(0, 3 * Side * Side).Select(_ => (float)(random.NextDouble() * 120 - 60))];
        _photo = torch.tensor(_planes, [1, 3, Side, Side]);
        _tokens = torch.tensor(_planes, [1, 3, Side, Side]).flip(3);
        _tokens160 = nn.functional.interpolate(_tokens, [160, 160], mode: InterpolationMode.Area);
        _tokens128 = nn.functional.interpolate(_tokens, [128, 128], mode: InterpolationMode.Area);
        _sketch = torch.tensor(_planes, [1, 3, Side, Side]).flip(2);
        _photoFeatures = _network.PhotoTrunk.forward(_photo, SketchBranch.Sketch);
        _tokenFeatures = _network.SketchTrunk.forward(_tokens128, SketchBranch.Token);
        _output = _network.FusionHead.forward(_tokenFeatures, _photoFeatures);
    }

    [Benchmark(Baseline = true)]
    public long WholePhotoEncoder()
    {
        using var scope = NewDisposeScope();
        return _network!.EncodePhoto(_photo!, _tokens128!).numel();
    }

    [Benchmark]
    public long PhotoTrunk()
    {
        using var scope = NewDisposeScope();
        return _network!.PhotoTrunk.forward(_photo!, SketchBranch.Sketch).numel();
    }

    /// <summary>The token trunk on the profile's 128 px sketch-token map.</summary>
    [Benchmark]
    public long TokenTrunk()
    {
        using var scope = NewDisposeScope();
        return _network!.SketchTrunk.forward(_tokens128!, SketchBranch.Token).numel();
    }

    /// <summary>The token trunk on a sketch-token map at the sketch side, 224 px (models trained before 128 px maps).</summary>
    [Benchmark]
    public long TokenTrunk224()
    {
        using var scope = NewDisposeScope();
        return _network!.SketchTrunk.forward(_tokens!, SketchBranch.Token).numel();
    }

    /// <summary>The token trunk on a sketch-token map of 160 px (what a lower token resolution would cost).</summary>
    [Benchmark]
    public long TokenTrunk160()
    {
        using var scope = NewDisposeScope();
        return _network!.SketchTrunk.forward(_tokens160!, SketchBranch.Token).numel();
    }

    [Benchmark]
    public long FusionHead()
    {
        using var scope = NewDisposeScope();
        return _network!.FusionHead.forward(_tokenFeatures!, _photoFeatures!).numel();
    }

    [Benchmark]
    public long SketchTrunk()
    {
        using var scope = NewDisposeScope();
        return _network!.SketchTrunk.forward(_sketch!, SketchBranch.Sketch).numel();
    }

    [Benchmark]
    public long SketchHead()
    {
        using var scope = NewDisposeScope();
        return _network!.SketchHead.forward(_tokenFeatures!).numel();
    }

    /// <summary>One image's input planes (3 × 224 × 224 floats) from managed memory into a native tensor.</summary>
    [Benchmark]
    public long CopyPlanesIn()
    {
        using var scope = NewDisposeScope();
        return torch.tensor(_planes, [1, 3, Side, Side]).numel();
    }

    /// <summary>The 64 outputs back into managed memory.</summary>
    [Benchmark]
    public int CopyOutputOut() => _output!.data<float>().ToArray().Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        _noGrad?.Dispose();
        foreach (Tensor? t in new[] { _photo, _tokens, _tokens160, _tokens128, _sketch, _photoFeatures, _tokenFeatures, _output })
        {
            t?.Dispose();
        }
        _network?.Dispose();
    }
}
