using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Dsh.Export;
using Dsh.Hashing;
using Dsh.Inference;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// One image end to end, as a live query or a single upload pays for it: the encoded file's bytes (a bundled PACS
/// sketch, PNG, or photo, JPEG) to its 64-bit code — decoding, letterboxing, the photo's sketch-token map and the
/// network — on TorchSharp (<see cref="DshModel"/>) and on ONNX Runtime (<see cref="DshOnnxEncoder"/>, float32 and INT8
/// exports), 2 threads each. The median is the p50 latency of one query; the weights do not change the cost.
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

    private DshModel? _model;
    private DshOnnxEncoder? _onnx, _onnxInt8;
    private string _folder = "";
    private ReadOnlyMemory<byte> _sketch, _photo;

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchmarkModels.ResNet18();
        _folder = Directory.CreateTempSubdirectory("dsh-bench-latency-").FullName;
        string mini = Path.Combine(ImagePipelineBenchmarks.RepoRoot(), "samples", "data", "pacs-mini");
        string[] sketches = Directory.GetFiles(Path.Combine(mini, "train", "sketch"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        string[] photos = Directory.GetFiles(Path.Combine(mini, "train", "photo"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        DshOnnxExport.Export(_model, Path.Combine(_folder, "float32"));
        DshOnnxExport.ExportInt8(_model, Path.Combine(_folder, "int8"), sketches, photos);
        var options = new DshOnnxEncoderOptions { IntraOpThreads = 2 };
        _onnx = DshOnnxEncoder.Load(Path.Combine(_folder, "float32"), options);
        _onnxInt8 = DshOnnxEncoder.Load(Path.Combine(_folder, "int8"), options);
        string test = Path.Combine(mini, "test");
        _sketch = File.ReadAllBytes(Directory.GetFiles(Path.Combine(test, "sketch"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        _photo = File.ReadAllBytes(Directory.GetFiles(Path.Combine(test, "photo"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
    }

    [Benchmark(Baseline = true)]
    public BinaryCode SketchTorchSharp() => _model!.EncodeSketch(_sketch);

    [Benchmark]
    public BinaryCode SketchOnnxRuntime() => _onnx!.EncodeSketch(_sketch);

    [Benchmark]
    public BinaryCode SketchOnnxRuntimeInt8() => _onnxInt8!.EncodeSketch(_sketch);

    [Benchmark]
    public BinaryCode PhotoTorchSharp() => _model!.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnnxRuntime() => _onnx!.EncodePhoto(_photo);

    [Benchmark]
    public BinaryCode PhotoOnnxRuntimeInt8() => _onnxInt8!.EncodePhoto(_photo);

    [GlobalCleanup]
    public void Cleanup()
    {
        _onnx?.Dispose();
        _onnxInt8?.Dispose();
        _model?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
