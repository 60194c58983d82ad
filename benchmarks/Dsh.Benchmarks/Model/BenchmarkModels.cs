using Dsh.Export;
using Dsh.Imaging.Contours;
using Dsh.Inference;
using Dsh.Training;
using TorchSharp;

namespace Dsh.Benchmarks.Model;

/// <summary>Models for the encoding benchmarks: what they cost does not depend on the weights, so none is trained.</summary>
internal static class BenchmarkModels
{
    /// <summary>
    /// The ResNet18 profile at 64 bits with its ImageNet trunks and untrained heads, on 2 threads; photos mirrored too as
    /// the profile does, unless <paramref name="mirrorPhotos"/> is false.
    /// </summary>
    public static DshModel ResNet18(bool mirrorPhotos = true)
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        var network = new DshNetwork(DshArchitecture.ResNet18(64) with { MirrorPhotos = mirrorPhotos });
        network.LoadPretrainedWeights();
        return new DshModel(network, ["a", "b"], new TrainingSummary(), new ContourTokenExtractor().Name);
    }
}

/// <summary>
/// A model and its two ONNX exports (float32, and INT8 calibrated on the given images) loaded on ONNX Runtime, in a
/// temporary folder that <see cref="Dispose"/> deletes with everything else. All three encode each sketch once (a
/// benchmark that mirrors sketches sets <see cref="IDshEncoder.MirrorSketches"/> itself).
/// </summary>
internal sealed class BenchmarkEncoders : IDisposable
{
    private readonly string _folder;

    public BenchmarkEncoders(DshModel model, IReadOnlyList<string> calibrationSketches, IReadOnlyList<string> calibrationPhotos, DshOnnxEncoderOptions options)
    {
        Model = model;
        _folder = Directory.CreateTempSubdirectory("dsh-bench-onnx-").FullName;
        DshOnnxExport.Export(model, Path.Combine(_folder, "float32"));
        DshOnnxExport.ExportInt8(model, Path.Combine(_folder, "int8"), calibrationSketches, calibrationPhotos);
        Onnx = DshOnnxEncoder.Load(Path.Combine(_folder, "float32"), options);
        OnnxInt8 = DshOnnxEncoder.Load(Path.Combine(_folder, "int8"), options);
        Model.MirrorSketches = Onnx.MirrorSketches = OnnxInt8.MirrorSketches = false;
    }

    /// <summary>The model on TorchSharp.</summary>
    public DshModel Model { get; }

    /// <summary>Its float32 export on ONNX Runtime.</summary>
    public DshOnnxEncoder Onnx { get; }

    /// <summary>Its INT8 export on ONNX Runtime.</summary>
    public DshOnnxEncoder OnnxInt8 { get; }

    public void Dispose()
    {
        Onnx.Dispose();
        OnnxInt8.Dispose();
        Model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
