using Dsh.Data;

namespace Dsh.Tests.Data;

public sealed class ManifestLoaderTests : IDisposable
{
    private readonly ImageTree _tree = new();

    public ManifestLoaderTests()
    {
        _tree.Png("data/s/cat/n01-1.png");
        _tree.Png("data/s/cat/n01-2.png");
        _tree.Png("data/s/cat/x, y.png");
        _tree.Png("data/s/dog/d.png");
        _tree.Jpeg("data/p/cat/n01.jpg");
        _tree.Jpeg("data/p/dog/d.jpg");
    }

    public void Dispose() => _tree.Dispose();

    private string Write(string name, string text) => _tree.Text(name, text);

    [Fact]
    public void Csv_AnyColumnOrder_QuotedFields_SplitsGroups_PathsRelativeToTheManifest()
    {
        string manifest = Write("data/m.csv",
            "\uFEFFpath,Domain,category,split,group\r\n" +
            "s/cat/n01-1.png,sketch,cat,,\r\n" +
            "s/cat/n01-2.png,sketch,cat,query,\r\n" +
            "\"s/cat/x, y.png\",sketch,cat,Train,\"my \"\"group\"\"\"\r\n" +
            "\r\n" +
            "s/dog/d.png,SKETCH,dog\r\n" +
            "p/cat/n01.jpg,photo,cat,gallery,\n" +
            "p/dog/d.jpg,photo,dog,,");

        SbirDataset data = SbirDataset.FromManifest(manifest);

        Assert.Equal(["cat", "dog"], data.Categories);
        Assert.Equal(
            [
                (_tree["data/s/cat/n01-1.png"], 0, SbirSplit.Train, "cat/n01"),
                (_tree["data/s/cat/n01-2.png"], 0, SbirSplit.Query, "cat/n01"),
                (_tree["data/s/cat/x, y.png"], 0, SbirSplit.Train, "my \"group\""),
                (_tree["data/s/dog/d.png"], 1, SbirSplit.Train, null),
            ],
            data.Sketches.Select(s => (s.Path, s.Label, s.Split, s.Group)));
        Assert.Equal([("cat/n01", SbirSplit.Gallery), (null, SbirSplit.Gallery)], data.Photos.Select(p => (p.Group, p.Split)));
        Assert.Single(data.QuerySketches);
        Assert.True(data.Report.IsClean);
    }

    [Fact]
    public void Json_SameContent_SameDataset()
    {
        string csv = Write("data/m.csv",
            "domain,category,path,split\nsketch,cat,s/cat/n01-1.png,query\nsketch,cat,s/cat/n01-2.png,\nphoto,cat,p/cat/n01.jpg,\n");
        string json = Write("data/m.json", """
            [
              { "domain": "sketch", "category": "cat", "path": "s/cat/n01-1.png", "split": "query" },
              { "Domain": "sketch", "Category": "cat", "Path": "s/cat/n01-2.png", "split": null },
              // comments and trailing commas are accepted
              { "domain": "photo", "category": "cat", "path": "p/cat/n01.jpg", },
            ]
            """);

        SbirDataset a = SbirDataset.FromManifest(csv), b = SbirDataset.FromManifest(json);

        Assert.Equal(a.Categories, b.Categories);
        Assert.Equal(a.Sketches, b.Sketches);
        Assert.Equal(a.Photos, b.Photos);
        Assert.Equal(SbirSplit.Query, b.Sketches[0].Split);
    }

