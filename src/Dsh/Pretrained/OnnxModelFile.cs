using Google.Protobuf;
using Onnx;

namespace Dsh.Pretrained;

/// <summary>Reads an ONNX file into the official protobuf classes (OnnxSharp), with clear errors.</summary>
internal static class OnnxModelFile
{
    /// <summary>The parsed model; its graph has at least one node.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="missingHint">Appended to the <see cref="FileNotFoundException"/> message (where the file comes from).</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX protobuf, or a model without a graph.</exception>
    public static ModelProto Read(string path, string missingHint)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No ONNX model at '{path}'. {missingHint}", path);
        }
        ModelProto model;
        try
        {
            using FileStream stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {e.Message}", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: it has no graph nodes.");
        }
        return model;
    }
}
