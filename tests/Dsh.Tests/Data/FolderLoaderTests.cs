using Dsh.Data;

namespace Dsh.Tests.Data;

public sealed class FolderLoaderTests : IDisposable
{
    private readonly ImageTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private string Sketches => _tree["sketches"];

    private string Photos => _tree["photos"];

    [Fact]
    public void LoadsBothDomains_LabelsByOrdinalCategory_OrdersByPath()
    {
        _tree.Png("sketches/zebra/b.png");
        _tree.Png("sketches/zebra/a.png");
        _tree.Png("sketches/Ant/1.png");
        _tree.Jpeg("photos/zebra/z.jpg");
        _tree.Jpeg("photos/Ant/p.jpeg");
        _tree.Png("photos/Ant/q.png");

        SbirDataset data = SbirDataset.FromFolders(Sketches, Photos);

        Assert.Equal(["Ant", "zebra"], data.Categories);
        Assert.Equal([_tree["sketches/Ant/1.png"], _tree["sketches/zebra/a.png"], _tree["sketches/zebra/b.png"]], data.Sketches.Select(s => s.Path));
        Assert.Equal([0, 1, 1], data.Sketches.Select(s => s.Label));
        Assert.Equal([_tree["photos/Ant/p.jpeg"], _tree["photos/Ant/q.png"], _tree["photos/zebra/z.jpg"]], data.Photos.Select(s => s.Path));
        Assert.Equal([0, 0, 1], data.Photos.Select(s => s.Label));
        Assert.All(data.Sketches, s => Assert.Equal(SbirSplit.Train, s.Split));
        Assert.All(data.Photos, p => Assert.Equal(SbirSplit.Gallery, p.Split));
        Assert.All(data.Sketches.Concat(data.Photos), i => Assert.Null(i.Image));
        Assert.True(data.Report.IsClean);
        Assert.Equal((2, 3, 3), (data.Report.CategoryCount, data.Report.SketchCount, data.Report.PhotoCount));
        Assert.Equal(3, data.TrainingSketches.Count());
        Assert.Empty(data.QuerySketches);
    }

    [Fact]
    public void RelativeRoots_GiveAbsolutePaths_AndFilesInSubfoldersBelongToTheCategory()
    {
        _tree.Png("sketches/cat/deep/er/s.png");
        _tree.Jpeg("photos/cat/p.jpg");
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, Sketches);

        SbirDataset data = SbirDataset.FromFolders(relative, Photos);

