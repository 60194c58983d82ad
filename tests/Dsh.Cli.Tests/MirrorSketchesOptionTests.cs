using System.Text.Json;
using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>
/// <c>--mirror-sketches [true|false]</c>: the commands encode sketches as <see cref="DshModel.MirrorSketches"/> does, as
/// the model says when the option is absent, and refuse it for photos.
/// </summary>
public sealed class MirrorSketchesOptionTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A model of ImageNet trunks with untrained heads: codes that vary from sketch to sketch (the briefly trained
    /// fixture gives every sketch one code, mirrored or not); its sketches mirrored by default or not.
    /// </summary>
    private string ImageNetModel(bool mirrorsSketches = false)
    {
        string path = _temp.Combine($"imagenet-{mirrorsSketches}.dshm");
        var network = new DshNetwork(DshArchitecture.ResNet18(64) with { MirrorSketches = mirrorsSketches });
        network.LoadPretrainedWeights();
        using var untrained = new DshModel(network, ["dog", "guitar", "house"], new Dsh.Training.TrainingSummary(), new Dsh.Imaging.Contours.ContourTokenExtractor().Name);
        untrained.Save(path);
        return path;
    }

    [Fact]
    public void Encode_writes_the_codes_the_library_makes_with_mirroring()
    {
        string sketches = Path.Combine(model.Data, "test", "sketch");
        string modelPath = ImageNetModel();
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
    public void Without_the_option_sketches_are_mirrored_as_the_model_says_and_false_turns_that_off()
    {
        string sketches = Path.Combine(model.Data, "test", "sketch");
        string modelPath = ImageNetModel(mirrorsSketches: true);
        string byDefault = _temp.Combine("default.csv"), once = _temp.Combine("once.csv");
        DshRun.Run("encode", "--model", modelPath, "--domain", "sketch", "--input", sketches, "--out", byDefault).AssertSuccess();
        DshRun.Run("encode", "--model", modelPath, "--domain", "sketch", "--input", sketches, "--out", once, "--mirror-sketches", "false").AssertSuccess();
        string[] Codes(string csv) => [.. File.ReadAllLines(csv).Skip(1).Select(r => r.Split(',')[^1])];
        string[] paths = [.. File.ReadAllLines(byDefault).Skip(1).Select(r => Path.Combine(sketches, r.Split(',')[1]))];

        using DshModel dsh = DshModel.Load(modelPath);
        Assert.True(dsh.MirrorSketches);
        Assert.Equal(paths.Select(p => dsh.EncodeSketch(p).ToString()), Codes(byDefault));
        dsh.MirrorSketches = false;
        Assert.Equal(paths.Select(p => dsh.EncodeSketch(p).ToString()), Codes(once));
        Assert.NotEqual(Codes(byDefault), Codes(once));
    }

    [Fact]
    public void Search_and_eval_say_in_their_json_that_sketches_were_mirrored()
    {
        string modelPath = ImageNetModel();
        string photos = Path.Combine(model.Data, "test", "photo"), sketches = Path.Combine(model.Data, "test", "sketch");
        string gallery = _temp.Combine("g.dshi");
        DshRun.Run("index", "build", "--model", modelPath, "--photos", photos, "--out", gallery).AssertSuccess();
        string sketch = Directory.GetFiles(sketches, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        using DshModel dsh = DshModel.Load(modelPath);
        dsh.MirrorSketches = true;

        foreach (bool mirror in new[] { false, true })
        {
            string[] flag = mirror ? ["--mirror-sketches"] : [];
            using JsonDocument search = JsonDocument.Parse(DshRun.Run(["search", "--model", modelPath, "--index", gallery, "--sketch", sketch, "--json", .. flag]).AssertSuccess().Out);
            Assert.Equal(mirror, search.RootElement.GetProperty("mirrorSketches").GetBoolean());
            if (mirror)
            {
                Assert.Equal(dsh.EncodeSketch(sketch).ToString(), search.RootElement.GetProperty("code").GetString());
            }
            using JsonDocument eval = JsonDocument.Parse(DshRun.Run(["eval", "--model", modelPath, "--sketches", sketches, "--photos", photos, "--no-report", "--json", .. flag]).AssertSuccess().Out);
            Assert.Equal(mirror, eval.RootElement.GetProperty("mirrorSketches").GetBoolean());
        }
    }

    [Fact]
    public void Photos_are_never_mirrored()
    {
        DshRun.Run("encode", "--model", model.Path, "--domain", "photo", "--input", Path.Combine(model.Data, "test", "photo"),
            "--out", _temp.Combine("p.csv"), "--mirror-sketches").AssertOneError(ExitCodes.Usage, "--mirror-sketches applies to sketches");
    }
}
