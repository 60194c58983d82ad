using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Dsh.Model;
using Dsh.Training;

namespace Dsh.Cli.Tests.Support;

/// <summary>
/// Model files as an attacker could make them: the container of <c>DshModel.Save</c> ("DSHM", version 1, kind 1,
/// the JSON header's length and text, the weights) with any header and weights, sealed with a recomputed XxHash3.
/// </summary>
public static class CraftedModel
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A network far over the load limit: fusion layers of 65,536 units (about 17.5 billion parameters).</summary>
    public static DshArchitecture Huge { get; } = DshArchitecture.Compact(8) with { FusionHead = DshArchitecture.Compact(8).FusionHead with { Widths = new[] { 65_536, 65_536 } } };

    /// <summary>Writes a model file with <paramref name="architecture"/> in its header and <paramref name="weights"/> after it.</summary>
    public static string Write(string path, DshArchitecture architecture, byte[] weights)
    {
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            Architecture = architecture,
            Categories = new[] { "dog", "guitar", "house" },
            Summary = new TrainingSummary(),
            TokenExtractor = "contour",
        }, Json);
        using var file = new MemoryStream();
        using (var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("DSHM"u8);
            writer.Write((ushort)1);
            writer.Write((ushort)1);
            writer.Write(header.Length);
            writer.Write(header);
            writer.Write(weights);
        }
        byte[] trailer = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, XxHash3.HashToUInt64(file.ToArray()));
        file.Write(trailer);
        File.WriteAllBytes(path, file.ToArray());
        return path;
    }

    /// <summary>
    /// Weights whose first tensor claims 2,147,483,647 dimensions (TorchSharp's own loader allocates an array of that
    /// many before it checks anything).
    /// </summary>
    public static byte[] WithHugeShapeLength(DshArchitecture architecture)
    {
        using var network = new DshNetwork(architecture);
        var state = network.state_dict();
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            Leb128(writer, state.Count);
            writer.Write(state.Keys.First());
            Leb128(writer, 6); // float32
            Leb128(writer, int.MaxValue);
        }
        return bytes.ToArray();
    }

    private static void Leb128(BinaryWriter writer, long value)
    {
        do
        {
            byte low = (byte)(value & 0x7f);
            value >>= 7;
            writer.Write(value == 0 ? low : (byte)(low | 0x80));
        }
        while (value != 0);
    }
}
