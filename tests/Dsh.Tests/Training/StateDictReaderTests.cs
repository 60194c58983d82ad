using Dsh.Model;
using Dsh.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>The state-dict reader reads what TorchSharp's own <c>Module.save</c> writes, bit for bit.</summary>
public sealed class StateDictReaderTests
{
    public static TheoryData<string> Profiles => new() { "compact", "resnet18", "tiny-shared-bn" };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ModuleSave_IsReadBitExactly(string profile)
    {
        DshArchitecture architecture = profile switch
        {
            "compact" => DshArchitecture.Compact(64),
            "resnet18" => DshArchitecture.ResNet18(16),
            _ => TrainingFixtures.TinyArchitecture with { TokenBatchNorm = TokenBatchNorm.Shared },
        };
        torch.manual_seed(11);
        using var source = new DshNetwork(architecture);
        using (no_grad())
        {
            // Batch-norm statistics and counters that differ from a new network's (the counters are int64).
            foreach (var (name, tensor) in source.state_dict())
            {
                if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                {
                    tensor.fill_(123_456_789_012L + name.Length);
                }
                else if (name.EndsWith("running_var", StringComparison.Ordinal) || name.EndsWith("running_mean", StringComparison.Ordinal))
                {
                    tensor.uniform_(0.5, 2.0);
                }
            }
        }
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            source.save(writer);
        }
        torch.manual_seed(12);
        using var target = new DshNetwork(architecture);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            StateDictReader.ReadInto(reader, target, "in-memory");
        }

        Assert.Equal(buffer.Length, buffer.Position);
        Dictionary<string, Tensor> expected = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            Assert.True(CraftedFiles.Bytes(expected[name]).AsSpan().SequenceEqual(CraftedFiles.Bytes(tensor)), name);
        }
    }

    [Fact]
    public void SavedTensors_AreReadIntoExistingAndNewTensors()
    {
        using var scope = NewDisposeScope();
        Tensor floats = torch.randn(3, 700, 500); // over one 1 MiB chunk
        Tensor doubles = torch.randn(4, 5, dtype: ScalarType.Float64);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            floats.Save(writer);
            doubles.Save(writer);
            writer.Write(7);
            writer.Write(true);
        }
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        Tensor into = torch.zeros(3, 700, 500);
        StateDictReader.ReadTensorInto(reader, into, "floats", "in-memory");
        Tensor fresh = StateDictReader.ReadTensor(reader, ScalarType.Float64, [4, 5], "doubles", "in-memory");
        Assert.Equal(7, StateDictReader.ReadInt32(reader, "in-memory", "a count"));
        Assert.True(StateDictReader.ReadFlag(reader, "in-memory", "a flag"));
        Assert.True(into.eq(floats).all().item<bool>());
        Assert.True(fresh.eq(doubles).all().item<bool>());
    }
}
