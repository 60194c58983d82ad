using Onnx;

namespace Dsh.Pretrained;

/// <summary>
/// Matches an ONNX graph against the ResNet basic-block structure by following values from the data input:
/// Conv → BatchNormalization → Relu → MaxPool, then blocks (Conv → BN → Relu → Conv → BN → Add with the block input
/// or a Conv → BN projection → Relu), then a global average pool. Weights are found by following each node's inputs to
/// the initializers, never by name. Any other op, wiring or shape is an <see cref="InvalidDataException"/> naming the
/// node.
/// </summary>
internal sealed class ResNetGraphWalker
{
    private static readonly HashSet<string> KnownOps =
    [
        "Conv", "BatchNormalization", "Relu", "MaxPool", "Add", "GlobalAveragePool", "AveragePool", "ReduceMean",
        "Identity", "Flatten", "Reshape", "Squeeze",
    ];

    private static readonly HashSet<string> TrailingOps = ["Identity", "Flatten", "Reshape", "Squeeze"];

    private readonly OnnxGraphIndex g;

    private ResNetGraphWalker(GraphProto graph) => g = new OnnxGraphIndex(graph);

    /// <summary>The plan of <paramref name="graph"/>, or an <see cref="InvalidDataException"/> naming the node that does not fit.</summary>
    public static ResNetGraphPlan Walk(GraphProto graph) => new ResNetGraphWalker(graph).Walk();

    private ResNetGraphPlan Walk()
    {
        foreach (NodeProto node in g.Graph.Node.Where(n => !KnownOps.Contains(n.OpType)))
        {
            throw new InvalidDataException($"{g.Label(node)} is an operator a ResNet trunk does not contain.");
        }
        ValueInfoProto input = g.DataInput;
        MapShape shape = InputShape(input);

        NodeProto convNode = Single(input.Name, $"the graph input '{input.Name}'", "Conv");
        g.Claim(convNode);
        ConvPlan conv1 = ReadConv(convNode, ref shape);
        NodeProto bnNode = Next(convNode, "BatchNormalization");
        NormPlan bn1 = ReadNorm(bnNode, shape);
        NodeProto relu = Next(bnNode, "Relu");
        NodeProto poolNode = Next(relu, "MaxPool");
        PoolPlan maxPool = ReadMaxPool(poolNode, ref shape);

        string x = Skip(poolNode.Output[0]);
        var stages = new List<List<BlockPlan>>();
        while (true)
        {
            IReadOnlyList<NodeProto> readers = g.ConsumersOf(x);
            if (readers.Count == 1 && readers[0].OpType is "GlobalAveragePool" or "AveragePool" or "ReduceMean")
            {
                break;
            }
            bool firstOfStage = stages.Count == 0 || (readers.Count == 2 && readers.All(r => r.OpType == "Conv"));
            BlockPlan block = ReadBlock(x, ref shape, out x);
            if (firstOfStage)
            {
                stages.Add([]);
            }
            stages[^1].Add(block);
        }
        string poolLabel = ReadGlobalPool(g.ConsumersOf(x)[0], shape);
        g.RequireAllClaimed();
        if (stages.Count != 4 || stages.Any(s => s.Count > 64))
        {
            throw new InvalidDataException(
                $"The graph has {stages.Count} stages of [{string.Join(", ", stages.Select(s => s.Count))}] blocks; a ResNet trunk has 4 of 1 to 64.");
        }
        return new ResNetGraphPlan(conv1, bn1, maxPool, stages, poolLabel);
    }

