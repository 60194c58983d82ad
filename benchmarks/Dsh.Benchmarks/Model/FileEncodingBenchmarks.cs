using BenchmarkDotNet.Attributes;
using Dsh.Export;
using Dsh.Inference;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// Image files to codes, as <c>dsh encode</c> runs them: the 210 photos or the 280 sketches of the bundled PACS subset,
/// decoded, prepared (photos: their sketch-token maps too) and encoded 32 at a time by the ResNet18 profile (K = 64) on
/// TorchSharp or on its ONNX export (float32 and INT8), 2 threads. <see cref="PrepareAhead"/> false prepares a batch and
/// then runs it; true prepares the next batch on the thread pool while the network runs the current one.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class FileEncodingBenchmarks
{
    private DshModel? _model;
    private DshOnnxEncoder? _onnx, _onnxInt8;
    private string _folder = "";
    private string[] _photos = [], _sketches = [];

    public enum Encoder
    {
        TorchSharp,
        OnnxRuntime,
        OnnxRuntimeInt8,
    }

    [Params(Encoder.TorchSharp, Encoder.OnnxRuntime, Encoder.OnnxRuntimeInt8)]
    public Encoder Runtime { get; set; }

    [Params(false, true)]
    public bool PrepareAhead { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchmarkModels.ResNet18();
        _model.EncodeBatchSize = 32;
        _model.PrepareAhead = PrepareAhead;
        string mini = Path.Combine(ImagePipelineBenchmarks.RepoRoot(), "samples", "data", "pacs-mini");
        string[] Files(string kind) => [.. new[] { "train", "test" }
            .SelectMany(split => Directory.GetFiles(Path.Combine(mini, split, kind), "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)];
        (_photos, _sketches) = (Files("photo"), Files("sketch"));
        _folder = Directory.CreateTempSubdirectory("dsh-bench-files-").FullName;
        var options = new DshOnnxEncoderOptions { IntraOpThreads = 2, EncodeBatchSize = 32 };
        DshOnnxExport.Export(_model, Path.Combine(_folder, "fp32"));
        DshOnnxExport.ExportInt8(_model, Path.Combine(_folder, "int8"), _sketches[..64], _photos[..64]);
        _onnx = DshOnnxEncoder.Load(Path.Combine(_folder, "fp32"), options);
        _onnxInt8 = DshOnnxEncoder.Load(Path.Combine(_folder, "int8"), options);
        _onnx.PrepareAhead = _onnxInt8.PrepareAhead = PrepareAhead;
    }

    private IDshEncoder Current => Runtime switch
    {
        Encoder.TorchSharp => _model!,
        Encoder.OnnxRuntime => _onnx!,
        _ => _onnxInt8!,
    };

    [Benchmark]
    public int Photos() => Current.EncodePhotoFiles(_photos).Codes.Count;

    [Benchmark]
    public int Sketches() => Current.EncodeSketchFiles(_sketches).Codes.Count;

    [GlobalCleanup]
    public void Cleanup()
    {
        _onnx?.Dispose();
        _onnxInt8?.Dispose();
        _model?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
