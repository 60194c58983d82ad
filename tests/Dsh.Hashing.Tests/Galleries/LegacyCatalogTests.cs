using System.Text.Json.Nodes;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Galleries;

/// <summary>The pair older dsh versions wrote: a version 1 index <c>INDEX</c> and <c>INDEX.catalog.json</c>.</summary>
public sealed class LegacyCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-legacy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_ReadsThePair_AndSaysWhereFrom()
    {
        string path = WritePair(out BinaryCode[] codes);
        Gallery gallery = Gallery.Load(path);

        Assert.Equal(path + ".catalog.json", gallery.LegacyCatalog);
        Assert.Equal(Gallery.LegacyCatalogPath(path), gallery.LegacyCatalog);
        Assert.Equal(3, gallery.Count);
        Assert.Equal(new GalleryProperties { Model = "/models/m.dshm", Domain = "photo" }, gallery.Properties);
        Assert.Null(gallery.Properties.Root);
        Assert.Equal(8, gallery.NextId); // one above the largest id
        Assert.Equal(0, gallery.Generation);
        Assert.False(gallery.HasUnsavedChanges);
        Assert.True(gallery.TryGetItem(7, out GalleryItem? item));
        Assert.Equal(new GalleryItem("/photos/dog/2.jpg", "dog"), item);
        Assert.True(gallery.TryGetItem(0, out item));
        Assert.Null(item.Category); // "" meant none
        Assert.True(gallery.TryFindKey("/photos/cat/1.jpg", out long id));
        Assert.Equal(3, id);
        Assert.True(gallery.TryGetCode(3, out BinaryCode? code));
        Assert.Equal(codes[1], code);
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 1, ["dog"] = 1 }, gallery.GetCategoryCounts());
    }

    [Fact]
    public void Save_WritesOneGalleryFile_ThenTheCatalogCanGo()
    {
        string path = WritePair(out _);
        Gallery gallery = Gallery.Load(path);
        Assert.Contains("save it as a gallery first", Assert.Throws<InvalidOperationException>(() => Gallery.DeleteLegacyCatalog(path)).Message);

        gallery.Save(path);
        Assert.Null(gallery.LegacyCatalog);
        Assert.True(File.Exists(path + ".catalog.json"));
        Gallery again = Gallery.Load(path); // the version 2 file; the catalog is not read any more
        Assert.Null(again.LegacyCatalog);
        Assert.Equal(gallery.GetItems(), again.GetItems());
        Assert.Equal(1, again.Generation);

        Assert.True(Gallery.DeleteLegacyCatalog(path));
        Assert.False(File.Exists(path + ".catalog.json"));
        Assert.False(Gallery.DeleteLegacyCatalog(path));
        Assert.Equal(3, Gallery.Load(path).Count);
    }

    [Fact]
    public void Update_OfAPair_SavesAGalleryWhenItChanges()
    {
        string path = WritePair(out _);
        byte[] before = File.ReadAllBytes(path);
        Gallery.Update(path, g => g.Count); // no change: nothing written
        Assert.Equal(before, File.ReadAllBytes(path));

        long id = Gallery.Update(path, g => g.Add(CodeGenerator.Uniform(5, 1, 64)[0], new GalleryItem("/photos/new.jpg", "new")));
        Assert.Equal(8, id);
        Gallery gallery = Gallery.Load(path);
        Assert.Null(gallery.LegacyCatalog);
        Assert.Equal(4, gallery.Count);
        Assert.Equal("/models/m.dshm", gallery.Properties.Model);
    }

    [Fact]
    public void Load_WithoutCatalog_IsRefused()
    {
        string path = WritePair(out _);
        File.Delete(path + ".catalog.json");
        var e = Assert.Throws<InvalidDataException>(() => Gallery.Load(path));
        Assert.Contains("without its catalog", e.Message);
        Assert.Contains(".catalog.json' is missing", e.Message);
    }

    [Theory]
    [InlineData("bits", "65", "do not match: the catalog lists 3 items of 65 bits")]
    [InlineData("format", "\"something-else\"", "is not a dsh index catalog")]
    [InlineData("version", "2", "has version 2")]
    [InlineData("items", "{}", "has no \"items\" list")]
    [InlineData("model", "5", "\"model\" is not a string")]
    public void Load_CatalogThatDoesNotFit_SaysWhat(string field, string json, string expected)
    {
        string path = WritePair(out _);
        JsonNode catalog = JsonNode.Parse(File.ReadAllText(path + ".catalog.json"))!;
        catalog[field] = JsonNode.Parse(json);
        File.WriteAllText(path + ".catalog.json", catalog.ToJsonString());
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Gallery.Load(path)).Message);
    }

    [Theory]
    [InlineData(1, "id", "99", "items[1] has id 99, which the index does not hold")]
    [InlineData(1, "id", "0", "lists id 0 twice")]
    [InlineData(1, "path", "\"/photos/unsorted.jpg\"", "belongs to two ids")]
    [InlineData(1, "path", "\"\"", "is empty")]
    [InlineData(1, "path", "\"a\\u0000b\"", "control character")]
    [InlineData(1, "category", "\"x\\ny\"", "control character")]
    [InlineData(2, "path", "null", "items[2] has no \"path\"")]
    public void Load_CatalogItemThatDoesNotFit_SaysWhat(int index, string field, string json, string expected)
    {
        string path = WritePair(out _);
        JsonNode catalog = JsonNode.Parse(File.ReadAllText(path + ".catalog.json"))!;
        catalog["items"]![index]![field] = JsonNode.Parse(json);
        File.WriteAllText(path + ".catalog.json", catalog.ToJsonString());
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Gallery.Load(path)).Message);
    }

    [Fact]
    public void Load_CatalogWithAnItemMissing_DoesNotMatch()
    {
        string path = WritePair(out _);
        JsonNode catalog = JsonNode.Parse(File.ReadAllText(path + ".catalog.json"))!;
        catalog["items"]!.AsArray().RemoveAt(2);
        File.WriteAllText(path + ".catalog.json", catalog.ToJsonString());
        Assert.Contains("do not match", Assert.Throws<InvalidDataException>(() => Gallery.Load(path)).Message);
        File.WriteAllText(path + ".catalog.json", "{ not json");
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => Gallery.Load(path)).Message);
    }

    /// <summary>What dsh index build wrote: ids 0, 3, 7 (listed out of order) and their catalog, camelCase.</summary>
    private string WritePair(out BinaryCode[] codes)
    {
        codes = CodeGenerator.Uniform(3, 3, 64);
        var index = new HammingIndex(64);
        index.AddRange([0L, 3, 7], BinaryCodeSet.FromCodes(codes, 64));
        string path = Path.Combine(_folder, "photos.dshi");
        index.Save(path);
        File.WriteAllText(path + ".catalog.json", """
            {
              "format": "dsh-index-catalog",
              "version": 1,
              "bits": 64,
              "model": "/models/m.dshm",
              "domain": "photo",
              "items": [
                { "id": 0, "path": "/photos/unsorted.jpg", "category": "" },
                { "id": 7, "path": "/photos/dog/2.jpg", "category": "dog" },
                { "id": 3, "path": "/photos/cat/1.jpg", "category": "cat" }
              ]
            }
            """);
        return path;
    }
}
