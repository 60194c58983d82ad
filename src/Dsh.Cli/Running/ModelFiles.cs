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
    /// The encoder <c>--model</c> and <c>--runtime</c> name: the model file on TorchSharp, or the folder <c>dsh export</c> wrote
    /// on ONNX Runtime (<paramref name="onnx"/>); a file given for a folder or the other way round is a usage error.
    /// </summary>
    /// <exception cref="UsageException">The path is a folder without <paramref name="onnx"/>, or a file with it.</exception>
    /// <exception cref="InputDataException">Not a usable model or export.</exception>
    public static IDshEncoder LoadEncoder(string path, bool onnx)
    {
        CheckRuntime(path, onnx);
        return onnx ? LoadOnnx(path) : Load(path);
    }

    /// <summary>Refuses a <c>--model</c> folder without <c>--runtime onnx</c> and a file with it, before anything is loaded.</summary>
    /// <exception cref="UsageException">The path does not fit the runtime.</exception>
    public static void CheckRuntime(string path, bool onnx)
    {
        if (onnx != Directory.Exists(path))
        {
            throw new UsageException(onnx
                ? $"--runtime onnx: --model must be the folder 'dsh export' wrote, not the file '{path}'"
                : $"--model '{path}' is a folder: use an ONNX export with --runtime onnx, or give the .dshm file");
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

    /// <summary>The full path of a <c>--model</c> value; a folder given with a trailing separator keeps its name (<c>onnx/</c> is <c>onnx</c>).</summary>
    public static string FullPath(string value) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(value));

    /// <summary>What a gallery records as its model: the model file's identity, or the one the ONNX export carries.</summary>
    public static string Identity(IDshEncoder encoder, string path) =>
        encoder is DshOnnxEncoder onnx && onnx.Metadata.TryGetValue(ExportCommand.SourceMetadataKey, out string? source)
            ? source
            : ModelIdentity.Of(path);
}
