using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Persistence;

/// <summary>
/// Reads tensors in the format of TorchSharp's <c>Module.save</c> / <c>Tensor.Save</c> without trusting the file: a
/// state dict is an entry count (LEB128) and, per entry, a name (a <see cref="BinaryWriter"/> string) and a tensor:
/// element type, number of dimensions and each dimension (LEB128), then the raw little-endian elements. Every
/// name, type and shape is checked against the tensor it must fill before any of its data is read, and the data
/// goes straight into that tensor's memory, a chunk at a time, so a file cannot make the reader allocate more
/// than the network already holds. Any mismatch, truncation or junk is an <see cref="InvalidDataException"/>
/// whose one-line message names the file and the tensor.
/// </summary>
internal static class StateDictReader
{
    /// <summary>The longest tensor name read, in UTF-8 bytes (real keys are under 60).</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>The most dimensions a tensor may have (the network's have at most 4).</summary>
    public const int MaxDimensions = 8;

    private const int ChunkBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Fills every tensor of <paramref name="module"/>'s <c>state_dict</c> from <paramref name="reader"/>: each key
    /// exactly once, in any order, none missing and none unknown, each with the same element type and shape. Entries
    /// named in <paramref name="skippable"/> may also appear, at most once each: their type and shape are checked
    /// against the tensor there and their data is stepped over (the copies of shared tensors older files hold).
    /// </summary>
    /// <exception cref="InvalidDataException">The entries do not match the module, or the data ends early or is malformed.</exception>
    public static void ReadInto(BinaryReader reader, nn.Module module, string path, IReadOnlyDictionary<string, Tensor>? skippable = null)
    {
        Dictionary<string, Tensor> state = module.state_dict();
        int most = state.Count + (skippable?.Count ?? 0);
        long count = ReadNumber(reader, path, "the weights' tensor count");
        if (count > most)
        {
            string copies = most > state.Count ? $" (and {most - state.Count} shared tensors an older file may hold a copy of)" : "";
            throw Bad(path, $"the weights list {count} tensors; the architecture in the header has {state.Count}{copies}");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            string name = ReadName(reader, path, i, count);
            Tensor? skipped = null;
            if (!state.TryGetValue(name, out Tensor? target) && skippable?.TryGetValue(name, out skipped) != true)
            {
                throw Bad(path, $"tensor '{Printable(name)}' is not part of the architecture in the header");
            }
            if (!seen.Add(name))
            {
                throw Bad(path, $"tensor '{name}' appears twice");
            }
            if (skipped is not null)
            {
                ReadHeader(reader, skipped.dtype, skipped.shape, name, path);
                Skip(reader.BaseStream, skipped.numel() * skipped.ElementSize, name, path);
                continue;
            }
            ReadTensorInto(reader, target!, name, path);
        }
        int filled = state.Keys.Count(seen.Contains);
        if (filled < state.Count)
        {
            string missing = state.Keys.First(key => !seen.Contains(key));
            throw Bad(path, $"tensor '{missing}' is missing (the weights hold {filled} of the architecture's {state.Count} tensors)");
        }
    }

