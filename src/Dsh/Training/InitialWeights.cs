using Dsh.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// Copies matching tensors from a TorchSharp weight file (<c>Module.save</c> format) into a network: every key of
/// the network's <c>state_dict</c> found in the file with the same shape is loaded; nothing else changes. A file
/// with no matching key is an error (wrong file), so a silent no-op cannot happen.
/// </summary>
internal static class InitialWeights
{
    public static int Load(DshNetwork network, string path)
    {
        int count;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var reader = new BinaryReader(stream);
            // Our own reader, not Module.load: a crafted shape cannot make it allocate, and entries that do not fit
            // the network are stepped over.
            count = StateDictReader.ReadMatching(reader, network, path);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{path}: {stream.Length - stream.Position} bytes follow the weights.");
            }
        }
        catch (Exception e) when (e is not InvalidDataException and (IOException or UnauthorizedAccessException or System.Runtime.InteropServices.ExternalException))
        {
            throw new InvalidDataException($"{path} is not a TorchSharp weight file that fits this network: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        if (count == 0)
        {
            throw new InvalidDataException(
                $"{path} holds no tensor named like this network's state_dict keys (sketch_trunk.*, photo_trunk.*, …) with a matching shape.");
        }
        return count;
    }
}
