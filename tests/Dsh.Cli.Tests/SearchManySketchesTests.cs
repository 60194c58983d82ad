using Dsh.Hashing;
using System.Text.Json;
using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>
/// <c>dsh search</c> over several sketches in one process: repeated <c>--sketch</c> and folders, one JSON line per sketch,
/// each the same as searching that sketch alone; a bad file among many is skipped and said, as encode and index do.
/// </summary>
public sealed class SearchManySketchesTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Folders_and_repeated_sketches_give_one_json_line_each_equal_to_single_searches()
    {
        string gallery = _temp.Combine("g.dshi");
        DshRun.Run("index", "build", "--model", model.Path, "--photos", Path.Combine(model.Data, "test", "photo"), "--out", gallery).AssertSuccess();
        string sketches = Path.Combine(model.Data, "test", "sketch");
        string[] files = Directory.GetFiles(sketches, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        string folder = _temp.Folder("queries");
        File.Copy(files[0], Path.Combine(folder, "a" + Path.GetExtension(files[0])));
        File.WriteAllText(Path.Combine(folder, "b.png"), "not an image");

        CliResult many = DshRun.Run("search", "--model", model.Path, "--index", gallery, "--sketch", sketches, "--sketch", folder, "-k", "3", "--json").AssertSuccess();
        string[] lines = many.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files.Length + 1, lines.Length);
        Assert.Contains(many.ErrLines, l => l.StartsWith("skipped '", StringComparison.Ordinal) && l.Contains("b.png", StringComparison.Ordinal));
        for (int i = 0; i < files.Length; i += Math.Max(1, files.Length / 3))
        {
            string alone = DshRun.Run("search", "--model", model.Path, "--index", gallery, "--sketch", files[i], "-k", "3", "--json").AssertSuccess().Out;
            Assert.Equal(Ranking(alone), Ranking(lines[i]));
            using JsonDocument line = JsonDocument.Parse(lines[i]);
            Assert.Equal(files[i], line.RootElement.GetProperty("sketch").GetString());
        }
    }

    [Fact]
    public void A_single_unreadable_sketch_is_bad_input()
    {
        string gallery = _temp.Combine("g.dshi");
        DshRun.Run("index", "build", "--model", model.Path, "--photos", Path.Combine(model.Data, "test", "photo"), "--out", gallery).AssertSuccess();
        string bad = _temp.File("bad.png", "not an image"u8.ToArray());
        DshRun.Run("search", "--model", model.Path, "--index", gallery, "--sketch", bad).AssertOneError(ExitCodes.BadInput, "bad.png");
    }

    [Fact]
    public void A_photo_without_a_category_is_listed_without_one()
    {
        // A gallery from an older version whose catalog has an item with a null category (16-bit codes, as the model's).
        string gallery = _temp.Combine("nulls.dshi");
        var index = new HammingIndex(16);
        index.Add(1, BinaryCode.FromHex("00ff", 16));
        index.Add(2, BinaryCode.FromHex("0f0f", 16));
        LegacyIndex.Write(gallery, index, model.Path, [(1L, _temp.Combine("a.jpg"), "dog"), (2L, _temp.Combine("b.jpg"), null)]);
        string sketch = Directory.GetFiles(Path.Combine(model.Data, "test", "sketch"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

        CliResult json = DshRun.Run("search", "--model", model.Path, "--index", gallery, "--sketch", sketch, "-k", "2", "--json").AssertSuccess();
        using JsonDocument document = JsonDocument.Parse(json.Out);
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64());
        Assert.Equal(2, results.Count);
        Assert.Equal("dog", results[1].GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, results[2].GetProperty("category").ValueKind);

        CliResult text = DshRun.Run("search", "--model", model.Path, "--index", gallery, "--sketch", sketch, "-k", "2").AssertSuccess();
        Assert.Contains("b.jpg", text.Out, StringComparison.Ordinal);
        Assert.Contains("dog", text.Out, StringComparison.Ordinal);
    }

    private static string Ranking(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return string.Join(";", document.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => $"{r.GetProperty("id").GetInt64()}:{r.GetProperty("distance").GetInt32()}"));
    }
}