    [Fact]
    public void MissingFiles_Duplicates_AndNonImages_AreSkippedAndReported()
    {
        _tree.Text("data/s/cat/readme.md");
        _tree.Corrupt("data/s/cat/bad.png");
        string manifest = Write("data/m.csv", """
            domain,category,path
            sketch,cat,s/cat/n01-1.png
            sketch,cat,s/cat/n01-1.png
            sketch,cat,s/cat/gone.png
            sketch,cat,s/cat/readme.md
            sketch,cat,s/cat/bad.png
            photo,cat,p/cat/n01.jpg
            photo,bird,p/bird/missing.jpg
            """);

        SbirDataset data = SbirDataset.FromManifest(manifest);

        Assert.Single(data.Sketches);
        Assert.Equal(
            [
                ("p/bird/missing.jpg", SkipReasons.FileNotFound),
                ("s/cat/bad.png", SkipReasons.UnreadableImage),
                ("s/cat/gone.png", SkipReasons.FileNotFound),
                ("s/cat/n01-1.png", SkipReasons.DuplicateEntry),
                ("s/cat/readme.md", SkipReasons.NotAnImageExtension),
            ],
            data.Report.SkippedFiles.Select(f => (Path.GetRelativePath(_tree["data"], f.Path), f.Reason.Split(':')[0])));
        Assert.Equal(new SkippedCategory("bird", SkipReasons.Empty), Assert.Single(data.Report.SkippedCategories));
        Assert.Throws<SbirDatasetException>(() => SbirDataset.FromManifest(manifest, new SbirLoadOptions { Strict = true }));
    }

    [Fact]
    public void AbsoluteAndBackslashPaths_Resolve()
    {
        string manifest = Write("data/m.csv",
            $"domain,category,path\nsketch,cat,{_tree["data/s/cat/n01-1.png"]}\nphoto,cat,p\\cat\\n01.jpg\n");

        SbirDataset data = SbirDataset.FromManifest(manifest);

        Assert.Equal(_tree["data/s/cat/n01-1.png"], data.Sketches[0].Path);
        Assert.Equal(_tree["data/p/cat/n01.jpg"], data.Photos[0].Path);
    }

    [Theory]
    [InlineData("domain,category\nsketch,cat\n", "line 1", "lacks 'path'")]
    [InlineData("domain,category,path,splti\n", "line 1", "unknown column 'splti'")]
    [InlineData("domain,category,path,path\n", "line 1", "appears twice")]
    [InlineData("domain,category,path\nsketch,cat,s/cat/n01-1.png\nimage,cat,p/cat/n01.jpg\n", "line 3", "'sketch' or 'photo'")]
    [InlineData("domain,category,path,split\nsketch,cat,s/cat/n01-1.png,gallery\n", "line 2", "'train' or 'query'")]
    [InlineData("domain,category,path,split\nphoto,cat,p/cat/n01.jpg,query\n", "line 2", "'gallery'")]
    [InlineData("domain,category,path\nsketch,,s/cat/n01-1.png\n", "line 2", "'category' is missing")]
    [InlineData("domain,category,path\nsketch,cat,s/cat/n01-1.png,extra\n", "line 2", "4 fields")]
    [InlineData("domain,category,path\nsketch,cat,\"s/cat/n01-1.png\n", "line 2", "not closed")]
    [InlineData("", "", "empty")]
    public void MalformedCsv_ThrowsInvalidData_NamingTheLine(string text, string where, string what)
    {
        string manifest = Write("data/bad.csv", text);

        var e = Assert.Throws<InvalidDataException>(() => SbirDataset.FromManifest(manifest));

        Assert.Contains(manifest, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Theory]
    [InlineData("{}", "JSON array")]
    [InlineData("[ 1 ]", "entry 0: expected an object")]
    [InlineData("""[ { "domain": "sketch", "category": "cat", "path": "s/cat/n01-1.png", "label": "x" } ]""", "unknown property 'label'")]
    [InlineData("""[ { "domain": "sketch", "category": 3, "path": "s/cat/n01-1.png" } ]""", "must be a string")]
    [InlineData("""[ { "domain": "sketch", "category": "cat" } ]""", "'path' is missing")]
    [InlineData("[ {", "not valid JSON")]
    public void MalformedJson_ThrowsInvalidData(string text, string what)
    {
        string manifest = Write("data/bad.json", text);

        var e = Assert.Throws<InvalidDataException>(() => SbirDataset.FromManifest(manifest));

        Assert.Contains(manifest, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void MissingOrUnsupportedManifest_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => SbirDataset.FromManifest(_tree["data/none.csv"]));
        string yaml = Write("data/m.yaml", "x");
        Assert.Contains(".csv or .json", Assert.Throws<ArgumentException>(() => SbirDataset.FromManifest(yaml)).Message);
    }
}
