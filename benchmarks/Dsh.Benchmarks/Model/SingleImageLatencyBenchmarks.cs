using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Dsh.Hashing;
using Dsh.Inference;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// One image end to end, as a live query or a single upload pays for it: the encoded file's bytes (a bundled PACS
/// sketch, PNG, or photo, JPEG) to its 64-bit code — decoding, letterboxing, the photo's sketch-token map and the
/// network — on TorchSharp (<see cref="DshModel"/>) and on ONNX Runtime (<see cref="DshOnnxEncoder"/>, float32 and INT8
/// exports), 2 threads each; sketches also with test-time mirroring, photos by a model that mirrors them (the ResNet18
/// profile's default) and by one that encodes them once. The median is the p50 latency of one query; the weights do not change the cost.
/// </summary>
[WarmupCount(3)]
[IterationCount(25)]
[Config(typeof(Percentiles))]
public class SingleImageLatencyBenchmarks
{
    /// <summary>Adds the 95th percentile beside the median (p50) every run shows.</summary>
    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95);
    }

    private BenchmarkEncoders? _encoders, _photosOnce;
    private ReadOnlyMemory<byte> _sketch, _photo;

    [GlobalSetup]
    public void Setup()
    {
        string mini = Path.Combine(ImagePipelineBenchmarks.RepoRoot(), "samples", "data", "pacs-mini");
        string[] sketches = Directory.GetFiles(Path.Combine(mini, "train", "sketch"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        string[] photos = Directory.GetFiles(Path.Combine(mini, "train", "photo"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        _encoders = new BenchmarkEncoders(BenchmarkModels.ResNet18(), sketches, photos, new DshOnnxEncoderOptions { IntraOpThreads = 2 });
        _photosOnce = new BenchmarkEncoders(BenchmarkModels.ResNet18(mirrorPhotos: false), sketches, photos, new DshOnnxEncoderOptions { IntraOpThreads = 2 });
        string test = Path.Combine(mini, "test");
        _sketch = File.ReadAllBytes(Directory.GetFiles(Path.Combine(test, "sketch"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        _photo = File.ReadAllBytes(Directory.GetFiles(Path.Combine(test, "photo"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
    }

    [Benchmark(Baseline = true)]
    public BinaryCode SketchTorchSharp() => _encoders!.Model.EncodeSketch(_sketch);

    [Benchmark]
    public BinaryCode SketchOnnxRuntime() => _encoders!.Onnx.EncodeSketch(_sketch);

    [Benchmark]
    public BinaryCode SketchOnnxRuntimeInt8() => _encoders!.OnnxInt8.EncodeSketch(_sketch);

    [Benchmark]
    public BinaryCode SketchTorchSharpMirrored() => Mirrored(_encoders!.Model, () => _encoders.Model.EncodeSketch(_sketch));

    [Benchmark]
    public BinaryCode SketchOnnxRuntimeMirrored() => Mirrored(_encoders!.Onnx, () => _encoders.Onnx.EncodeSketch(_sketch));

    [Benchmark]
    public BinaryCode SketchOnnxRuntimeInt8Mirrored() => Mirrored(_encoders!.OnnxInt8, () => _encoders.OnnxInt8.EncodeSketch(_sketch));

    [Benchmark]
    public BinaryCode PhotoTorchSharp() => _encoders!.Model.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnnxRuntime() => _encoders!.Onnx.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnnxRuntimeInt8() => _encoders!.OnnxInt8.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnceTorchSharp() => _photosOnce!.Model.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnceOnnxRuntime() => _photosOnce!.Onnx.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnceOnnxRuntimeInt8() => _photosOnce!.OnnxInt8.EncodePhoto(_photo);

    /// <summary>One sketch with <see cref="IDshEncoder.MirrorSketches"/> on (the sketch and its mirror image in one batch of two).</summary>
    private static BinaryCode Mirrored(IDshEncoder encoder, Func<BinaryCode> encodeSketch)
    {
        encoder.MirrorSketches = true;
        try
        {
            return encodeSketch();
        }
        finally
        {
            encoder.MirrorSketches = false;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoders?.Dispose();
        _photosOnce?.Dispose();
    }
}
