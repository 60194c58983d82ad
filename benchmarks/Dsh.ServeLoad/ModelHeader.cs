using System.Buffers.Binary;
using System.Text.Json;

namespace Dsh.ServeLoad;

/// <summary>
/// What a model file's JSON header records about its network, read without loading the model (the container:
/// <c>"DSHM"</c>, u16 version, u16 kind, i32 header length, UTF-8 JSON with an <c>Architecture</c> object).
/// </summary>
internal sealed record ModelHeader(string Backbone, int SketchInputSize, int CodeLength)
{
    public static ModelHeader Read(string modelPath)
    {
        using FileStream file = File.OpenRead(modelPath);
        Span<byte> head = stackalloc byte[12];
        file.ReadExactly(head);
        int length = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
        if (!head[..4].SequenceEqual("DSHM"u8) || length is <= 0 or > (16 << 20))
        {
            throw new InvalidDataException($"{modelPath} is not a Dsh model file");
        }
        byte[] json = new byte[length];
        file.ReadExactly(json);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement arch = doc.RootElement.GetProperty("Architecture");
        JsonElement sketchTrunk = arch.GetProperty("SketchTrunk");
        return new ModelHeader(sketchTrunk.GetProperty("Kind").GetString() ?? "?", sketchTrunk.GetProperty("InputSize").GetInt32(),
            arch.GetProperty("CodeLength").GetInt32());
    }

    public override string ToString() => $"{Backbone} trunk, {SketchInputSize} px sketches, {CodeLength}-bit codes";
}
