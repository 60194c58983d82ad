using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using System.Text;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Persistence;
using Dsh.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Compatibility;

/// <summary>
/// The committed files of tests/Dsh.Tests/TestData/LegacyFiles (written by <see cref="LegacyFilesWriter"/> with the code
/// of one commit, see its README.md) and the few helpers the compatibility tests share. The helpers spell out the file
/// formats themselves (container, state-dict layout) instead of calling the library's writers, so a change of those
/// writers cannot silently change what the tests expect.
/// </summary>
internal static class LegacyFiles
{
    /// <summary>The folder of the committed files, in the source tree (not copied to the test output).</summary>
    public static string Root => Path.Combine(RepoPaths.Root, "tests", "Dsh.Tests", "TestData", "LegacyFiles");

    public static string File(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The training images of the tiny runs: <c>images/train/sketch|photo/&lt;category&gt;/*.png</c>.</summary>
    public static string TrainSketches => File("images/train/sketch");

    public static string TrainPhotos => File("images/train/photo");

    public const string ExpectationsFile = "expected-outputs.json";

    public const string TinyModel = "tiny-caffe.dshmodel";

    public const string TinySharedModel = "tiny-caffe-shared-paperfillers.dshmodel";

    public const string TinyCheckpointFolder = "tiny-caffe.checkpoints";

    /// <summary>The state-dict layout file written next to each model file or header.</summary>
    public static string LayoutFile(string name) => name + ".layout.txt";

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Expectations ReadExpectations() =>
        JsonSerializer.Deserialize<Expectations>(System.IO.File.ReadAllText(File(ExpectationsFile)), Json)
        ?? throw new InvalidDataException("empty " + ExpectationsFile);

    /// <summary>
    /// One line per <c>state_dict</c> entry, in order: <c>key dtype [d0, d1, …]</c> (dtype is TorchSharp's ScalarType name).
    /// </summary>
    public static List<string> Layout(nn.Module module) =>
        module.state_dict().Select(kv => $"{kv.Key} {kv.Value.dtype} [{string.Join(", ", kv.Value.shape)}]").ToList();

    /// <summary>The lines of a committed layout file.</summary>
    public static List<string> ReadLayout(string relative) =>
        System.IO.File.ReadAllLines(File(relative)).Where(l => l.Length > 0).ToList();

    /// <summary>
    /// The fixed part of a Dsh file (model or checkpoint): "DSHM", format version (u16), kind (u16: 1 model, 2 checkpoint),
    /// JSON length (i32), the UTF-8 JSON header.
    /// </summary>
    public static (ushort Version, ushort Kind, string Json) ReadHeader(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        Span<byte> head = stackalloc byte[12];
        stream.ReadExactly(head);
        if (!head[..4].SequenceEqual("DSHM"u8))
        {
            throw new InvalidDataException($"{path}: not a DSHM file");
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(head[4..]);
        ushort kind = BinaryPrimitives.ReadUInt16LittleEndian(head[6..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
        byte[] json = new byte[length];
        stream.ReadExactly(json);
        return (version, kind, Encoding.UTF8.GetString(json));
    }

    /// <summary>
    /// Writes a model file (format version 1, kind 1) by hand: the header bytes as committed, then a TorchSharp state dict
    /// in the committed layout with every element zero, then the XxHash3 of all preceding bytes. This is what today's
    /// <c>DshModel.Save</c> writes for a network of that layout, weights aside.
    /// </summary>
    public static void WriteModelFile(string path, byte[] headerJson, IReadOnlyList<string> layout)
    {
        var hasher = new XxHash3();
        using (var file = System.IO.File.Create(path))
        {
            using (var hashing = new HashingWriteStream(file, hasher))
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write("DSHM"u8);
                writer.Write((ushort)1);
                writer.Write((ushort)1);
                writer.Write(headerJson.Length);
                writer.Write(headerJson);
                WriteLeb128(writer, layout.Count);
                byte[] zeros = new byte[1 << 16];
                foreach (string line in layout)
                {
                    (string key, ScalarType type, long[] shape) = ParseLayoutLine(line);
                    writer.Write(key);
                    WriteLeb128(writer, (long)type);
                    WriteLeb128(writer, shape.Length);
                    foreach (long d in shape)
                    {
                        WriteLeb128(writer, d);
                    }
                    long bytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(type);
                    for (long left = bytes; left > 0; left -= zeros.Length)
                    {
                        writer.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
                    }
                }
            }
            Span<byte> trailer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(trailer, hasher.GetCurrentHashAsUInt64());
            file.Write(trailer);
        }
    }

    public static (string Key, ScalarType Type, long[] Shape) ParseLayoutLine(string line)
    {
        string[] parts = line.Split(' ', 3);
        string dims = parts[2].Trim('[', ']');
        long[] shape = dims.Length == 0 ? [] : dims.Split(", ").Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], Enum.Parse<ScalarType>(parts[1]), shape);
    }

    private static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        _ => throw new NotSupportedException(type.ToString()),
    };

    /// <summary>A non-negative number in LEB128, as TorchSharp's <c>Module.save</c> writes counts, types and dimensions.</summary>
    private static void WriteLeb128(BinaryWriter writer, long value)
    {
        ulong v = (ulong)value;
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            writer.Write(v != 0 ? (byte)(b | 0x80) : b);
        }
        while (v != 0);
    }

    /// <summary>
    /// The real-valued outputs [K] of the network for one image file, prepared as <c>DshModel.EncodeSketch(path)</c> /
    /// <c>EncodePhoto(path)</c> prepare it (the same internal batch writer, a batch of one), so that bit i of the code is
    /// <c>output[i] &gt; 0</c>.
    /// </summary>
    public static float[] RealOutputs(DshModel model, string imagePath, bool photo)
    {
        using var scope = NewDisposeScope();
        var batch = new ImageBatchInputs(model.Architecture, photo, 1);
        batch.Write(0, imagePath, model.ImageDecoding, photo ? model.TokenExtractor : null);
        (Tensor first, Tensor? second) = batch.ToTensors([0]);
        Tensor outputs = photo ? model.Network.EncodePhoto(first, second!) : model.Network.EncodeSketch(first);
        return outputs.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>A code as a string of '0'/'1', bit 0 first.</summary>
    public static string Bits(Dsh.Hashing.BinaryCode code) =>
        new(Enumerable.Range(0, code.CodeLength).Select(i => code[i] ? '1' : '0').ToArray());
}

/// <summary>The content of expected-outputs.json.</summary>
internal sealed record Expectations
{
    /// <summary>The commit whose code wrote the files (HEAD when the writer ran; "+dirty" if src/ had changes).</summary>
    public required string WrittenByCommit { get; init; }

    public required string Library { get; init; }

    public required DateTime WrittenUtc { get; init; }

    /// <summary>Probe images, relative to the data folder.</summary>
    public required IReadOnlyList<string> ProbeSketches { get; init; }

    public required IReadOnlyList<string> ProbePhotos { get; init; }

    public required IReadOnlyList<ModelExpectation> Models { get; init; }

    public required CheckpointExpectation Checkpoint { get; init; }
}

internal sealed record ModelExpectation
{
    public required string File { get; init; }

    public required int CodeLength { get; init; }

    public required IReadOnlyList<string> Categories { get; init; }

    public required int Epochs { get; init; }

    public required int Seed { get; init; }

    public required long Steps { get; init; }

    /// <summary>The smallest |output| over all probes (how far the committed codes are from a bit flip).</summary>
    public required double MinAbsOutput { get; init; }

    public required IReadOnlyList<ImageExpectation> Sketches { get; init; }

    public required IReadOnlyList<ImageExpectation> Photos { get; init; }
}

internal sealed record ImageExpectation
{
    public required string Image { get; init; }

    /// <summary>'0'/'1' per bit, bit 0 first (bit = output &gt; 0).</summary>
    public required string Bits { get; init; }

    /// <summary><c>BinaryCode.ToBytes()</c> in hex.</summary>
    public required string Hex { get; init; }

    public required float[] Outputs { get; init; }
}

internal sealed record CheckpointExpectation
{
    /// <summary>The checkpoint file, relative to the data folder.</summary>
    public required string File { get; init; }

    /// <summary>The model file of the same run (its TrainingOptions are the run's options).</summary>
    public required string ModelFile { get; init; }

    public required long GlobalStep { get; init; }

    public required int Epoch { get; init; }

    public required int StepInEpoch { get; init; }
}
