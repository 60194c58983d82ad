using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary><c>--mirror-sketches</c>: the commands encode sketches as <see cref="DshModel.MirrorSketches"/> does, and refuse it for photos.</summary>
public sealed class MirrorSketchesOptionTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Encode_writes_the_codes_the_library_makes_with_mirroring()
    {
        string sketches = Path.Combine(model.Data, "test", "sketch");
        // ImageNet trunks with untrained heads: codes that vary from sketch to sketch (the briefly trained fixture gives
        // every sketch one code, mirrored or not).
        string modelPath = _temp.Combine("imagenet.dshm");
        var network = new DshNetwork(DshArchitecture.ResNet18(64));
        network.LoadPretrainedWeights();
        using (var untrained = new DshModel(network, ["dog", "guitar", "house"], new Dsh.Training.TrainingSummary(), new Dsh.Imaging.Contours.ContourTokenExtractor().Name))
        {
            untrained.Save(modelPath);
        }
        string csv = _temp.Combine("mirrored.csv");
        DshRun.Run("encode", "--model", modelPath, "--domain", "sketch", "--input", sketches, "--out", csv, "--mirror-sketches").AssertSuccess();
        string[] rows = File.ReadAllLines(csv).Skip(1).ToArray();

        using DshModel dsh = DshModel.Load(modelPath);
        string[] paths = [.. rows.Select(r => Path.Combine(sketches, r.Split(',')[1]))];
        string[] plain = [.. paths.Select(p => dsh.EncodeSketch(p).ToString())];
        dsh.MirrorSketches = true;
        Assert.Equal(paths.Select(p => dsh.EncodeSketch(p).ToString()), rows.Select(r => r.Split(',')[^1]));
        Assert.NotEqual(plain, rows.Select(r => r.Split(',')[^1])); // mirroring changes some code, so the test tells the two apart
    }

    [Fact]
    public void Photos_are_never_mirrored()
    {
        DshRun.Run("encode", "--model", model.Path, "--domain", "photo", "--input", Path.Combine(model.Data, "test", "photo"),
            "--out", _temp.Combine("p.csv"), "--mirror-sketches").AssertOneError(ExitCodes.Usage, "--mirror-sketches applies to sketches");
    }
}
