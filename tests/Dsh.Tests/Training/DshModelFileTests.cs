using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

public sealed class DshModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveLoad_RoundTripsWeightsHeaderAndOutputs()
    {
        using var model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());
        string path = Path.Combine(_dir, "m.dshm");
        model.Save(path);
        using var loaded = DshModel.Load(path);

        Assert.Equal(model.Architecture, loaded.Architecture);
        Assert.Equal(model.Categories, loaded.Categories);
        Assert.Equal(model.Summary.FinalBatchLoss, loaded.Summary.FinalBatchLoss);
        Assert.Equal("synthetic", loaded.TokenExtractorName);
        Assert.NotNull(loaded.TrainingOptions);
        Assert.Equal(model.TrainingOptions!.Seed, loaded.TrainingOptions!.Seed);
        Assert.Equal(model.TrainingOptions.Architecture, loaded.TrainingOptions.Architecture);
        Assert.Equal(model.TrainingOptions.LearningRate, loaded.TrainingOptions.LearningRate);
        var expected = TrainingFixtures.Weights(model);
        Assert.All(TrainingFixtures.Weights(loaded), kv => Assert.Equal(expected[kv.Key], kv.Value));
        using var scope = NewDisposeScope();
        Tensor sketches = torch.rand(3, 3, 64, 64);
        Assert.True(model.Network.EncodeSketch(sketches).eq(loaded.Network.EncodeSketch(sketches)).all().item<bool>());
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void DamagedOrForeignFiles_AreRejectedClearly()
    {
        using var model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());
        string path = Path.Combine(_dir, "m.dshm");
        model.Save(path);
        byte[] good = File.ReadAllBytes(path);

        foreach (int at in new[] { 0, 5, 20, good.Length / 3, good.Length / 2, good.Length - 3 })
        {
            byte[] bad = (byte[])good.Clone();
            bad[at] ^= 0x10;
            File.WriteAllBytes(path, bad);
            Assert.Throws<InvalidDataException>(() => DshModel.Load(path));
        }
        foreach (int length in new[] { 0, 10, 100, good.Length / 2, good.Length - 1 })
        {
            File.WriteAllBytes(path, good[..length]);
            Assert.Throws<InvalidDataException>(() => DshModel.Load(path));
        }
        File.WriteAllText(path, "not a model at all, just some text that is long enough");
        Assert.Contains("not a Dsh model file", Assert.Throws<InvalidDataException>(() => DshModel.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => DshModel.Load(Path.Combine(_dir, "missing.dshm")));
    }

    [Fact]
    public void CheckpointFile_IsNotAModel()
    {
        string checkpoints = Path.Combine(_dir, "ckpt");
        using (TrainingFixtures.Fit(TrainingFixtures.Options(checkpoints, epochs: 1), TrainingFixtures.Data()))
        {
        }
        var e = Assert.Throws<InvalidDataException>(() => DshModel.Load(TrainingCheckpoint.List(checkpoints)[0]));
        Assert.Contains("checkpoint, not a model file", e.Message);
    }
}
