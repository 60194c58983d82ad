using Onnx;

namespace Dsh.Pretrained;

/// <summary>
/// Reads <c>ResNetPreprocess.onnx</c>: checks that its graph is Split(axis 1) of the RGB input → Concat(B, G, R) →
/// Sub(<c>MeanImage</c>) → output, and returns the mean image (BGR planes) with its height and width.
/// </summary>
internal static class ResNetMeanImageReader
{
    public static (float[] Values, long Height, long Width) Read(string path, string missingHint)
    {
        ModelProto model = OnnxModelFile.Read(path, missingHint);
        try
        {
            return Read(new OnnxGraphIndex(model.Graph));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not the ResNet preprocessing graph (RGB → BGR − mean image): {e.Message}", e);
        }
    }

    private static (float[] Values, long Height, long Width) Read(OnnxGraphIndex g)
    {
        string input = g.DataInput.Name;
        NodeProto split = Only(g, input, "Split");
        var splitAttributes = new OnnxAttributes(split, g.Label(split), "axis", "split");
        long[]? sizes = splitAttributes.Ints("split", 3, [1, 1, 1]);
        if (splitAttributes.Int("axis", 0) != 1 || split.Output.Count != 3 || !sizes!.SequenceEqual([1L, 1L, 1L]))
        {
            throw new InvalidDataException($"{g.Label(split)} does not split the 3 channels (axis 1) one by one.");
        }
        NodeProto concat = Only(g, split.Output[0], "Concat");
        if (new OnnxAttributes(concat, g.Label(concat), "axis").Int("axis", 0) != 1
            || !concat.Input.SequenceEqual([split.Output[2], split.Output[1], split.Output[0]]))
        {
            throw new InvalidDataException(
                $"{g.Label(concat)} joins [{string.Join(", ", concat.Input)}] on axis 1; expected the reversed channels [{split.Output[2]}, {split.Output[1]}, {split.Output[0]}] (RGB → BGR).");
        }
        if (split.Output.Any(o => g.ConsumersOf(o).Count != 1))
        {
            throw new InvalidDataException($"{g.Label(split)}: each channel must feed the Concat only.");
        }
        NodeProto sub = Only(g, concat.Output[0], "Sub");
        _ = new OnnxAttributes(sub, g.Label(sub));
        if (sub.Input.Count != 2 || sub.Input[0] != concat.Output[0])
        {
            throw new InvalidDataException($"{g.Label(sub)} does not subtract a constant from the BGR image.");
        }
        TensorProto mean = g.Initializer(sub, sub.Input[1], "mean image");
        long[] dims = mean.Dims.ToArray();
        if (dims.Length == 4 && dims[0] == 1)
        {
            dims = dims[1..];
        }
        if (dims.Length != 3 || dims[0] != 3 || dims[1] < 1 || dims[2] < 1)
        {
            throw new InvalidDataException($"{g.Label(sub)}: mean image '{mean.Name}' is [{string.Join(",", mean.Dims)}], not [1,3,H,W].");
        }
        if (g.Graph.Node.Count != 3 || g.Graph.Output.Count != 1 || g.Graph.Output[0].Name != sub.Output[0])
        {
            throw new InvalidDataException($"The graph has {g.Graph.Node.Count} nodes and {g.Graph.Output.Count} outputs; expected Split, Concat, Sub and one output.");
        }
        float[] values = OnnxTensors.Floats(mean, mean.Dims.ToArray(), g.Label(sub) + " mean image");
        return (values, dims[1], dims[2]);
    }

    private static NodeProto Only(OnnxGraphIndex g, string value, string op)
    {
        IReadOnlyList<NodeProto> readers = g.ConsumersOf(value);
        return readers.Count >= 1 && readers.All(r => ReferenceEquals(r, readers[0])) && readers[0].OpType == op
            ? readers[0]
            : throw new InvalidDataException(
                $"'{value}' feeds [{string.Join(", ", readers.Select(g.Label))}] where the preprocessing graph has one {op}.");
    }
}
