using System.Text.Json;
using Dsh.Cli.Commands;
using Dsh.Cli.Files;
using Dsh.Inference;

namespace Dsh.Cli.Running;

/// <summary>Loads a model file, turning a damaged or foreign file into an <see cref="InputDataException"/>.</summary>
internal static class ModelFiles
{
    /// <summary>Loads <paramref name="path"/> (checked to exist by the parser).</summary>
    /// <exception cref="InputDataException">The file is not an intact dsh model.</exception>
    public static DshModel Load(string path)
    {
        try
        {
            return DshModel.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or NotSupportedException)
        {
            throw new InputDataException($"'{Path.GetFullPath(path)}' is not a usable dsh model: {e.Message}", e);
        }
    }

    /// <summary>
    /// The ONNX encoders <c>dsh export</c> wrote into <paramref name="folder"/> (the caller has checked it is a folder);
    /// problems become one-line input errors.
    /// </summary>
    public static DshOnnxEncoder LoadOnnx(string folder)
    {
        string full = Path.GetFullPath(folder);
        try
        {
            return DshOnnxEncoder.Load(full);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or JsonException or InvalidOperationException)
        {
            throw new InputDataException($"'{full}' is not a usable ONNX export: {e.Message}", e);
        }
    }

    /// <summary>What a gallery records as its model: the model file's identity, or the one the ONNX export carries.</summary>
    public static string Identity(IDshEncoder encoder, string path) =>
        encoder is DshOnnxEncoder onnx && onnx.Metadata.TryGetValue(ExportCommand.SourceMetadataKey, out string? source)
            ? source
            : ModelIdentity.Of(path);
}
