using BenchmarkDotNet.Attributes;
using Dsh.Inference;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// Image files to codes, as <c>dsh encode</c> runs them: the 210 photos or the 280 sketches of the bundled PACS subset,
/// decoded, prepared (photos: their sketch-token maps too) and encoded 32 at a time by the ResNet18 profile (K = 64) on
/// TorchSharp or on its ONNX export (float32 and INT8), 2 threads. <see cref="PrepareAhead"/> false prepares a batch and
/// then runs it; true prepares the next batch on the thread pool while the network runs the current one. Photos are
/// encoded once (<see cref="DshArchitecture.MirrorPhotos"/> off): what preparing ahead saves does not depend on it, and
/// <see cref="SingleImageLatencyBenchmarks"/> measures what mirroring adds.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class FileEncodingBenchmarks
{
    private BenchmarkEncoders? _encoders;
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
        DshModel model = BenchmarkModels.ResNet18(mirrorPhotos: false);
        model.EncodeBatchSize = 32;
        model.PrepareAhead = PrepareAhead;
        string mini = Path.Combine(ImagePipelineBenchmarks.RepoRoot(), "samples", "data", "pacs-mini");
        string[] Files(string kind) => [.. new[] { "train", "test" }
            .SelectMany(split => Directory.GetFiles(Path.Combine(mini, split, kind), "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)];
        (_photos, _sketches) = (Files("photo"), Files("sketch"));
        _encoders = new BenchmarkEncoders(model, _sketches[..64], _photos[..64], new DshOnnxEncoderOptions { IntraOpThreads = 2, EncodeBatchSize = 32 });
        _encoders.Onnx.PrepareAhead = _encoders.OnnxInt8.PrepareAhead = PrepareAhead;
    }

    private IDshEncoder Current => Runtime switch
    {
        Encoder.TorchSharp => _encoders!.Model,
        Encoder.OnnxRuntime => _encoders!.Onnx,
        _ => _encoders!.OnnxInt8,
    };

    [Benchmark]
    public int Photos() => Current.EncodePhotoFiles(_photos).Codes.Count;

    [Benchmark]
    public int Sketches() => Current.EncodeSketchFiles(_sketches).Codes.Count;

    [GlobalCleanup]
    public void Cleanup() => _encoders?.Dispose();
}
