using Dsh.Imaging;
using Dsh.Model;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Dsh.Export;

/// <summary>
/// Runs an encoder graph (batch norms folded) over calibration images on ONNX Runtime and keeps, for every activation
/// that <see cref="OnnxInt8Quantizer"/> quantizes, the smallest and largest value seen.
/// </summary>
internal static class OnnxCalibration
{
    /// <summary>Images a calibration batch holds.</summary>
    private const int BatchSize = 16;

    /// <summary>
    /// The ranges of <paramref name="folded"/>'s activations over <paramref name="paths"/> (sketches for the sketch
    /// encoder; photos for the photo encoder, whose token maps <paramref name="extractor"/> draws). Unreadable files are
    /// skipped; at least one must be readable.
    /// </summary>
    /// <exception cref="InvalidDataException">No file could be read.</exception>
    public static Dictionary<string, (float Min, float Max)> Ranges(ModelProto folded, DshArchitecture architecture, bool photos,
        IReadOnlyList<string> paths, ImageDecodingOptions decoding, ISketchTokenExtractor? extractor, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> activations = OnnxInt8Quantizer.ActivationsToCalibrate(folded);
        var ranges = activations.ToDictionary(a => a, _ => (Min: float.PositiveInfinity, Max: float.NegativeInfinity), StringComparer.Ordinal);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(OnnxInt8Quantizer.WithOutputs(folded, activations).ToByteArray(), options);
        string[] outputNames = [.. activations];
        EncodedFiles seen = FileBatchEncoder.Encode(paths, architecture, photos, strict: false, keepEmbeddings: false, BatchSize, decoding, extractor,
            (batch, rows) =>
            {
                var (first, second) = batch.ToArrays(rows);
                using var firstValue = OrtValue.CreateTensorValueFromMemory(first, [rows.Count, 3, batch.FirstSize, batch.FirstSize]);
                using var secondValue = second is null ? null : OrtValue.CreateTensorValueFromMemory(second, [rows.Count, 3, batch.SecondSize, batch.SecondSize]);
                string[] inputNames = second is null ? [DshOnnxExport.SketchInputName] : [DshOnnxExport.PhotoInputName, DshOnnxExport.SketchTokensInputName];
                OrtValue[] inputs = secondValue is null ? [firstValue] : [firstValue, secondValue];
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
                for (int i = 0; i < outputNames.Length; i++)
                {
                    ReadOnlySpan<float> values = outputs[i].GetTensorDataAsSpan<float>();
                    var (min, max) = ranges[outputNames[i]];
                    ranges[outputNames[i]] = (Math.Min(min, System.Numerics.Tensors.TensorPrimitives.Min(values)),
                        Math.Max(max, System.Numerics.Tensors.TensorPrimitives.Max(values)));
                }
                return new float[rows.Count * architecture.CodeLength];
            }, cancellationToken);
        if (seen.Indexes.Count == 0)
        {
            string why = seen.Skipped.Count > 0 ? $" (first: {seen.Skipped[0].Path}: {seen.Skipped[0].Reason})" : "";
            throw new InvalidDataException($"None of the {paths.Count} calibration {(photos ? "photos" : "sketches")} could be read{why}.");
        }
        return ranges;
    }
}
