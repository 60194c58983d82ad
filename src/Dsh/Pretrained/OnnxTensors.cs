using System.Buffers.Binary;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Dsh.Pretrained;

/// <summary>ONNX initializers as float arrays (float32, inline data only).</summary>
internal static class OnnxTensors
{
    /// <summary>The values of <paramref name="tensor"/> in row-major order; its shape must be <paramref name="expected"/>.</summary>
    /// <param name="tensor">A float32 initializer.</param>
    /// <param name="expected">The shape the layer needs.</param>
    /// <param name="context">Names the node and the role, for the messages.</param>
    public static float[] Floats(TensorProto tensor, long[] expected, string context)
    {
        long[] dims = tensor.Dims.ToArray();
        if (!dims.SequenceEqual(expected))
        {
            throw new InvalidDataException(
                $"{context}: '{tensor.Name}' has shape [{string.Join(",", dims)}], the ResNet layer needs [{string.Join(",", expected)}].");
        }
        if (tensor.DataType != (int)DataType.Float)
        {
            throw new InvalidDataException($"{context}: '{tensor.Name}' is of ONNX type {(DataType)tensor.DataType}, not float32.");
        }
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException($"{context}: '{tensor.Name}' keeps its data in an external file, which the importer does not read.");
        }
        long count = dims.Aggregate(1L, (a, b) => a * b);
        float[] values;
        if (tensor.FloatData.Count > 0)
        {
            values = tensor.FloatData.ToArray();
        }
        else
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            values = new float[raw.Length / 4];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(4 * i, 4));
            }
        }
        if (values.LongLength != count)
        {
            throw new InvalidDataException($"{context}: '{tensor.Name}' holds {values.LongLength} values for shape [{string.Join(",", dims)}] ({count}).");
        }
        return values;
    }
}
