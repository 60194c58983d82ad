using Dsh.Persistence;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// Writes model files an attacker could make: any header and payload, sealed with a valid checksum (through
/// <see cref="DshFile.Write"/>, which computes the XxHash3 trailer), and the pieces of TorchSharp's
/// <c>Module.save</c> format (LEB128 numbers, <see cref="BinaryWriter"/> strings, raw elements).
/// </summary>
internal static class CraftedFiles
{
    /// <summary>A model file with <paramref name="architecture"/> in its header (not validated) and <paramref name="payload"/> as its weights.</summary>
    public static string Model(string path, DshArchitecture architecture, Action<BinaryWriter> payload)
    {
        var header = new DshModel.FileHeader
        {
            Architecture = architecture,
            Categories = ["cat", "dog"],
            Summary = new TrainingSummary(),
            TokenExtractor = "synthetic",
        };
        DshFile.Write(path, DshFileKind.Model, DshJson.Serialize(header), payload);
        return path;
    }

    /// <summary>A non-negative number as TorchSharp's LEB128 codec writes it.</summary>
    public static void Number(BinaryWriter writer, long value)
    {
        do
        {
            byte low = (byte)(value & 0x7f);
            value >>= 7;
            writer.Write(value == 0 ? low : (byte)(low | 0x80));
        }
        while (value != 0);
    }

    /// <summary>One tensor as <c>Tensor.Save</c> writes it, with any type, shape and data.</summary>
    public static void Tensor(BinaryWriter writer, long type, long[] shape, ReadOnlySpan<byte> data)
    {
        Number(writer, type);
        Number(writer, shape.Length);
        foreach (long d in shape)
        {
            Number(writer, d);
        }
        writer.Write(data);
    }

    /// <summary>One state-dict entry: the name, then the tensor as TorchSharp saves it.</summary>
    public static void Entry(BinaryWriter writer, string name, Tensor tensor)
    {
        writer.Write(name);
        tensor.Save(writer);
    }

    /// <summary>The state dict of <paramref name="network"/> as ordered (name, tensor) pairs.</summary>
    public static List<(string Name, Tensor Tensor)> Entries(nn.Module network) =>
        network.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary>The raw bytes of a (CPU, contiguous) tensor.</summary>
    public static byte[] Bytes(Tensor tensor) => tensor.contiguous().bytes.ToArray();
}
