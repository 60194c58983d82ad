using Dsh.Persistence;
using Dsh.Pretrained;
using Dsh.Trunks;
using Google.Protobuf;
using Onnx;

namespace Dsh.Export;

/// <summary>The files <see cref="DshOnnxExport.Export"/> wrote.</summary>
/// <param name="SketchEncoderPath">Sketches [N, 3, S, S] (input <c>sketch</c>) → real outputs [N, K] (output <c>output</c>).</param>
/// <param name="PhotoEncoderPath">
/// Photos [N, 3, P, P] (input <c>photo</c>) with their sketch-token maps [N, 3, S, S] (input <c>sketch_tokens</c>) → [N, K].
/// </param>
public sealed record DshOnnxExportResult(string SketchEncoderPath, string PhotoEncoderPath);

/// <summary>
/// Writes a trained model's two encoders as ONNX graphs (opset <see cref="Opset"/>, float32, a
/// dynamic batch dimension), so that any ONNX runtime can compute the codes without TorchSharp: a code is the sign of the
/// output, bit set where the output is &gt; 0. Each file carries the model's header (architecture, categories,
/// sketch-token extractor) in its metadata under <see cref="HeaderMetadataKey"/>; <see cref="Inference.DshOnnxEncoder"/>
/// reads the folder back. The inputs are prepared exactly as for <see cref="DshModel"/> (see docs/onnx.md).
/// </summary>
public static class DshOnnxExport
{
    /// <summary>The sketch encoder's file name in the output folder.</summary>
    public const string SketchEncoderFileName = "sketch-encoder.onnx";

    /// <summary>The photo encoder's file name in the output folder.</summary>
    public const string PhotoEncoderFileName = "photo-encoder.onnx";

    /// <summary>The metadata key that holds the model header (JSON, the same as in the model file).</summary>
    public const string HeaderMetadataKey = "dsh.header";

    /// <summary>The ONNX operator set version of the graphs.</summary>
    public const int Opset = OnnxGraphBuilder.OpsetVersion;

    /// <summary>The graphs' input and output names.</summary>
    public const string SketchInputName = "sketch", PhotoInputName = "photo", SketchTokensInputName = "sketch_tokens", OutputName = "output";

    /// <summary>
    /// Writes <see cref="SketchEncoderFileName"/> and <see cref="PhotoEncoderFileName"/> into <paramref name="directory"/>
    /// (created if missing; existing files of those names are replaced atomically).
    /// </summary>
    /// <param name="model">The model to export.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="metadata">More metadata entries for both files (e.g. where the model came from); keys other than <see cref="HeaderMetadataKey"/>.</param>
    /// <exception cref="NotSupportedException">The model's trunks are not ResNet-18 trunks (the export covers the ResNet18 profile).</exception>
    public static DshOnnxExportResult Export(DshModel model, string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        DshNetwork network = model.Network;
        if (network.SketchTrunk is not ResNet18Trunk sketchTrunk || network.PhotoTrunk is not ResNet18Trunk photoTrunk)
        {
            throw new NotSupportedException(
                $"ONNX export covers models with ResNet-18 trunks (the resnet18 profile); this model has {network.SketchTrunk.GetType().Name} and {network.PhotoTrunk.GetType().Name}.");
        }
        DshArchitecture a = model.Architecture;
        if (metadata is not null && metadata.ContainsKey(HeaderMetadataKey))
        {
            throw new ArgumentException($"'{HeaderMetadataKey}' is written by the export itself.", nameof(metadata));
        }
        var entries = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [HeaderMetadataKey] = DshJson.Serialize(model.CreateHeader()),
        };

        var sketch = new OnnxGraphBuilder("dsh_sketch_encoder");
        string sketchInput = sketch.Input(SketchInputName, 3, a.SketchInputSize, a.SketchInputSize);
        string sketchFeatures = ResNetOnnxWriter.Write(sketch, sketchTrunk, SketchBranch.Sketch, sketchInput, a.SketchInputSize, "sketch_trunk.");
        HeadOnnxWriter.Sketch(sketch, network.SketchHead, sketchFeatures, OutputName);
        sketch.Output(OutputName, a.CodeLength);

        var photo = new OnnxGraphBuilder("dsh_photo_encoder");
        string photoInput = photo.Input(PhotoInputName, 3, a.PhotoInputSize, a.PhotoInputSize);
        string tokenInput = photo.Input(SketchTokensInputName, 3, a.SketchInputSize, a.SketchInputSize);
        string tokenFeatures = ResNetOnnxWriter.Write(photo, sketchTrunk, SketchBranch.Token, tokenInput, a.SketchInputSize, "sketch_trunk.");
        string photoFeatures = ResNetOnnxWriter.Write(photo, photoTrunk, SketchBranch.Sketch, photoInput, a.PhotoInputSize, "photo_trunk.");
        HeadOnnxWriter.Fusion(photo, network.FusionHead, tokenFeatures, photoFeatures, OutputName);
        photo.Output(OutputName, a.CodeLength);

        Directory.CreateDirectory(directory);
        var result = new DshOnnxExportResult(Path.Combine(directory, SketchEncoderFileName), Path.Combine(directory, PhotoEncoderFileName));
        WriteAtomically(result.SketchEncoderPath, sketch.ToModel(entries));
        WriteAtomically(result.PhotoEncoderPath, photo.ToModel(entries));
        return result;
    }

    private static void WriteAtomically(string path, ModelProto model)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            model.WriteTo(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
