using Dsh.Persistence;
using Dsh.Training;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// A checkpoint whose header matches the run but whose tensors were crafted (with a valid checksum) is an
/// <see cref="InvalidDataException"/> naming the file and the tensor, before anything the file sizes is allocated.
/// </summary>
public sealed class CheckpointSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-ckpt-crafted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Kinds => new() { "photo-codes-shape-length", "photo-codes-wrong-shape", "momentum-wrong-dtype", "trailing-bytes" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CraftedTensors_AreRefused(string kind)
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(_dir, epochs: 1);
        using (TrainingFixtures.Fit(options, data))
        {
        }
        string path = TrainingCheckpoint.List(_dir)[0];
        var (json, payload, momentumAt, codesAt) = Layout(path);
        DshFile.Write(path, DshFileKind.Checkpoint, json, w =>
        {
            switch (kind)
            {
                case "photo-codes-shape-length":
                    w.Write(payload[..codesAt]);
                    CraftedFiles.Number(w, (long)ScalarType.Float32);
                    CraftedFiles.Number(w, int.MaxValue);
                    break;
                case "photo-codes-wrong-shape":
                    w.Write(payload[..codesAt]);
                    CraftedFiles.Tensor(w, (long)ScalarType.Float32, [1L << 40, 16], []);
                    break;
                case "momentum-wrong-dtype":
                    w.Write(payload[..(momentumAt + 4)]); // the network and the right buffer count
                    CraftedFiles.Number(w, (long)ScalarType.Float64);
                    break;
                default:
                    w.Write(payload);
                    w.Write(new byte[3]);
                    break;
            }
        });

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => TrainingFixtures.Fit(options, data));
        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(kind switch
        {
            "photo-codes-shape-length" => "tensor 'photo codes' has 2147483647 dimensions",
            "photo-codes-wrong-shape" => "tensor 'photo codes' is [1099511627776, 16] in the file, [16, 24] expected",
            "momentum-wrong-dtype" => "tensor 'momentum buffer 1 of",
            _ => "3 bytes are left",
        }, e.Message);
        Assert.True(File.Exists(path)); // not set aside as damaged: its header is intact
    }

    /// <summary>
    /// The JSON header and payload of a real checkpoint, with the offsets in the payload of the momentum buffer count
    /// (after the network) and of the photo codes (after the buffers).
    /// </summary>
    private static (string Json, byte[] Payload, int MomentumAt, int CodesAt) Layout(string path)
    {
        var (json, reader) = DshFile.Open(path, DshFileKind.Checkpoint, int.MaxValue);
        using (reader)
        {
            long start = reader.BaseStream.Position;
            using var network = new DshNetwork(TrainingFixtures.TinyArchitecture);
            StateDictReader.ReadInto(reader, network, path);
            int momentumAt = (int)(reader.BaseStream.Position - start);
            using var optimizer = new MomentumSgd(network.TrainableParameters(), 0.9, 0);
            int count = StateDictReader.ReadInt32(reader, path, "the count");
            for (int i = 0; i < count; i++)
            {
                StateDictReader.ReadTensorInto(reader, optimizer.Buffers[i], $"momentum {i}", path);
            }
            return (json, PayloadOf(path), momentumAt, (int)(reader.BaseStream.Position - start));
        }
    }

    /// <summary>Everything between the JSON header and the checksum.</summary>
    private static byte[] PayloadOf(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int jsonLength = BitConverter.ToInt32(file, 8);
        return file[(12 + jsonLength)..^8];
    }
}
