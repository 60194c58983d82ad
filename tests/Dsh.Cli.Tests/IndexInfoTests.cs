using System.Text.Json;
using Dsh.Cli.Files;
using Dsh.Cli.Tests.Support;
using Dsh.Hashing;

namespace Dsh.Cli.Tests;

/// <summary><c>dsh index info</c> on an index written here (no model needed).</summary>
public sealed class IndexInfoTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteIndex()
    {
        string path = _temp.Combine("photos.dshi");
        var index = new HammingIndex(16);
        var random = new Random(3);
        var items = new List<CatalogItem>();
        string[] categories = ["dog", "dog", "dog", "house", "house"];
        for (int i = 0; i < categories.Length; i++)
        {
            index.Add(10 + i, BinaryCode.FromHex(random.Next(0, 1 << 16).ToString("x4", System.Globalization.CultureInfo.InvariantCulture), 16));
            items.Add(new CatalogItem(10 + i, $"/photos/{categories[i]}/{i}.jpg", categories[i]));
        }
        index.Save(path);
        new IndexCatalog { Bits = 16, Model = "/models/m.dshm", Items = items }.Save(path);
        return path;
    }

    [Fact]
    public void JsonHasTheCountsPerCategory()
    {
        string path = WriteIndex();
        CliResult result = DshRun.Run("index", "info", "--index", path, "--json").AssertSuccess().AssertNoAnsi();
        using JsonDocument json = JsonDocument.Parse(result.Out);
        JsonElement root = json.RootElement;
        Assert.Equal(16, root.GetProperty("bits").GetInt32());
        Assert.Equal(5, root.GetProperty("count").GetInt32());
        Assert.Equal(3, root.GetProperty("categories").GetProperty("dog").GetInt32());
        Assert.Equal(2, root.GetProperty("categories").GetProperty("house").GetInt32());
        Assert.Equal("/models/m.dshm", root.GetProperty("model").GetString());
        Assert.Equal(new FileInfo(path).Length, root.GetProperty("fileBytes").GetInt64());
    }

    [Fact]
    public void TextNamesSizeAndCategories()
    {
        CliResult result = DshRun.Run("index", "info", "--index", WriteIndex()).AssertSuccess().AssertNoAnsi();
        Assert.Contains("5 x 16 bits", result.Out, StringComparison.Ordinal);
        Assert.Contains("dog 3", result.Out, StringComparison.Ordinal);
        Assert.Contains("house 2", result.Out, StringComparison.Ordinal);
    }
}
