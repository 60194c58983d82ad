using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace Dsh.Pretrained;

/// <summary>Typed access to a node's attributes, rejecting attributes the importer does not know.</summary>
internal sealed class OnnxAttributes
{
    private readonly Dictionary<string, AttributeProto> byName;
    private readonly string label;

    public OnnxAttributes(NodeProto node, string label, params string[] known)
    {
        this.label = label;
        byName = node.Attribute.ToDictionary(a => a.Name);
        string? unknown = byName.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null)
        {
            throw new InvalidDataException($"{label} has attribute '{unknown}', which the importer does not handle.");
        }
    }

    public long Int(string name, long fallback) =>
        byName.TryGetValue(name, out AttributeProto? a) ? Expect(a, AttributeType.Int).I : fallback;

    public float Float(string name, float fallback) =>
        byName.TryGetValue(name, out AttributeProto? a) ? Expect(a, AttributeType.Float).F : fallback;

    public string String(string name, string fallback) =>
        byName.TryGetValue(name, out AttributeProto? a) ? Expect(a, AttributeType.String).S.ToStringUtf8() : fallback;

    /// <summary>A list of exactly <paramref name="count"/> integers, or <paramref name="fallback"/> when absent.</summary>
    public long[]? Ints(string name, int count, long[]? fallback)
    {
        if (!byName.TryGetValue(name, out AttributeProto? a))
        {
            return fallback;
        }
        long[] values = Expect(a, AttributeType.Ints).Ints.ToArray();
        return values.Length == count
            ? values
            : throw new InvalidDataException($"{label}: '{name}' has {values.Length} values, a 2-d layer needs {count}.");
    }

    /// <summary>The layer's padding from <c>auto_pad</c> and <c>pads</c>.</summary>
    public SpatialPadding Padding()
    {
        string auto = String("auto_pad", "NOTSET");
        long[] pads = Ints("pads", 4, [0, 0, 0, 0])!;
        if (pads.Any(p => p < 0))
        {
            throw new InvalidDataException($"{label}: negative pads [{string.Join(",", pads)}].");
        }
        return auto switch
        {
            "NOTSET" or "" => SpatialPadding.Explicit(pads[0], pads[1], pads[2], pads[3]),
            "SAME_UPPER" => new SpatialPadding(PaddingMode.SameUpper, 0, 0, 0, 0),
            "SAME_LOWER" => new SpatialPadding(PaddingMode.SameLower, 0, 0, 0, 0),
            "VALID" => new SpatialPadding(PaddingMode.Valid, 0, 0, 0, 0),
            _ => throw new InvalidDataException($"{label}: unknown auto_pad '{auto}'."),
        };
    }

    private AttributeProto Expect(AttributeProto a, AttributeType type) =>
        a.Type == type ? a : throw new InvalidDataException($"{label}: attribute '{a.Name}' is {a.Type}, expected {type}.");
}
