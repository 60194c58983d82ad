using Dsh.Training;
using TorchSharp;

namespace Dsh.Tests.Training;

public sealed class InitialWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WeightFile_InitialisesTheNetwork_AndTrainingStartsFromIt()
    {
        string path = Path.Combine(_dir, "init.dat");
        torch.manual_seed(77);
        using (var source = new DshNetwork(TrainingFixtures.TinyArchitecture))
        {
            source.save(path);
        }
        torch.manual_seed(1);
        using var target = new DshNetwork(TrainingFixtures.TinyArchitecture);
        Assert.True(InitialWeights.Load(target, path) > 0);
        torch.manual_seed(77);
        using var reference = new DshNetwork(TrainingFixtures.TinyArchitecture);
        var expected = reference.state_dict();
        Assert.All(target.state_dict(), kv => Assert.True(kv.Value.eq(expected[kv.Key]).all().item<bool>(), kv.Key));

        // Through the trainer, with a learning rate too small to move anything: the trained weights are the file's.
        using var a = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1) with { InitialWeightsPath = path, LearningRate = 1e-30, WeightDecay = 0 }, TrainingFixtures.Data());
        var trained = a.Network.state_dict();
        Assert.All(reference.named_parameters(), p => Assert.True(trained[p.name].allclose(p.parameter, rtol: 0, atol: 1e-12), p.name));
        using var b = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1) with { LearningRate = 1e-30, WeightDecay = 0 }, TrainingFixtures.Data());
        Assert.False(b.Network.state_dict()["sketch_trunk.conv1.weight"].allclose(expected["sketch_trunk.conv1.weight"]));
    }

    [Fact]
    public void ForeignOrMismatchedFiles_AreClearErrors()
    {
        string junk = Path.Combine(_dir, "junk.dat");
        File.WriteAllBytes(junk, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        using var network = new DshNetwork(TrainingFixtures.TinyArchitecture);
        Assert.Throws<InvalidDataException>(() => InitialWeights.Load(network, junk));

        string other = Path.Combine(_dir, "other.dat");
        using (var conv = torch.nn.Conv2d(3, 5, 3))
        {
            conv.save(other); // keys "weight", "bias": nothing matches
        }
        Assert.Contains("no tensor named like", Assert.Throws<InvalidDataException>(() => InitialWeights.Load(network, other)).Message);
    }

    [Fact]
    public void Extra_and_mismatched_entries_are_stepped_over_and_crafted_sizes_are_refused_without_allocating()
    {
        using var source = new DshNetwork(TrainingFixtures.TinyArchitecture);
        var entries = CraftedFiles.Entries(source);
        (string name, torch.Tensor kept) = entries[0];
        string mixed = Path.Combine(_dir, "mixed.dat");
        using (var writer = new BinaryWriter(File.Create(mixed)))
        {
            CraftedFiles.Number(writer, 3);
            writer.Write("not.a.key");
            CraftedFiles.Tensor(writer, (long)torch.ScalarType.Float32, [2, 3], new byte[24]);
            CraftedFiles.Entry(writer, name, kept);
            writer.Write(entries[1].Name);                   // the right name with another shape
            CraftedFiles.Tensor(writer, (long)torch.ScalarType.Float32, [1], new byte[4]);
        }
        using var target = new DshNetwork(TrainingFixtures.TinyArchitecture);
        Assert.Equal(1, InitialWeights.Load(target, mixed));
        Assert.True(target.state_dict()[name].eq(kept).all().item<bool>());

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (long[] shape in new[] { new long[] { 1L << 40, 1L << 40 }, new long[] { long.MaxValue / 2, 4 }, new long[] { 1 << 30 } })
        {
            string crafted = Path.Combine(_dir, "crafted.dat");
            using (var writer = new BinaryWriter(File.Create(crafted)))
            {
                CraftedFiles.Number(writer, 1);
                writer.Write("unknown.key");
                CraftedFiles.Tensor(writer, (long)torch.ScalarType.Float32, shape, new byte[16]);
            }
            var e = Assert.Throws<InvalidDataException>(() => InitialWeights.Load(target, crafted));
            Assert.Contains("crafted.dat", e.Message);
        }
        string manyDims = Path.Combine(_dir, "dims.dat");
        using (var writer = new BinaryWriter(File.Create(manyDims)))
        {
            CraftedFiles.Number(writer, 1);
            writer.Write(name);
            CraftedFiles.Number(writer, (long)torch.ScalarType.Float32);
            CraftedFiles.Number(writer, int.MaxValue);
        }
        Assert.Contains("dimensions", Assert.Throws<InvalidDataException>(() => InitialWeights.Load(target, manyDims)).Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 16 << 20);
    }
}
