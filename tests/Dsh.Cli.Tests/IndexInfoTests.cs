using System.Text.Json;
using Dsh.Cli.Tests.Support;
using Dsh.Hashing;

namespace Dsh.Cli.Tests;

/// <summary><c>dsh index info</c> and <c>dsh index upgrade</c> on galleries written here (no model needed).</summary>
public sealed class IndexInfoTests : IDisposable
{
    private static readonly string[] Categories = ["dog", "dog", "dog", "house", "house"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static BinaryCode Code(Random random) =>
        BinaryCode.FromHex(random.Next(0, 1 << 16).ToString("x4", System.Globalization.CultureInfo.InvariantCulture), 16);

    private string WriteGallery()
    {
        string path = _temp.Combine("photos.dshi");
        var gallery = new Gallery(16, new GalleryProperties { Model = "m.dshm (xxh3 0123456789abcdef)", Domain = "photo", Root = _temp.Path });
        var random = new Random(3);
        for (int i = 0; i < Categories.Length; i++)
        {
            gallery.Add(10 + i, Code(random), new GalleryItem($"{Categories[i]}/{i}.jpg", Categories[i]));
        }
        gallery.Save(path);
        return path;
    }

    private string WriteLegacy()
    {
        string path = _temp.Combine("old.dshi");
        var index = new HammingIndex(16);
        var random = new Random(3);
        for (int i = 0; i < Categories.Length; i++)
        {
            index.Add(10 + i, Code(random));
        }
        LegacyIndex.Write(path, index, "/models/m.dshm",
            Categories.Select((c, i) => (10L + i, Path.Combine(_temp.Path, "photos", c, $"{i}.jpg"), (string?)c)));
        return path;
    }

    [Fact]
    public void JsonHasTheCountsPerCategory()
    {
        string path = WriteGallery();
        CliResult result = DshRun.Run("index", "info", "--index", path, "--json").AssertSuccess().AssertNoAnsi();
        using JsonDocument json = JsonDocument.Parse(result.Out);
        JsonElement root = json.RootElement;
        Assert.Equal(16, root.GetProperty("bits").GetInt32());
        Assert.Equal(5, root.GetProperty("count").GetInt32());
        Assert.Equal(3, root.GetProperty("categories").GetProperty("dog").GetInt32());
        Assert.Equal(2, root.GetProperty("categories").GetProperty("house").GetInt32());
        Assert.Equal("m.dshm (xxh3 0123456789abcdef)", root.GetProperty("model").GetString());
        Assert.Equal("gallery", root.GetProperty("format").GetString());
        Assert.Equal(_temp.Path, root.GetProperty("root").GetString());
        Assert.Equal(new FileInfo(path).Length, root.GetProperty("fileBytes").GetInt64());
        Assert.Equal("", result.Err);
    }

    [Fact]
    public void TextNamesSizeAndCategories()
    {
        CliResult result = DshRun.Run("index", "info", "--index", WriteGallery()).AssertSuccess().AssertNoAnsi();
        Assert.Contains("5 x 16 bits", result.Out, StringComparison.Ordinal);
        Assert.Contains("dog 3", result.Out, StringComparison.Ordinal);
        Assert.Contains("house 2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalog_item_with_a_null_category_is_counted_without_one()
    {
        string path = _temp.Combine("nulls.dshi");
        var index = new HammingIndex(16);
        var random = new Random(5);
        index.Add(1, Code(random));
        index.Add(2, Code(random));
        LegacyIndex.Write(path, index, "/models/m.dshm", [(1L, Path.Combine(_temp.Path, "a.jpg"), "dog"), (2L, Path.Combine(_temp.Path, "b.jpg"), null)]);
        CliResult info = DshRun.Run("index", "info", "--index", path, "--json").AssertSuccess();
        using JsonDocument json = JsonDocument.Parse(info.Out);
        Assert.Equal(2, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("categories").GetProperty("dog").GetInt32());
        Assert.Single(json.RootElement.GetProperty("categories").EnumerateObject());
        Assert.Equal(1, json.RootElement.GetProperty("uncategorised").GetInt32());
        Assert.Contains("none: 1", DshRun.Run("index", "info", "--index", path).AssertSuccess().Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_index_is_named_in_the_error()
    {
        string path = _temp.Combine("holiday.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
        CliResult result = DshRun.Run("index", "info", "--index", path);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(path, result.Err, StringComparison.Ordinal);
        Assert.Contains("Not a Dsh index", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_older_pair_still_loads_with_a_one_line_hint_and_upgrade_makes_one_file_of_relative_paths()
    {
        string path = WriteLegacy();
        CliResult info = DshRun.Run("index", "info", "--index", path, "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(info.Out))
        {
            Assert.Equal(5, json.RootElement.GetProperty("count").GetInt32());
            Assert.Equal("legacy index + catalog", json.RootElement.GetProperty("format").GetString());
        }
        Assert.Contains("dsh index upgrade", Assert.Single(info.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        CliResult upgrade = DshRun.Run("index", "upgrade", "--index", path, "--json").AssertSuccess();
        Assert.False(File.Exists(path + ".catalog.json"));
        Gallery gallery = Gallery.Load(path);
        Assert.Null(gallery.LegacyCatalog);
        Assert.Equal(Path.Combine(_temp.Path, "photos"), gallery.Properties.Root);
        Assert.Equal(["dog/0.jpg", "dog/1.jpg", "dog/2.jpg", "house/3.jpg", "house/4.jpg"], gallery.GetItems().Select(i => i.Value.Key));
        Assert.Equal([10L, 11, 12, 13, 14], gallery.GetItems().Select(i => i.Key));
        var original = new Random(3);
        foreach (var (id, _) in gallery.GetItems())
        {
            Assert.True(gallery.TryGetCode(id, out BinaryCode? code));
            Assert.Equal(Code(original), code);
        }
        using JsonDocument report = JsonDocument.Parse(upgrade.Out);
        Assert.Equal(5, report.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("", DshRun.Run("index", "info", "--index", path).AssertSuccess().Err);
    }
}
