using BenchmarkDotNet.Attributes;
using Dsh.Export;
using Dsh.Imaging.Contours;
using Dsh.Training;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// The same networks on TorchSharp and on ONNX Runtime, 2 threads each, from prepared input planes (decoding and
/// sketch-token extraction excluded): the ResNet18 profile's sketch encoder (one trunk + head) and photo encoder (two
/// trunks + fusion head) as <c>dsh export</c> writes them. Batch 1 is a live query's latency; batch 32 the throughput of
/// gallery encoding. <see cref="ImageNetTrunkBenchmarks"/> compares one trunk with the ResNet18.onnx file itself.
/// </summary>
[WarmupCount(2)]
[IterationCount(7)]
public class EncoderRuntimeBenchmarks
{
    private DshModel? _model;
    private string _folder = "";
    private InferenceSession? _sketchSession, _photoSession, _sketchInt8Session, _photoInt8Session;
    private Tensor? _sketch, _photo, _tokens;
    private float[] _sketchData = [], _photoData = [], _tokenData = [];

    /// <summary>Images per call.</summary>
    [Params(1, 32)]
    public int Batch { get; set; }

    /// <summary>Input side of sketches and photos (224: the profile's default); sketch-token maps stay at the profile's 128 px.</summary>
    [Params(224, 160)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        DshArchitecture profile = DshArchitecture.ResNet18(64);
        var network = new DshNetwork(profile with
        {
            SketchTrunk = profile.SketchTrunk with { InputSize = Size },
            PhotoTrunk = profile.PhotoTrunk with { InputSize = Size },
        });
        network.LoadPretrainedWeights();
        _model = new DshModel(network, ["a", "b"], new TrainingSummary(), new ContourTokenExtractor().Name);
        _folder = Directory.CreateTempSubdirectory("dsh-bench-onnx-").FullName;
        DshOnnxExportResult files = DshOnnxExport.Export(_model, _folder);
        _sketchSession = OrtRun.Session(files.SketchEncoderPath);
        _photoSession = OrtRun.Session(files.PhotoEncoderPath);
        string mini = Path.Combine(ImagePipelineBenchmarks.RepoRoot(), "samples", "data", "pacs-mini", "train");
        DshOnnxExportResult int8 = DshOnnxExport.ExportInt8(_model, Path.Combine(_folder, "int8"),
            Directory.GetFiles(Path.Combine(mini, "sketch"), "*", SearchOption.AllDirectories),
            Directory.GetFiles(Path.Combine(mini, "photo"), "*", SearchOption.AllDirectories));
        _sketchInt8Session = OrtRun.Session(int8.SketchEncoderPath);
        _photoInt8Session = OrtRun.Session(int8.PhotoEncoderPath);
        var random = new Random(3);
        int tokenSide = network.Architecture.SketchTokenInputSize;
        float[] Planes(int side) => [.. Enumerable.Range(0, Batch * 3 * side * side).Select(_ => (float)(random.NextDouble() * 120 - 60))];
        (_sketchData, _photoData, _tokenData) = (Planes(Size), Planes(Size), Planes(tokenSide));
        _sketch = torch.tensor(_sketchData, [Batch, 3, Size, Size]);
        _photo = torch.tensor(_photoData, [Batch, 3, Size, Size]);
        _tokens = torch.tensor(_tokenData, [Batch, 3, tokenSide, tokenSide]);
    }

    [Benchmark]
    public long SketchTorchSharp()
    {
        using var scope = NewDisposeScope();
        return _model!.Network.EncodeSketch(_sketch!).numel();
    }

    [Benchmark]
    public int SketchOnnxRuntime() => OrtRun.Run(_sketchSession!, Batch, (DshOnnxExport.SketchInputName, _sketchData));

    [Benchmark]
    public int SketchOnnxRuntimeInt8() => OrtRun.Run(_sketchInt8Session!, Batch, (DshOnnxExport.SketchInputName, _sketchData));

    [Benchmark]
    public long PhotoTorchSharp()
    {
        using var scope = NewDisposeScope();
        return _model!.Network.EncodePhoto(_photo!, _tokens!).numel();
    }

    [Benchmark]
    public int PhotoOnnxRuntime() => OrtRun.Run(_photoSession!, Batch, (DshOnnxExport.PhotoInputName, _photoData), (DshOnnxExport.SketchTokensInputName, _tokenData));

    [Benchmark]
    public int PhotoOnnxRuntimeInt8() => OrtRun.Run(_photoInt8Session!, Batch, (DshOnnxExport.PhotoInputName, _photoData), (DshOnnxExport.SketchTokensInputName, _tokenData));

    [GlobalCleanup]
    public void Cleanup()
    {
        _sketchSession?.Dispose();
        _photoSession?.Dispose();
        _sketchInt8Session?.Dispose();
        _photoInt8Session?.Dispose();
        _model?.Dispose();
        _sketch?.Dispose();
        _photo?.Dispose();
        _tokens?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