    /// <summary>
    /// Fills the tensors of <paramref name="module"/>'s <c>state_dict</c> that the file holds under the same name with the
    /// same element type and shape, and steps over every other entry without allocating for it (its size is computed
    /// from its shape and checked against what is left of the stream). For weight files from elsewhere (initial weights).
    /// </summary>
    /// <returns>How many tensors were filled.</returns>
    /// <exception cref="InvalidDataException">The data ends early or is malformed, or a name appears twice.</exception>
    public static int ReadMatching(BinaryReader reader, nn.Module module, string path)
    {
        Dictionary<string, Tensor> state = module.state_dict();
        Stream stream = reader.BaseStream;
        long count = ReadNumber(reader, path, "the weights' tensor count");
        if (stream.CanSeek && count > stream.Length - stream.Position)
        {
            throw Bad(path, $"the weights list {count} tensors, more than the file has bytes");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int filled = 0;
        for (long i = 0; i < count; i++)
        {
            string name = ReadName(reader, path, i, count);
            if (!seen.Add(name))
            {
                throw Bad(path, $"tensor '{Printable(name)}' appears twice");
            }
            (long type, long[] shape) = ReadAnyHeader(reader, Printable(name), path);
            long bytes = ByteCount(type, shape, Printable(name), path);
            if (stream.CanSeek && bytes > stream.Length - stream.Position)
            {
                throw Bad(path, $"the payload ends inside tensor '{Printable(name)}'");
            }
            if (state.TryGetValue(name, out Tensor? target) && (long)target.dtype == type && target.shape.AsSpan().SequenceEqual(shape))
            {
                FillTarget(stream, target, name, path);
                filled++;
            }
            else
            {
                Skip(stream, bytes, Printable(name), path);
            }
        }
        return filled;
    }

    /// <summary>Fills <paramref name="target"/> from one saved tensor of the same element type and shape.</summary>
    /// <exception cref="InvalidDataException">Another type or shape, or the data ends early or is malformed.</exception>
    public static void ReadTensorInto(BinaryReader reader, Tensor target, string name, string path)
    {
        ReadHeader(reader, target.dtype, target.shape, name, path);
        FillTarget(reader.BaseStream, target, name, path);
    }

    /// <summary>Reads a tensor's data into <paramref name="target"/>: straight into its memory when it is a contiguous CPU tensor, else through a staging copy.</summary>
    private static void FillTarget(Stream stream, Tensor target, string name, string path)
    {
        using var noGrad = no_grad();
        if (target.device_type == DeviceType.CPU && target.is_contiguous())
        {
            Fill(stream, target, name, path);
            return;
        }
        using Tensor staging = empty(target.shape, target.dtype);
        Fill(stream, staging, name, path);
        target.copy_(staging);
    }

    /// <summary>Reads one saved tensor that must have <paramref name="type"/> and <paramref name="shape"/> into a new CPU tensor.</summary>
    /// <exception cref="InvalidDataException">Another type or shape, or the data ends early or is malformed.</exception>
    public static Tensor ReadTensor(BinaryReader reader, ScalarType type, long[] shape, string name, string path)
    {
        ReadHeader(reader, type, shape, name, path);
        Tensor tensor = empty(shape, type);
        try
        {
            Fill(reader.BaseStream, tensor, name, path);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>A little-endian <see cref="int"/> (as <see cref="BinaryWriter.Write(int)"/> writes it).</summary>
    public static int ReadInt32(BinaryReader reader, string path, string what)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(reader.BaseStream, bytes, path, what);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    /// <summary>A <see cref="bool"/> as <see cref="BinaryWriter.Write(bool)"/> writes it (one byte, 0 or 1).</summary>
    public static bool ReadFlag(BinaryReader reader, string path, string what)
    {
        int value = ReadByte(reader.BaseStream, path, what);
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Bad(path, $"{what} is {value}, not a boolean"),
        };
    }

    private static void ReadHeader(BinaryReader reader, ScalarType type, long[] shape, string name, string path)
    {
        string what = $"tensor '{name}'";
        (long savedType, long[] saved) = ReadAnyHeader(reader, name, path, $"; {shape.Length} expected");
        if (savedType != (long)type)
        {
            string found = savedType <= sbyte.MaxValue && Enum.IsDefined((ScalarType)(sbyte)savedType)
                ? ((ScalarType)(sbyte)savedType).ToString()
                : $"element type {savedType}";
            throw Bad(path, $"{what} is {found} in the file, {type} expected");
        }
        if (!saved.AsSpan().SequenceEqual(shape))
        {
            throw Bad(path, $"{what} is [{string.Join(", ", saved)}] in the file, [{string.Join(", ", shape)}] expected");
        }
    }

    /// <summary>A tensor's element type and shape, whatever they are (at most <see cref="MaxDimensions"/> dimensions).</summary>
    private static (long Type, long[] Shape) ReadAnyHeader(BinaryReader reader, string name, string path, string expected = "")
    {
        string what = $"tensor '{name}'";
        long type = ReadNumber(reader, path, what);
        long rank = ReadNumber(reader, path, what);
        if (rank > MaxDimensions)
        {
            throw Bad(path, $"{what} has {rank} dimensions in the file (at most {MaxDimensions} are read{expected})");
        }
        var shape = new long[rank];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = ReadNumber(reader, path, what);
        }
        return (type, shape);
    }

    /// <summary>The bytes of a tensor's data: element size × the product of its dimensions, refused on overflow or an unknown type.</summary>
    private static long ByteCount(long type, long[] shape, string name, string path)
    {
        long size = type switch
        {
            (long)ScalarType.Byte or (long)ScalarType.Int8 or (long)ScalarType.Bool => 1,
            (long)ScalarType.Int16 or (long)ScalarType.Float16 or (long)ScalarType.BFloat16 => 2,
            (long)ScalarType.Int32 or (long)ScalarType.Float32 => 4,
            (long)ScalarType.Int64 or (long)ScalarType.Float64 or (long)ScalarType.ComplexFloat32 => 8,
            (long)ScalarType.ComplexFloat64 => 16,
            _ => throw Bad(path, $"tensor '{name}' has the unknown element type {type}"),
        };
        try
        {
            long bytes = size;
            foreach (long dimension in shape)
            {
                bytes = checked(bytes * dimension);
            }
            return bytes;
        }
        catch (OverflowException)
        {
            throw Bad(path, $"tensor '{name}' is [{string.Join(", ", shape)}]: too large");
        }
    }

    /// <summary>Steps over <paramref name="bytes"/> bytes of data; a file that ends sooner is refused (a seek alone would not notice).</summary>
    private static void Skip(Stream stream, long bytes, string name, string path)
    {
        if (stream.CanSeek)
        {
            if (bytes > stream.Length - stream.Position)
            {
                throw Bad(path, $"the payload ends inside tensor '{name}'");
            }
            stream.Seek(bytes, SeekOrigin.Current);
            return;
        }
        byte[] buffer = new byte[(int)Math.Min(bytes, ChunkBytes)];
        for (long left = bytes; left > 0; left -= buffer.Length)
        {
            ReadExactly(stream, buffer.AsSpan(0, (int)Math.Min(left, buffer.Length)), path, $"tensor '{name}'");
        }
    }

    /// <summary>Reads the tensor's bytes into its own (CPU, contiguous) memory, <see cref="ChunkBytes"/> at a time.</summary>
    private static void Fill(Stream stream, Tensor tensor, string name, string path)
    {
        long elements = tensor.numel();
        if (elements == 0)
        {
            return;
        }
        long perChunk = Math.Max(1, ChunkBytes / tensor.ElementSize);
        using var scope = NewDisposeScope(); // the views below are made in a scope, like every temporary (see Native.HeldScalars)
        using Tensor flat = tensor.view(-1);
        for (long start = 0; start < elements; start += perChunk)
        {
            using Tensor part = flat.narrow(0, start, Math.Min(perChunk, elements - start));
            ReadExactly(stream, part.bytes, path, $"tensor '{name}'");
        }
    }

    private static string ReadName(BinaryReader reader, string path, long index, long count)
    {
        string what = $"the name of tensor {index + 1} of {count}";
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw Bad(path, $"{what} has a malformed length");
            }
            int b = ReadByte(reader.BaseStream, path, what);
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        if (length is < 1 or > MaxNameBytes)
        {
            throw Bad(path, $"{what} is {length} bytes long (1 to {MaxNameBytes} are read)");
        }
        byte[] bytes = new byte[length];
        ReadExactly(reader.BaseStream, bytes, path, what);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Bad(path, $"{what} is not UTF-8");
        }
    }

    /// <summary>A non-negative LEB128 number as TorchSharp writes it (at most 9 bytes, 63 bits).</summary>
    private static long ReadNumber(BinaryReader reader, string path, string what)
    {
        long value = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 56)
            {
                throw Bad(path, $"{what}: a malformed number (more than 9 bytes)");
            }
            int b = ReadByte(reader.BaseStream, path, what);
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static int ReadByte(Stream stream, string path, string what)
    {
        Span<byte> one = stackalloc byte[1];
        ReadExactly(stream, one, path, what);
        return one[0];
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Bad(path, $"the payload ends inside {what}");
        }
    }

    /// <summary>A name as it may appear in a one-line message (control characters shown as '?').</summary>
    private static string Printable(string name) =>
        string.Create(name.Length, name, (span, s) =>
        {
            for (int i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });

    private static InvalidDataException Bad(string path, string message) => new($"{path}: {message}.");
}