    private MapShape InputShape(ValueInfoProto input)
    {
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"The graph input '{input.Name}' is not a float32 tensor.");
        }
        if (tensor.Shape is null)
        {
            return new MapShape(3, 0, 0);
        }
        long[] dims = tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : 0).ToArray();
        if (dims.Length != 4 || (dims[1] != 0 && dims[1] != 3))
        {
            throw new InvalidDataException($"The graph input '{input.Name}' has shape [{string.Join(",", dims)}]; a trunk reads [N, 3, H, W].");
        }
        return new MapShape(3, dims[2], dims[3]);
    }

    /// <summary>One basic block starting at value <paramref name="x"/>; <paramref name="output"/> is its final Relu's output.</summary>
    private BlockPlan ReadBlock(string x, ref MapShape shape, out string output)
    {
        IReadOnlyList<NodeProto> readers = g.ConsumersOf(x);
        NodeProto[] convs = readers.Where(r => r.OpType == "Conv").ToArray();
        NodeProto[] adds = readers.Where(r => r.OpType == "Add").ToArray();
        bool identity = convs.Length == 1 && adds.Length == 1 && readers.Count == 2;
        bool projection = convs.Length == 2 && readers.Count == 2;
        if (!identity && !projection)
        {
            throw new InvalidDataException(
                $"The value '{x}' feeds {Labels(readers)}; a basic block starts with a Conv and its shortcut (an Add, or a 1×1 Conv).");
        }

        ConvPlan? conv1 = null, dsConv = null;
        NormPlan? bn1 = null, dsNorm = null;
        NodeProto? mainRelu = null, shortcutAdd = identity ? adds[0] : null;
        MapShape mainShape = shape, shortcutShape = shape;
        string shortcutValue = x;
        foreach (NodeProto conv in convs)
        {
            if (conv.Input.Count == 0 || conv.Input[0] != x)
            {
                throw new InvalidDataException($"{g.Label(conv)} reads '{x}' as a parameter, not as its data input.");
            }
            g.Claim(conv);
            MapShape s = shape;
            ConvPlan plan = ReadConv(conv, ref s);
            NodeProto bn = Next(conv, "BatchNormalization");
            NormPlan norm = ReadNorm(bn, s);
            NodeProto after = Single(Skip(bn.Output[0]), g.Label(bn), "Relu", "Add");
            if (after.OpType == "Relu" && mainRelu is null)
            {
                (conv1, bn1, mainRelu, mainShape) = (plan, norm, after, s);
            }
            else if (after.OpType == "Add" && dsConv is null && projection)
            {
                (dsConv, dsNorm, shortcutAdd, shortcutShape, shortcutValue) = (plan, norm, after, s, Skip(bn.Output[0]));
            }
            else
            {
                throw new InvalidDataException($"{g.Label(after)} follows {g.Label(bn)}; the block needs one main path (→ Relu) and one shortcut (→ Add).");
            }
        }
        if (mainRelu is null || shortcutAdd is null)
        {
            throw new InvalidDataException($"The block at '{x}' has no main path (Conv → BatchNormalization → Relu).");
        }
        g.Claim(mainRelu);

        NodeProto conv2Node = Next(mainRelu, "Conv");
        ConvPlan conv2 = ReadConv(conv2Node, ref mainShape);
        NodeProto bn2Node = Next(conv2Node, "BatchNormalization");
        NormPlan bn2 = ReadNorm(bn2Node, mainShape);
        NodeProto add = Next(bn2Node, "Add", claim: false);
        string mainValue = Skip(bn2Node.Output[0]);
        if (!ReferenceEquals(add, shortcutAdd) || add.Input.Count != 2 || !add.Input.OrderBy(s => s, StringComparer.Ordinal)
                .SequenceEqual(new[] { mainValue, shortcutValue }.OrderBy(s => s, StringComparer.Ordinal)))
        {
            throw new InvalidDataException(
                $"{g.Label(add)} adds [{string.Join(", ", add.Input)}]; the block needs '{mainValue}' + its shortcut '{shortcutValue}'.");
        }
        if (mainShape != shortcutShape)
        {
            throw new InvalidDataException($"{g.Label(add)} adds a {mainShape} map to a {shortcutShape} shortcut.");
        }
        g.Claim(add);
        NodeProto relu = Next(add, "Relu");
        output = Skip(relu.Output[0]);
        shape = mainShape;
        return new BlockPlan(conv1!, bn1!, conv2, bn2, dsConv, dsNorm);
    }

    private ConvPlan ReadConv(NodeProto node, ref MapShape shape)
    {
        string label = g.Label(node);
        var a = new OnnxAttributes(node, label, "kernel_shape", "strides", "pads", "auto_pad", "group", "dilations");
        if (node.Input.Count != 2)
        {
            throw new InvalidDataException($"{label} has {node.Input.Count} inputs; ResNet convolutions have data and weight only (no bias).");
        }
        TensorProto weight = g.Initializer(node, node.Input[1], "weight");
        long[] w = weight.Dims.ToArray();
        if (w.Length != 4 || w[1] != shape.Channels)
        {
            throw new InvalidDataException($"{label}: weight '{weight.Name}' is [{string.Join(",", w)}] but its input has {shape.Channels} channels.");
        }
        if (a.Int("group", 1) != 1)
        {
            throw new InvalidDataException($"{label} is a grouped convolution (group {a.Int("group", 1)}); ResNet's are not.");
        }
        long[] kernel = [w[2], w[3]];
        long[]? declared = a.Ints("kernel_shape", 2, null);
        if (declared is not null && !declared.SequenceEqual(kernel))
        {
            throw new InvalidDataException($"{label}: kernel_shape [{string.Join(",", declared)}] disagrees with weight '{weight.Name}' [{string.Join(",", w)}].");
        }
        long[] stride = a.Ints("strides", 2, [1, 1])!;
        long[] dilation = a.Ints("dilations", 2, [1, 1])!;
        SpatialPadding padding = a.Padding();
        shape = Output(label, shape, w[0], kernel, stride, dilation, padding, ceil: false);
        return new ConvPlan(label, weight, stride, dilation, padding);
    }

    private NormPlan ReadNorm(NodeProto node, MapShape shape)
    {
        string label = g.Label(node);
        var a = new OnnxAttributes(node, label, "epsilon", "momentum", "spatial", "is_test", "training_mode");
        if (a.Int("spatial", 1) != 1 || a.Int("training_mode", 0) != 0)
        {
            throw new InvalidDataException($"{label}: only spatial, inference-mode batch norm maps onto BatchNorm2d.");
        }
        if (node.Input.Count != 5)
        {
            throw new InvalidDataException($"{label} has {node.Input.Count} inputs; batch norm has 5 (data, scale, bias, mean, variance).");
        }
        TensorProto Param(int i, string role)
        {
            TensorProto t = g.Initializer(node, node.Input[i], role);
            return t.Dims.Count == 1 && t.Dims[0] == shape.Channels
                ? t
                : throw new InvalidDataException($"{label}: {role} '{t.Name}' is [{string.Join(",", t.Dims)}], the map has {shape.Channels} channels.");
        }
        RequireOnlyFirstOutputUsed(node);
        return new NormPlan(label, Param(1, "scale"), Param(2, "bias"), Param(3, "mean"), Param(4, "variance"), a.Float("epsilon", 1e-5f));
    }

    private PoolPlan ReadMaxPool(NodeProto node, ref MapShape shape)
    {
        string label = g.Label(node);
        var a = new OnnxAttributes(node, label, "kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "storage_order");
        long[] kernel = a.Ints("kernel_shape", 2, null)
            ?? throw new InvalidDataException($"{label} has no kernel_shape.");
        long[] stride = a.Ints("strides", 2, [1, 1])!;
        long[] dilation = a.Ints("dilations", 2, [1, 1])!;
        bool ceil = a.Int("ceil_mode", 0) != 0;
        SpatialPadding padding = a.Padding();
        RequireOnlyFirstOutputUsed(node);
        shape = Output(label, shape, shape.Channels, kernel, stride, dilation, padding, ceil);
        return new PoolPlan(label, kernel, stride, dilation, padding, ceil);
    }

    /// <summary>Claims the pool and any Flatten/Reshape/Squeeze/Identity after it, which must end at the graph output.</summary>
    private string ReadGlobalPool(NodeProto node, MapShape shape)
    {
        string label = g.Label(node);
        g.Claim(node);
        if (node.OpType == "AveragePool")
        {
            var a = new OnnxAttributes(node, label, "kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "count_include_pad");
            long[] kernel = a.Ints("kernel_shape", 2, null) ?? throw new InvalidDataException($"{label} has no kernel_shape.");
            long[] stride = a.Ints("strides", 2, [1, 1])!;
            var pads = a.Padding().Resolve(shape.Height, shape.Width, kernel, stride, [1, 1]);
            if (!shape.KnownSize || kernel[0] != shape.Height || kernel[1] != shape.Width || pads != (0, 0, 0, 0))
            {
                throw new InvalidDataException(
                    $"{label}: a [{string.Join(",", kernel)}] window on the {shape} map is not a global average pool.");
            }
        }
        else if (node.OpType == "ReduceMean")
        {
            var a = new OnnxAttributes(node, label, "axes", "keepdims");
            long[]? axes = a.Ints("axes", 2, null);
            if (axes is null || !axes.Order().SequenceEqual([2L, 3L]) || node.Input.Count != 1)
            {
                throw new InvalidDataException($"{label} does not average over the spatial axes (2, 3) only.");
            }
        }
        else
        {
            _ = new OnnxAttributes(node, label);
        }
        string value = node.Output[0];
        while (!g.Graph.Output.Any(o => o.Name == value))
        {
            IReadOnlyList<NodeProto> readers = g.ConsumersOf(value);
            if (readers.Count != 1 || !TrailingOps.Contains(readers[0].OpType))
            {
                throw new InvalidDataException($"After {label} the value '{value}' feeds {Labels(readers)}, not the graph output.");
            }
            g.Claim(readers[0]);
            value = readers[0].Output[0];
        }
        if (g.Graph.Output.Count != 1)
        {
            throw new InvalidDataException($"The graph has {g.Graph.Output.Count} outputs; a trunk has one, the pooled features.");
        }
        return label;
    }

    private MapShape Output(string label, MapShape input, long channels, long[] kernel, long[] stride, long[] dilation, SpatialPadding padding, bool ceil)
    {
        if (stride.Any(s => s < 1) || dilation.Any(d => d < 1) || kernel.Any(k => k < 1))
        {
            throw new InvalidDataException($"{label}: kernel, strides and dilations must be positive.");
        }
        if (!input.KnownSize)
        {
            return input with { Channels = channels };
        }
        var p = padding.Resolve(input.Height, input.Width, kernel, stride, dilation);
        long h = SpatialPadding.OutputLength(input.Height, p.Top, p.Bottom, kernel[0], stride[0], dilation[0], ceil);
        long w = SpatialPadding.OutputLength(input.Width, p.Left, p.Right, kernel[1], stride[1], dilation[1], ceil);
        return h >= 1 && w >= 1
            ? new MapShape(channels, h, w)
            : throw new InvalidDataException($"{label}: a {input} input leaves no output pixel.");
    }

    /// <summary>The single (claimed) reader of <paramref name="previous"/>'s output, which must be a <paramref name="op"/>.</summary>
    private NodeProto Next(NodeProto previous, string op, bool claim = true)
    {
        NodeProto node = Single(Skip(previous.Output[0]), g.Label(previous), op);
        if (claim)
        {
            g.Claim(node);
        }
        return node;
    }

    private NodeProto Single(string value, string source, params string[] ops)
    {
        IReadOnlyList<NodeProto> readers = g.ConsumersOf(value);
        if (readers.Count != 1)
        {
            throw new InvalidDataException($"The output of {source} feeds {Labels(readers)}; the ResNet structure needs one {string.Join(" or ", ops)} there.");
        }
        NodeProto node = readers[0];
        if (!ops.Contains(node.OpType))
        {
            throw new InvalidDataException($"{g.Label(node)} follows {source} where the ResNet structure needs {string.Join(" or ", ops)}.");
        }
        if (node.OpType != "Add" && node.Input.Count > 0 && node.Input[0] != value)
        {
            throw new InvalidDataException($"{g.Label(node)} reads the output of {source} as a parameter, not as its data input.");
        }
        return node;
    }

    /// <summary>Follows single-reader Identity nodes (claiming them) to the value they pass on.</summary>
    private string Skip(string value)
    {
        while (g.ConsumersOf(value) is [{ OpType: "Identity" } identity])
        {
            g.ClaimOnce(identity);
            value = identity.Output[0];
        }
        return value;
    }

    private void RequireOnlyFirstOutputUsed(NodeProto node)
    {
        string? extra = node.Output.Skip(1).FirstOrDefault(o => o.Length > 0 && (g.ConsumersOf(o).Count > 0 || g.Graph.Output.Any(x => x.Name == o)));
        if (extra is not null)
        {
            throw new InvalidDataException($"{g.Label(node)}: its extra output '{extra}' is used; the importer maps only the first.");
        }
    }

    private string Labels(IReadOnlyList<NodeProto> nodes) =>
        nodes.Count == 0 ? "no node" : $"{nodes.Count} node(s): {string.Join(", ", nodes.Select(g.Label))}";
}
