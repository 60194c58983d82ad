using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Dsh.Export;

/// <summary>
/// Collects the nodes, initializers, inputs and outputs of one ONNX graph (float32, a dynamic batch dimension named
/// <c>N</c>) and writes it as a model of <see cref="OpsetVersion"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX operator set the graphs use (every operator here is unchanged since opset 15 or earlier).</summary>
    public const int OpsetVersion = 17;

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _next;

    public OnnxGraphBuilder(string name) => _graph.Name = name;

    /// <summary>Declares a float32 input [N, dims…].</summary>
    public string Input(string name, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(name, dims));
        _names.Add(name);
        return name;
    }

    /// <summary>Declares a float32 output [N, dims…] (the value must already be produced under that name).</summary>
    public void Output(string name, params long[] dims) => _graph.Output.Add(ValueInfo(name, dims));

    /// <summary>Adds a float32 initializer with <paramref name="tensor"/>'s values (copied to the CPU as float32).</summary>
    public string Initializer(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        Tensor cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        float[] values = cpu.data<float>().ToArray();
        var proto = new TensorProto { Name = Unique(name), DataType = (int)DataType.Float };
        proto.Dims.AddRange(cpu.shape);
        byte[] raw = new byte[values.Length * sizeof(float)];
        // ONNX raw_data is little-endian; so is every platform .NET runs this library on.
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        proto.RawData = ByteString.CopyFrom(raw);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Adds a node with one output, named after <paramref name="hint"/> (or exactly <paramref name="output"/>).</summary>
    public string Node(string op, string hint, IEnumerable<string> inputs, Action<NodeProto>? attributes = null, string? output = null)
    {
        string result = output ?? Unique(hint);
        _names.Add(result);
        var node = new NodeProto { OpType = op, Name = result };
        node.Input.AddRange(inputs);
        node.Output.Add(result);
        attributes?.Invoke(node);
        _graph.Node.Add(node);
        return result;
    }

    /// <summary>The model: this graph, <see cref="OpsetVersion"/>, and <paramref name="metadata"/> as metadata_props.</summary>
    public ModelProto ToModel(IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Dsh",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return model;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private string Unique(string hint)
    {
        string name = hint;
        while (!_names.Add(name))
        {
            name = $"{hint}_{++_next}";
        }
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (long d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } },
        };
    }
}
