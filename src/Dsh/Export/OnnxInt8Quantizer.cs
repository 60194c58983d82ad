using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Dsh.Export;

/// <summary>
/// Static INT8 quantization of an exported encoder in ONNX's QDQ form, laid out so that ONNX Runtime runs every
/// convolution and residual sum in 8-bit integers (QLinearConv / QLinearAdd, with VNNI where the CPU has it):
/// batch norms are folded into the convolutions; each activation that feeds a Conv, Add or MaxPool passes through
/// QuantizeLinear → DequantizeLinear (uint8, asymmetric, range from calibration); weights are int8, symmetric, one scale
/// per output channel; biases are int32 at the product of the input's and the weight's scale. A ReLU whose output is
/// quantized with zero point 0 is left in the graph: ONNX Runtime folds it into the quantization (uint8 clips at 0).
/// The fully connected heads stay float32 (a few percent of the work). Written by hand because no .NET package
/// quantizes ONNX graphs (ONNX Runtime's quantizer is Python only).
/// </summary>
internal static class OnnxInt8Quantizer
{
    /// <summary>Operators whose activation inputs are quantized.</summary>
    private static readonly HashSet<string> Quantized = new(StringComparer.Ordinal) { "Conv", "Add", "MaxPool" };

    /// <summary>
    /// A copy of <paramref name="model"/> with every BatchNormalization that follows a Conv (and is its only consumer)
    /// folded into that Conv's weights and bias; the Conv then produces the norm's output name.
    /// </summary>
    public static ModelProto FoldBatchNorms(ModelProto model)
    {
        ModelProto folded = model.Clone();
        GraphProto g = folded.Graph;
        var initializers = g.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (NodeProto node in g.Node)
        {
            foreach (string output in node.Output)
            {
                producers[output] = node;
            }
        }
        var consumers = Consumers(g);
        var removed = new HashSet<NodeProto>();
        foreach (NodeProto norm in g.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(norm.Input[0], out NodeProto? conv) || conv.OpType != "Conv" || consumers[conv.Output[0]].Count != 1)
            {
                continue;
            }
            float eps = norm.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            float[] gamma = Floats(initializers[norm.Input[1]]), beta = Floats(initializers[norm.Input[2]]);
            float[] mean = Floats(initializers[norm.Input[3]]), variance = Floats(initializers[norm.Input[4]]);
            TensorProto weightProto = initializers[conv.Input[1]];
            float[] weight = Floats(weightProto);
            int channels = gamma.Length, perChannel = weight.Length / channels;
            float[] bias = conv.Input.Count > 2 ? Floats(initializers[conv.Input[2]]) : new float[channels];
            for (int c = 0; c < channels; c++)
            {
                double factor = gamma[c] / Math.Sqrt(variance[c] + (double)eps);
                for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
                {
                    weight[i] = (float)(weight[i] * factor);
                }
                bias[c] = (float)(beta[c] + (bias[c] - mean[c]) * factor);
            }
            // New initializers, so that a weight or bias read by another node too keeps its values there.
            conv.Input[1] = AddInitializer(g, conv.Name + ".folded_weight", DataType.Float, [.. weightProto.Dims], AsBytes(weight));
            string biasName = AddInitializer(g, conv.Name + ".folded_bias", DataType.Float, [channels], AsBytes(bias));
            while (conv.Input.Count > 2)
            {
                conv.Input.RemoveAt(2);
            }
            conv.Input.Add(biasName);
            conv.Output[0] = norm.Output[0];
            removed.Add(norm);
        }
        foreach (NodeProto norm in removed)
        {
            g.Node.Remove(norm);
        }
        RemoveUnused(g);
        return folded;
    }

    /// <summary>The activations (values that are not initializers) that feed a quantized operator, in graph order.</summary>
    public static IReadOnlyList<string> ActivationsToCalibrate(ModelProto model)
    {
        var constants = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto node in model.Graph.Node.Where(n => Quantized.Contains(n.OpType)))
        {
            IEnumerable<string> inputs = node.OpType == "Conv" ? node.Input.Take(1) : node.Input;
            foreach (string input in inputs.Where(i => !constants.Contains(i) && seen.Add(i)))
            {
                names.Add(input);
            }
        }
        return names;
    }

    /// <summary>A copy of <paramref name="model"/> that also outputs <paramref name="tensors"/> (float32), for calibration.</summary>
    public static ModelProto WithOutputs(ModelProto model, IEnumerable<string> tensors)
    {
        ModelProto copy = model.Clone();
        var existing = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string name in tensors.Where(existing.Add))
        {
            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } },
            });
        }
        return copy;
    }

    /// <summary>
    /// The QDQ model: <paramref name="folded"/> (from <see cref="FoldBatchNorms"/>) with each calibrated activation
    /// quantized to uint8 over its range (widened to hold 0) and every Conv's weights to int8 per channel.
    /// </summary>
    /// <param name="folded">The model with batch norms folded.</param>
    /// <param name="ranges">Each activation of <see cref="ActivationsToCalibrate"/> with the smallest and largest value seen.</param>
    public static ModelProto Quantize(ModelProto folded, IReadOnlyDictionary<string, (float Min, float Max)> ranges)
    {
        ModelProto model = folded.Clone();
        GraphProto g = model.Graph;
        var initializers = g.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var parameters = new Dictionary<string, (float Scale, byte ZeroPoint)>(StringComparer.Ordinal);
        foreach (string name in ActivationsToCalibrate(model))
        {
            if (!ranges.TryGetValue(name, out var range) || !float.IsFinite(range.Min) || !float.IsFinite(range.Max))
            {
                throw new ArgumentException($"No finite calibration range for '{name}'.", nameof(ranges));
            }
            parameters[name] = Uint8Parameters(range.Min, range.Max);
        }
        // A MaxPool's output keeps its input's scale, so that ONNX Runtime pools the uint8 values directly.
        foreach (NodeProto pool in g.Node.Where(n => n.OpType == "MaxPool"))
        {
            if (parameters.TryGetValue(pool.Input[0], out var input) && parameters.ContainsKey(pool.Output[0]))
            {
                parameters[pool.Output[0]] = input;
            }
        }

        var nodes = new List<NodeProto>();
        var dequantized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in g.Input.Select(i => i.Name).Where(parameters.ContainsKey))
        {
            nodes.AddRange(QuantizePair(g, input, parameters[input], dequantized));
        }
        foreach (NodeProto node in g.Node)
        {
            if (Quantized.Contains(node.OpType))
            {
                int activations = node.OpType == "Conv" ? 1 : node.Input.Count;
                string convInput = node.Input[0];
                for (int i = 0; i < activations; i++)
                {
                    if (dequantized.TryGetValue(node.Input[i], out string? dq))
                    {
                        node.Input[i] = dq;
                    }
                }
                if (node.OpType == "Conv")
                {
                    float inputScale = parameters[convInput].Scale;
                    nodes.AddRange(QuantizeConvParameters(g, node, initializers, inputScale));
                }
            }
            nodes.Add(node);
            foreach (string output in node.Output.Where(parameters.ContainsKey))
            {
                nodes.AddRange(QuantizePair(g, output, parameters[output], dequantized));
            }
        }
        g.Node.Clear();
        g.Node.AddRange(nodes);
        RemoveUnused(g);
        return model;
    }

    /// <summary>Scale and zero point of uint8 over [min, max] widened to hold 0 (so that 0, and ReLU, are exact).</summary>
    internal static (float Scale, byte ZeroPoint) Uint8Parameters(float min, float max)
    {
        double lo = Math.Min(0, min), hi = Math.Max(0, max);
        double scale = (hi - lo) / 255.0;
        if (scale <= 0 || !double.IsFinite(scale))
        {
            return (1f, 0); // a value that is always 0
        }
        double zero = Math.Round(-lo / scale);
        return ((float)scale, (byte)Math.Clamp(zero, 0, 255));
    }

    /// <summary>QuantizeLinear → DequantizeLinear on <paramref name="tensor"/>; later consumers read the <c>_dq</c> value.</summary>
    private static IEnumerable<NodeProto> QuantizePair(GraphProto g, string tensor, (float Scale, byte ZeroPoint) p, Dictionary<string, string> dequantized)
    {
        string scale = AddInitializer(g, tensor + "_scale", DataType.Float, [], BitConverter.GetBytes(p.Scale));
        string zero = AddInitializer(g, tensor + "_zero_point", DataType.Uint8, [], [p.ZeroPoint]);
        var q = new NodeProto { OpType = "QuantizeLinear", Name = tensor + "_q" };
        q.Input.AddRange([tensor, scale, zero]);
        q.Output.Add(tensor + "_q");
        var dq = new NodeProto { OpType = "DequantizeLinear", Name = tensor + "_dq" };
        dq.Input.AddRange([tensor + "_q", scale, zero]);
        dq.Output.Add(tensor + "_dq");
        dequantized[tensor] = tensor + "_dq";
        return [q, dq];
    }

    /// <summary>The Conv's weight as int8 per output channel and its bias as int32, each through a DequantizeLinear.</summary>
    private static IEnumerable<NodeProto> QuantizeConvParameters(GraphProto g, NodeProto conv, Dictionary<string, TensorProto> initializers, float inputScale)
    {
        TensorProto weightProto = initializers[conv.Input[1]];
        float[] weight = Floats(weightProto);
        int channels = (int)weightProto.Dims[0], perChannel = weight.Length / channels;
        var scales = new float[channels];
        var quantized = new byte[weight.Length];
        for (int c = 0; c < channels; c++)
        {
            float max = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                max = Math.Max(max, Math.Abs(weight[i]));
            }
            scales[c] = max > 0 ? max / 127f : 1f;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                quantized[i] = (byte)(sbyte)Math.Clamp(Math.Round(weight[i] / scales[c]), -127, 127);
            }
        }
        string baseName = conv.Input[1];
        long[] dims = [.. weightProto.Dims];
        string qWeight = AddInitializer(g, baseName + "_quantized", DataType.Int8, dims, quantized);
        string wScale = AddInitializer(g, baseName + "_scale", DataType.Float, [channels], AsBytes(scales));
        string wZero = AddInitializer(g, baseName + "_zero_point", DataType.Int8, [channels], new byte[channels]);
        var nodes = new List<NodeProto> { Dequantize(baseName + "_dq", qWeight, wScale, wZero, axis: 0) };
        conv.Input[1] = baseName + "_dq";
        if (conv.Input.Count > 2)
        {
            float[] bias = Floats(initializers[conv.Input[2]]);
            var biasScales = new float[channels];
            var biasValues = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                biasScales[c] = inputScale * scales[c];
                biasValues[c] = (int)Math.Clamp(Math.Round(bias[c] / biasScales[c]), int.MinValue, int.MaxValue);
            }
            string biasName = conv.Input[2];
            string qBias = AddInitializer(g, biasName + "_quantized", DataType.Int32, [channels], AsBytes(biasValues));
            string bScale = AddInitializer(g, biasName + "_scale", DataType.Float, [channels], AsBytes(biasScales));
            string bZero = AddInitializer(g, biasName + "_zero_point", DataType.Int32, [channels], new byte[channels * sizeof(int)]);
            nodes.Add(Dequantize(biasName + "_dq", qBias, bScale, bZero, axis: 0));
            conv.Input[2] = biasName + "_dq";
        }
        return nodes;
    }

    private static NodeProto Dequantize(string output, string input, string scale, string zero, int axis)
    {
        var node = new NodeProto { OpType = "DequantizeLinear", Name = output };
        node.Input.AddRange([input, scale, zero]);
        node.Output.Add(output);
        node.Attribute.Add(OnnxGraphBuilder.Int("axis", axis));
        return node;
    }

    private static string AddInitializer(GraphProto g, string name, DataType type, long[] dims, byte[] raw)
    {
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        proto.Dims.AddRange(dims);
        g.Initializer.Add(proto);
        return name;
    }

    private static Dictionary<string, List<NodeProto>> Consumers(GraphProto g)
    {
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (NodeProto node in g.Node)
        {
            foreach (string input in node.Input)
            {
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
            }
            foreach (string output in node.Output)
            {
                consumers.TryAdd(output, []);
            }
        }
        foreach (ValueInfoProto output in g.Output)
        {
            (consumers.TryGetValue(output.Name, out var list) ? list : consumers[output.Name] = []).Add(new NodeProto { Name = "graph output" });
        }
        return consumers;
    }

    /// <summary>Drops initializers no node reads.</summary>
    private static void RemoveUnused(GraphProto g)
    {
        var used = g.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (TensorProto t in g.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            g.Initializer.Remove(t);
        }
    }

    private static float[] Floats(TensorProto t)
    {
        if (t.DataType != (int)DataType.Float)
        {
            throw new NotSupportedException($"'{t.Name}' is not float32.");
        }
        if (t.RawData.Length > 0)
        {
            var values = new float[t.RawData.Length / sizeof(float)];
            Buffer.BlockCopy(t.RawData.ToByteArray(), 0, values, 0, values.Length * sizeof(float));
            return values;
        }
        return [.. t.FloatData];
    }

    // ONNX raw_data is little-endian; so is every platform .NET runs this library on.
    private static byte[] AsBytes<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
