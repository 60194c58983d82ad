using System.Text.Json;

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
}
