using Dsh.Model;
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

    /// <summary>The metadata key that says how an export was quantized (present only in INT8 exports).</summary>
    public const string QuantizationMetadataKey = "dsh.quantization";

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
        var (sketch, photo) = Graphs(model, directory, metadata, quantization: null);
        return Write(directory, sketch, photo);
    }

    /// <summary>
    /// Writes the two encoders like <see cref="Export"/>, with their convolutions and residual sums quantized to 8-bit
    /// integers (weights per output channel; activation ranges measured on the calibration images): ONNX Runtime then runs
    /// the trunks in integer arithmetic, about 3× as fast on CPUs with VNNI (AVX-512 VNNI or AVX-VNNI), and a few
    /// code bits flip against the float32 export (docs/onnx.md gives the measured rate and mAP). The heads stay float32.
    /// <see cref="Inference.DshOnnxEncoder"/> loads the folder as any export.
    /// </summary>
    /// <param name="model">The model to export.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="calibrationSketches">Sketch files like the queries (a few dozen are enough; unreadable ones are skipped).</param>
    /// <param name="calibrationPhotos">Photo files like the gallery, likewise.</param>
    /// <param name="metadata">More metadata entries, as for <see cref="Export"/>.</param>
    /// <param name="cancellationToken">Checked between calibration batches.</param>
    /// <exception cref="NotSupportedException">The model's trunks are not ResNet-18 trunks.</exception>
    /// <exception cref="ArgumentException">No calibration sketch or no calibration photo is given.</exception>
    /// <exception cref="InvalidDataException">None of the calibration sketches (or photos) could be read.</exception>
    public static DshOnnxExportResult ExportInt8(DshModel model, string directory, IReadOnlyList<string> calibrationSketches,
        IReadOnlyList<string> calibrationPhotos, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calibrationSketches);
        ArgumentNullException.ThrowIfNull(calibrationPhotos);
        if (calibrationSketches.Count == 0 || calibrationPhotos.Count == 0)
        {
            throw new ArgumentException("INT8 export needs calibration sketches and calibration photos (a few dozen of each).");
        }
        string quantization = $"int8 (QDQ: int8 weights per channel, uint8 activations; calibrated on {calibrationSketches.Count} sketches and {calibrationPhotos.Count} photos)";
        var (sketch, photo) = Graphs(model, directory, metadata, quantization);
        DshArchitecture a = model.Architecture;
        ModelProto Quantize(ModelProto graph, bool photos, IReadOnlyList<string> paths)
        {
            ModelProto folded = OnnxInt8Quantizer.FoldBatchNorms(graph);
            var ranges = OnnxCalibration.Ranges(folded, a, photos, paths, model.ImageDecoding, photos ? model.TokenExtractor : null, cancellationToken);
            return OnnxInt8Quantizer.Quantize(folded, ranges);
        }
        ModelProto sketchInt8 = Quantize(sketch, photos: false, calibrationSketches);
        ModelProto photoInt8 = Quantize(photo, photos: true, calibrationPhotos);
        return Write(directory, sketchInt8, photoInt8);
    }

    private static (ModelProto Sketch, ModelProto Photo) Graphs(DshModel model, string directory, IReadOnlyDictionary<string, string>? metadata, string? quantization)
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
        if (metadata is not null && (metadata.ContainsKey(HeaderMetadataKey) || metadata.ContainsKey(QuantizationMetadataKey)))
        {
            throw new ArgumentException($"'{HeaderMetadataKey}' and '{QuantizationMetadataKey}' are written by the export itself.", nameof(metadata));
        }
        var entries = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [HeaderMetadataKey] = DshJson.Serialize(model.CreateHeader()),
        };
        if (quantization is not null)
        {
            entries[QuantizationMetadataKey] = quantization;
        }

        // The frozen stages run once, from the first member's weights (as DshNetwork runs them); each member's learning
        // stages and heads follow, and a network of several members joins their outputs, the first member's first.
        int members = network.MemberCount;
        string MemberPrefix(int m) => m == 0 ? "" : $"members.{m - 1}.";
        string MemberOutput(int m) => members == 1 ? OutputName : $"member_output.{m}";

        var sketch = new OnnxGraphBuilder("dsh_sketch_encoder");
        string sketchInput = sketch.Input(SketchInputName, 3, a.SketchInputSize, a.SketchInputSize);
        var (sketchBoundary, sketchSide) = ResNetOnnxWriter.WriteFrozen(sketch, sketchTrunk, SketchBranch.Sketch, sketchInput, a.SketchInputSize, "sketch_trunk.");
        var sketchOutputs = new List<string>();
        for (int m = 0; m < members; m++)
        {
            MemberParts member = network.Member(m);
            string features = ResNetOnnxWriter.WriteFromFrozen(sketch, (ResNet18Trunk)member.SketchTrunk, SketchBranch.Sketch, sketchBoundary, sketchSide,
                MemberPrefix(m) + "sketch_trunk.");
            sketchOutputs.Add(HeadOnnxWriter.Sketch(sketch, member.SketchHead, features, MemberOutput(m), MemberPrefix(m)));
        }
        if (members > 1)
        {
            HeadOnnxWriter.Concat(sketch, "members.output", sketchOutputs, OutputName);
        }
        sketch.Output(OutputName, a.CodeLength);

        var photo = new OnnxGraphBuilder("dsh_photo_encoder");
        string photoInput = photo.Input(PhotoInputName, 3, a.PhotoInputSize, a.PhotoInputSize);
        string tokenInput = photo.Input(SketchTokensInputName, 3, a.SketchTokenInputSize, a.SketchTokenInputSize);
        var (tokenBoundary, tokenSide) = ResNetOnnxWriter.WriteFrozen(photo, sketchTrunk, SketchBranch.Token, tokenInput, a.SketchTokenInputSize, "sketch_trunk.");
        var photoOutputs = new List<string>();
        (string photoBoundary, long photoSide) = ("", 0);
        for (int m = 0; m < members; m++)
        {
            MemberParts member = network.Member(m);
            string tokenFeatures = ResNetOnnxWriter.WriteFromFrozen(photo, (ResNet18Trunk)member.SketchTrunk, SketchBranch.Token, tokenBoundary, tokenSide,
                MemberPrefix(m) + "sketch_trunk.");
            if (m == 0)
            {
                // After the first member's token stages, as a single network's graph has always been laid out.
                (photoBoundary, photoSide) = ResNetOnnxWriter.WriteFrozen(photo, photoTrunk, SketchBranch.Sketch, photoInput, a.PhotoInputSize, "photo_trunk.");
            }
            string photoFeatures = ResNetOnnxWriter.WriteFromFrozen(photo, (ResNet18Trunk)member.PhotoTrunk, SketchBranch.Sketch, photoBoundary, photoSide,
                MemberPrefix(m) + "photo_trunk.");
            photoOutputs.Add(HeadOnnxWriter.Fusion(photo, member.Fusion, tokenFeatures, photoFeatures, MemberOutput(m), MemberPrefix(m)));
        }
        if (members > 1)
        {
            HeadOnnxWriter.Concat(photo, "members.output", photoOutputs, OutputName);
        }
        photo.Output(OutputName, a.CodeLength);
        return (sketch.ToModel(entries), photo.ToModel(entries));
    }

    private static DshOnnxExportResult Write(string directory, ModelProto sketch, ModelProto photo)
    {
        Directory.CreateDirectory(directory);
        var result = new DshOnnxExportResult(Path.Combine(directory, SketchEncoderFileName), Path.Combine(directory, PhotoEncoderFileName));
        WriteAtomically(result.SketchEncoderPath, sketch);
        WriteAtomically(result.PhotoEncoderPath, photo);
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
