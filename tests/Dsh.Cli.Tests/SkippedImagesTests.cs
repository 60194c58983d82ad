using System.Text.Json;
using Dsh.Cli.Tests.Support;
using Dsh.Hashing;
using Dsh.Tests.Shared;

namespace Dsh.Cli.Tests;

/// <summary>A tiny model trained once for <see cref="SkippedImagesTests"/>.</summary>
public sealed class TinyModel : IDisposable
{
    public TinyModel()
    {
        Data = Repo.SmallSubset(Folder);
        Path = Folder.Combine("tiny.dshm");
        DshRun.Run("train", "--sketches", System.IO.Path.Combine(Data, "train", "sketch"), "--photos", System.IO.Path.Combine(Data, "train", "photo"),
            "--bits", "16", "--profile", "compact", "--epochs", "1", "--out", Path).AssertSuccess();
    }

    public TempFolder Folder { get; } = new();

    public string Data { get; }

    public string Path { get; }

    public void Dispose() => Folder.Dispose();
}

/// <summary>
/// Unreadable, corrupt and over-limit images are skipped and reported (stderr and the JSON's "skipped") by encode,
/// index build, train and eval, or stop them with --strict; outputs that cannot be written stop a command before any work.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SkippedImagesTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The 9 test photos plus a garbage file and a PNG claiming 30000² pixels, in dog/.</summary>
    private string PhotosWithBadOnes()
    {
        string root = _temp.Folder("photos");
        foreach (string file in Directory.GetFiles(Path.Combine(model.Data, "test", "photo"), "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(root, Path.GetRelativePath(Path.Combine(model.Data, "test", "photo"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.WriteAllBytes(Path.Combine(root, "dog", "garbage.jpg"), "not a photo"u8.ToArray());
        File.WriteAllBytes(Path.Combine(root, "dog", "bomb.png"), HostileImages.PngClaiming(30_000, 30_000));
        return root;
    }

    private static string[] SkippedNames(JsonElement json) =>
        json.GetProperty("skipped").EnumerateArray().Select(s => Path.GetFileName(s.GetProperty("path").GetString()!)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Index_build_skips_and_lists_bad_photos_and_strict_stops_at_the_first()
    {
        string photos = PhotosWithBadOnes();
        string gallery = _temp.Combine("g.dshi");
        CliResult build = DshRun.Run("index", "build", "--model", model.Path, "--photos", photos, "--out", gallery, "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(build.Out))
        {
            Assert.Equal(9, json.RootElement.GetProperty("count").GetInt32());
            Assert.Equal(["bomb.png", "garbage.jpg"], SkippedNames(json.RootElement));
            Assert.Contains(json.RootElement.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("reason").GetString()!.Contains("MaxPixels", StringComparison.Ordinal));
        }
        Assert.Contains(build.ErrLines, l => l.StartsWith("skipped '", StringComparison.Ordinal) && l.Contains("bomb.png", StringComparison.Ordinal));
        Assert.Equal(9, Gallery.Load(gallery).Count);

        string strictGallery = _temp.Combine("strict.dshi");
        DshRun.Run("index", "build", "--model", model.Path, "--photos", photos, "--out", strictGallery, "--strict").AssertOneError(ExitCodes.BadInput);
        Assert.False(File.Exists(strictGallery));
    }

    [Fact]
    public void Encode_skips_bad_images_in_its_csv_and_json_report()
    {
        string photos = PhotosWithBadOnes();
        string csv = _temp.Combine("codes.csv");
        CliResult encode = DshRun.Run("encode", "--model", model.Path, "--domain", "photo", "--input", photos, "--out", csv, "--json").AssertSuccess();
        Assert.Equal(10, File.ReadAllLines(csv).Length); // header + 9
        using JsonDocument json = JsonDocument.Parse(encode.Out);
        Assert.Equal(9, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(["bomb.png", "garbage.jpg"], SkippedNames(json.RootElement));
    }

    [Fact]
    public void Eval_and_train_skip_a_file_whose_header_is_valid_but_body_is_not()
    {
        string data = Repo.SmallSubset(_temp);
        string sketch = Directory.GetFiles(Path.Combine(data, "test", "sketch", "dog"))[0];
        byte[] png = File.ReadAllBytes(sketch);
        File.WriteAllBytes(sketch, png[..(png.Length / 2)]);

        CliResult eval = DshRun.Run("eval", "--model", model.Path, "--sketches", Path.Combine(data, "test", "sketch"), "--photos", Path.Combine(data, "test", "photo"),
            "--no-report", "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(eval.Out))
        {
            Assert.Equal(8, json.RootElement.GetProperty("queries").GetInt32());
            Assert.Equal([Path.GetFileName(sketch)], SkippedNames(json.RootElement));
        }
        DshRun.Run("eval", "--model", model.Path, "--sketches", Path.Combine(data, "test", "sketch"), "--photos", Path.Combine(data, "test", "photo"),
            "--no-report", "--strict").AssertOneError(ExitCodes.BadInput);

        string trainSketch = Directory.GetFiles(Path.Combine(data, "train", "sketch", "house"))[0];
        File.WriteAllBytes(trainSketch, File.ReadAllBytes(trainSketch)[..200]);
        CliResult train = DshRun.Run("train", "--sketches", Path.Combine(data, "train", "sketch"), "--photos", Path.Combine(data, "train", "photo"),
            "--bits", "16", "--profile", "compact", "--epochs", "1", "--out", _temp.Combine("m.dshm"), "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(train.Out))
        {
            Assert.Equal(11, json.RootElement.GetProperty("sketches").GetInt32());
            Assert.Equal([Path.GetFileName(trainSketch)], SkippedNames(json.RootElement));
        }
    }

    [Fact]
    public void Outputs_that_cannot_be_written_stop_the_command_before_any_work()
    {
        string notAFolder = _temp.File("plain.txt", "x"u8.ToArray());
        string data = model.Data;
        CliResult train = DshRun.Run("train", "--sketches", Path.Combine(data, "train", "sketch"), "--photos", Path.Combine(data, "train", "photo"),
            "--profile", "compact", "--out", Path.Combine(notAFolder, "m.dshm")).AssertOneError(ExitCodes.Failure, "--out");
        Assert.DoesNotContain("data:", train.Out, StringComparison.Ordinal); // the dataset was not even loaded
        CliResult eval = DshRun.Run("eval", "--model", model.Path, "--sketches", Path.Combine(data, "test", "sketch"), "--photos", Path.Combine(data, "test", "photo"),
            "--report", Path.Combine(notAFolder, "report")).AssertOneError(ExitCodes.Failure, "--report");
        Assert.DoesNotContain("encode", eval.Out, StringComparison.Ordinal);
        DshRun.Run("index", "build", "--model", model.Path, "--photos", Path.Combine(data, "test", "photo"), "--out", Path.Combine(notAFolder, "g.dshi"))
            .AssertOneError(ExitCodes.Failure, "cannot write");
        DshRun.Run("index", "build", "--model", model.Path, "--photos", Path.Combine(data, "test", "photo"), "--out", _temp.Folder("a-folder"))
            .AssertOneError(ExitCodes.Usage, "is a folder");
    }
}

/// <summary>Two <c>dsh index add</c> at once on one gallery: both sets of photos end up in it (the gallery's lock file).</summary>
[Trait("Category", "Slow")]
public sealed class ConcurrentIndexAddTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Concurrent_adds_lose_no_update()
    {
        string photos = Path.Combine(model.Data, "test", "photo");
        string gallery = _temp.Combine("g.dshi");
        DshRun.Run("index", "build", "--model", model.Path, "--photos", Path.Combine(photos, "dog"), "--out", gallery).AssertSuccess();
        CliResult[] results = new CliResult[2];
        Parallel.For(0, 2, i => results[i] = DshRun.Run("index", "add", "--index", gallery, "--model", model.Path,
            "--photos", Path.Combine(photos, i == 0 ? "guitar" : "house"), "--json"));
        Assert.All(results, r => r.AssertSuccess());
        Gallery saved = Gallery.Load(gallery);
        Assert.Equal(9, saved.Count);
        string[] keys = saved.GetItems().Select(i => i.Value.Key).ToArray();
        Assert.Equal(9, keys.Distinct().Count());
        Assert.Equal(3, keys.Count(k => k.Contains("/guitar/", StringComparison.Ordinal)));
        Assert.Equal(3, keys.Count(k => k.Contains("/house/", StringComparison.Ordinal)));
        Assert.All(results, r => Assert.Equal(3, JsonDocument.Parse(r.Out).RootElement.GetProperty("added").GetInt32()));
    }
}