        Assert.Equal(_tree["sketches/cat/deep/er/s.png"], Assert.Single(data.Sketches).Path);
        Assert.True(Path.IsPathRooted(data.Sketches[0].Path));
    }

    [Fact]
    public void SkipsAndReports_CorruptFiles_NonImages_OneSidedAndEmptyCategories_NeverThrows()
    {
        _tree.Png("sketches/cat/good.png");
        _tree.Corrupt("sketches/cat/broken.png");
        _tree.Text("sketches/cat/notes.txt");
        _tree.Png("sketches/cat/.hidden.png");
        _tree.Png("sketches/cat/.cache/x.png");
        _tree.Png("sketches/loose.png");
        _tree.Png("sketches/onlysketch/s.png");
        _tree.Folder("sketches/empty");
        _tree.Folder("photos/empty");
        _tree.Png("sketches/.git/objects.png");
        _tree.Jpeg("photos/cat/p.jpg");
        _tree.Jpeg("photos/onlyphoto/p.jpg");
        _tree.Png("sketches/allbad/s.png");
        _tree.Corrupt("photos/allbad/p.jpg", seed: 2);

        SbirDataset data = SbirDataset.FromFolders(Sketches, Photos);

        Assert.Equal(["cat"], data.Categories);
        Assert.Equal(_tree["sketches/cat/good.png"], Assert.Single(data.Sketches).Path);
        Assert.Single(data.Photos);
        DatasetLoadReport report = data.Report;
        Assert.False(report.IsClean);
        Assert.Equal(
            [
                (_tree["photos/allbad/p.jpg"], SkipReasons.UnreadableImage),
                (_tree["sketches/cat/broken.png"], SkipReasons.UnreadableImage),
                (_tree["sketches/cat/notes.txt"], SkipReasons.NotAnImageExtension),
                (_tree["sketches/loose.png"], SkipReasons.OutsideCategoryFolder),
            ],
            report.SkippedFiles.Select(f => (f.Path, f.Reason.Split(':')[0])));
        Assert.Equal(
            [
                new SkippedCategory("allbad", SkipReasons.NoPhotos),
                new SkippedCategory("empty", SkipReasons.Empty),
                new SkippedCategory("onlyphoto", SkipReasons.NoSketches),
                new SkippedCategory("onlysketch", SkipReasons.NoPhotos),
            ],
            report.SkippedCategories);
        Assert.Equal((1, 1, 1), (report.CategoryCount, report.SketchCount, report.PhotoCount));
        string summary = report.ToString();
        Assert.Contains("1 sketches", summary);
        Assert.Contains("4 file(s)", summary);
        Assert.Contains(_tree["photos/allbad/p.jpg"], summary);
        Assert.Contains("'onlyphoto': no sketches", summary);
    }

    [Fact]
    public void Strict_ThrowsWithTheReport_NamingTheSkippedFile()
    {
        _tree.Png("sketches/cat/good.png");
        _tree.Corrupt("sketches/cat/broken.png");
        _tree.Jpeg("photos/cat/p.jpg");

        var e = Assert.Throws<SbirDatasetException>(() => SbirDataset.FromFolders(Sketches, Photos, new SbirLoadOptions { Strict = true }));

        Assert.Equal(_tree["sketches/cat/broken.png"], Assert.Single(e.Report.SkippedFiles).Path);
        Assert.Contains(_tree["sketches/cat/broken.png"], e.Message);
        Assert.Contains(Sketches, e.Message);
        Assert.Contains("Strict", e.Message);
    }

    [Fact]
    public void Strict_ThrowsOnAOneSidedCategory()
    {
        _tree.Png("sketches/cat/s.png");
        _tree.Jpeg("photos/cat/p.jpg");
        _tree.Png("sketches/dog/s.png");

        var e = Assert.Throws<SbirDatasetException>(() => SbirDataset.FromFolders(Sketches, Photos, new SbirLoadOptions { Strict = true }));

        Assert.Equal(new SkippedCategory("dog", SkipReasons.NoPhotos), Assert.Single(e.Report.SkippedCategories));
        Assert.Contains("dog", e.Message);
    }

    [Fact]
    public void Strict_CleanTree_Loads()
    {
        _tree.Png("sketches/cat/s.png");
        _tree.Jpeg("photos/cat/p.jpg");

        SbirDataset data = SbirDataset.FromFolders(Sketches, Photos, new SbirLoadOptions { Strict = true });

        Assert.True(data.Report.IsClean);
        Assert.Contains("nothing skipped", data.Report.ToString());
    }

    [Fact]
    public void NoCategoryInBothDomains_Throws_EvenWhenNotStrict()
    {
        _tree.Png("sketches/cat/s.png");
        _tree.Jpeg("photos/dog/p.jpg");

        var e = Assert.Throws<SbirDatasetException>(() => SbirDataset.FromFolders(Sketches, Photos));

        Assert.Equal(2, e.Report.SkippedCategories.Count);
        Assert.Contains(Photos, e.Message);
        Assert.Contains("both", e.Message);
    }

    [Fact]
    public void MissingRoot_ThrowsDirectoryNotFound_WithThePath()
    {
        _tree.Png("sketches/cat/s.png");
        string missing = _tree["nope"];

        var e = Assert.Throws<DirectoryNotFoundException>(() => SbirDataset.FromFolders(Sketches, missing));

        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void VerifyImagesOff_TrustsExtensions()
    {
        _tree.Png("sketches/cat/s.png");
        _tree.Corrupt("sketches/cat/broken.png");
        _tree.Jpeg("photos/cat/p.jpg");

        SbirDataset data = SbirDataset.FromFolders(Sketches, Photos, new SbirLoadOptions { VerifyImages = false });

        Assert.Equal(2, data.Sketches.Count);
        Assert.True(data.Report.IsClean);
    }

    [Fact]
    public void Extensions_AreCaseInsensitive_AndConfigurable()
    {
        _tree.Png("sketches/cat/S.PNG");
        _tree.Png("sketches/cat/t.png");
        _tree.Jpeg("sketches/cat/u.jpg");
        _tree.Jpeg("photos/cat/P.JPG");
        _tree.Png("photos/dog/p.png");
        _tree.Jpeg("sketches/dog/s.jpg");

        SbirDataset all = SbirDataset.FromFolders(Sketches, Photos);
        SbirDataset onlyJpeg = SbirDataset.FromFolders(Sketches, Photos, new SbirLoadOptions { Extensions = [".jpg"] });

        Assert.Equal(4, all.Sketches.Count);
        Assert.Equal(2, all.Categories.Count);
        Assert.Equal(["p.png", "S.PNG", "t.png"], onlyJpeg.Report.SkippedFiles
            .Where(f => f.Reason == SkipReasons.NotAnImageExtension).Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(["cat"], onlyJpeg.Categories);
        Assert.Equal(new SkippedCategory("dog", SkipReasons.NoPhotos), Assert.Single(onlyJpeg.Report.SkippedCategories));
    }

    [Fact]
    public void Groups_FromPhotoIdFileNames_ShareWithTheSourcePhoto()
    {
        _tree.Png("sketches/dog/n0210-1.png");
        _tree.Png("sketches/dog/n0210-12.png");
        _tree.Png("sketches/dog/n0999-3.png");
        _tree.Png("sketches/dog/5281.png");
        _tree.Png("sketches/dog/a-b.png");
        _tree.Jpeg("photos/dog/n0210.jpg");
        _tree.Jpeg("photos/dog/056_0001.jpg");
        _tree.Jpeg("photos/dog/a.jpg");

        SbirDataset data = SbirDataset.FromFolders(Sketches, Photos);

        Assert.Equal(
            [null, null, "dog/n0210", "dog/n0210", "dog/n0999"],
            data.Sketches.Select(s => s.Group));
        Assert.Equal(["056_0001.jpg", "a.jpg", "n0210.jpg"], data.Photos.Select(p => Path.GetFileName(p.Path)));
        Assert.Equal([null, null, "dog/n0210"], data.Photos.Select(p => p.Group));
    }

    [Fact]
    public void LoadingTwice_GivesEqualLists()
    {
        for (int i = 0; i < 20; i++)
        {
            _tree.Png($"sketches/c{i % 3}/{(i * 7) % 20}.png", (byte)i);
            _tree.Jpeg($"photos/c{i % 3}/{(i * 11) % 20}.jpg", (byte)i);
        }

        SbirDataset a = SbirDataset.FromFolders(Sketches, Photos), b = SbirDataset.FromFolders(Sketches, Photos);

        Assert.Equal(a.Categories, b.Categories);
        Assert.Equal(a.Sketches, b.Sketches);
        Assert.Equal(a.Photos, b.Photos);
    }
}
