using Dsh.Data;

namespace Dsh.Tests.Data;

public sealed class SketchyLoaderTests : IDisposable
{
    private const string Rendered = "sketchy/rendered_256x256/256x256";
    private readonly ImageTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private void OfficialTree()
    {
        _tree.Png($"{Rendered}/sketch/tx_000000000000/airplane/n02691156_10151-1.png");
        _tree.Png($"{Rendered}/sketch/tx_000000000000/airplane/n02691156_10151-2.png");
        _tree.Png($"{Rendered}/sketch/tx_000000000000/airplane/n02691156_394-1.png");
        _tree.Png($"{Rendered}/sketch/tx_000000000000/alarm_clock/n02694662_1-1.png");
        _tree.Jpeg($"{Rendered}/photo/tx_000000000000/airplane/n02691156_10151.jpg");
        _tree.Jpeg($"{Rendered}/photo/tx_000000000000/airplane/n02691156_394.jpg");
        _tree.Jpeg($"{Rendered}/photo/tx_000000000000/alarm_clock/n02694662_1.jpg");
        // Other augmentations are not read.
        _tree.Png($"{Rendered}/sketch/tx_000000000001/airplane/n02691156_10151-1.png");
        _tree.Jpeg($"{Rendered}/photo/tx_000000000001/airplane/n02691156_10151.jpg");
    }

    [Fact]
    public void OfficialLayout_GroupsSketchesWithTheirPhoto()
    {
        OfficialTree();

        SbirDataset data = SbirDataset.FromSketchy(_tree["sketchy"]);

        Assert.Equal(["airplane", "alarm_clock"], data.Categories);
        Assert.Equal(4, data.Sketches.Count);
        Assert.Equal(3, data.Photos.Count);
        Assert.Equal(
            ["airplane/n02691156_10151", "airplane/n02691156_10151", "airplane/n02691156_394", "alarm_clock/n02694662_1"],
            data.Sketches.Select(s => s.Group));
        Assert.Equal(["airplane/n02691156_10151", "airplane/n02691156_394", "alarm_clock/n02694662_1"], data.Photos.Select(p => p.Group));
        Assert.DoesNotContain(data.Sketches.Concat(data.Photos), i => i.Path!.Contains("tx_000000000001", StringComparison.Ordinal));
        Assert.True(data.Report.IsClean);
    }

    [Fact]
    public void ExtendedPhotos_AreAddedToTheirCategories_WithoutGroups()
    {
        OfficialTree();
        _tree.Jpeg("extended/airplane/ext_1.jpg");
        _tree.Jpeg("extended/airplane/ext_2.png");
        _tree.Jpeg("extended/zebra/ext_3.jpg");

        SbirDataset data = SbirDataset.FromSketchy(_tree["sketchy"], _tree["extended"]);

        Assert.Equal(["airplane", "alarm_clock"], data.Categories);
        Assert.Equal(5, data.Photos.Count);
        Assert.Equal(4, data.Photos.Count(p => p.Label == 0));
        Assert.Null(data.Photos.Single(p => p.Path == _tree["extended/airplane/ext_1.jpg"]).Group);
        Assert.Equal(new SkippedCategory("zebra", SkipReasons.NoSketches), Assert.Single(data.Report.SkippedCategories));
    }

    [Theory]
    [InlineData("sketchy/rendered_256x256")]
    [InlineData("sketchy/rendered_256x256/256x256")]
    public void RootMayBeAnInnerFolder(string root)
    {
        OfficialTree();

        Assert.Equal(4, SbirDataset.FromSketchy(_tree[root]).Sketches.Count);
    }

    [Fact]
    public void MissingLayout_ThrowsDirectoryNotFound_NamingTheExpectedFolder()
    {
        _tree.Png("sketchy/airplane/a.png");

        var e = Assert.Throws<DirectoryNotFoundException>(() => SbirDataset.FromSketchy(_tree["sketchy"]));

        Assert.Contains(Path.Combine("rendered_256x256", "256x256", "sketch", "tx_000000000000"), e.Message);
    }

    [Fact]
    public void MissingPhotoFolder_OrExtendedRoot_Throws()
    {
        _tree.Png($"{Rendered}/sketch/tx_000000000000/airplane/a-1.png");
        Assert.Contains("photo", Assert.Throws<DirectoryNotFoundException>(() => SbirDataset.FromSketchy(_tree["sketchy"])).Message);

        _tree.Jpeg($"{Rendered}/photo/tx_000000000000/airplane/a.jpg");
        Assert.Contains(_tree["ext"],
            Assert.Throws<DirectoryNotFoundException>(() => SbirDataset.FromSketchy(_tree["sketchy"], _tree["ext"])).Message);
    }
}
