using Dsh.Data;

namespace Dsh.Tests.Data;

public sealed class TuBerlinLoaderTests : IDisposable
{
    private readonly ImageTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void SketchesByCategory_WithExtensionPhotos_NumericIdsHaveNoGroup()
    {
        _tree.Png("tu/airplane/1.png");
        _tree.Png("tu/airplane/2.png");
        _tree.Png("tu/bear/81.png");
        _tree.Jpeg("ext/airplane/a.jpg");
        _tree.Jpeg("ext/bear/b.JPEG");
        _tree.Corrupt("ext/bear/c.jpg");

        SbirDataset data = SbirDataset.FromTuBerlinExtension(_tree["tu"], _tree["ext"]);

        Assert.Equal(["airplane", "bear"], data.Categories);
        Assert.Equal([0, 0, 1], data.Sketches.Select(s => s.Label));
        Assert.All(data.Sketches, s => Assert.Null(s.Group));
        Assert.Equal(2, data.Photos.Count);
        Assert.Equal(_tree["ext/bear/c.jpg"], Assert.Single(data.Report.SkippedFiles).Path);
    }

    [Fact]
    public void PhotoFolders_MatchSketchFolders_IgnoringCaseUnderscoresAndSpaces()
    {
        _tree.Png("tu/alarm clock/1.png");
        _tree.Png("tu/teddy-bear/2.png");
        _tree.Png("tu/car (sedan)/3.png");
        _tree.Jpeg("ext/alarm_clock/a.jpg");
        _tree.Jpeg("ext/Teddy_Bear/b.jpg");
        _tree.Jpeg("ext/car_(sedan)/c.jpg");

        SbirDataset data = SbirDataset.FromTuBerlinExtension(_tree["tu"], _tree["ext"]);

        Assert.Equal(["alarm clock", "car (sedan)", "teddy-bear"], data.Categories);
        Assert.Equal([0, 1, 2], data.Photos.Select(p => p.Label));
        Assert.True(data.Report.IsClean);
    }

    [Fact]
    public void ExactNamesWin_OverLooseMatches()
    {
        _tree.Png("tu/alarm clock/1.png");
        _tree.Jpeg("ext/alarm clock/a.jpg");
        _tree.Jpeg("ext/alarm_clock/b.jpg");

        SbirDataset data = SbirDataset.FromTuBerlinExtension(_tree["tu"], _tree["ext"]);

        Assert.Equal(["alarm clock"], data.Categories);
        Assert.Equal(_tree["ext/alarm clock/a.jpg"], Assert.Single(data.Photos).Path);
        Assert.Equal(new SkippedCategory("alarm_clock", SkipReasons.NoSketches), Assert.Single(data.Report.SkippedCategories));
    }

    [Fact]
    public void FolderLoader_DoesNotMatchLoosely()
    {
        _tree.Png("tu/alarm clock/1.png");
        _tree.Png("tu/bear/1.png");
        _tree.Jpeg("ext/alarm_clock/a.jpg");
        _tree.Jpeg("ext/bear/a.jpg");

        SbirDataset data = SbirDataset.FromFolders(_tree["tu"], _tree["ext"]);

        Assert.Equal(["bear"], data.Categories);
        Assert.Equal(2, data.Report.SkippedCategories.Count);
    }
}
