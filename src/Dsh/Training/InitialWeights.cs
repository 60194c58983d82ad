using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// Copies matching tensors from a TorchSharp weight file (<c>Module.save</c> format) into a network: every key of
/// the network's <c>state_dict</c> found in the file with the same shape is loaded; nothing else changes. A file
/// with no matching key is an error (wrong file), so a silent no-op cannot happen.
/// </summary>
internal static class InitialWeights
{
    public static int Load(DshNetwork network, string path)
    {
        var loaded = new Dictionary<string, bool>();
        try
        {
            network.load(path, strict: false, loadedParameters: loaded);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path} is not a TorchSharp weight file that fits this network: {e.Message}", e);
        }
        int count = loaded.Count(kv => kv.Value);
        if (count == 0)
        {
            throw new InvalidDataException(
                $"{path} holds no tensor named like this network's state_dict keys (sketch_trunk.*, photo_trunk.*, …) with a matching shape.");
        }
        return count;
    }
}
