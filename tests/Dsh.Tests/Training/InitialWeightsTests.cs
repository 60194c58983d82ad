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
}
