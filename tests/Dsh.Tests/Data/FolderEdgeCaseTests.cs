using Dsh.Data;

namespace Dsh.Tests.Data;

public sealed class FolderEdgeCaseTests : IDisposable
{
    private readonly ImageTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void ALinkLoopInsideACategory_IsNotFollowedForever()
    {
        _tree.Png("sketches/cat/a.png");
        _tree.Jpeg("photos/cat/p.jpg");
        Directory.CreateSymbolicLink(_tree["sketches/cat/loop"], _tree["sketches/cat"]);

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"]);

        Assert.Equal(_tree["sketches/cat/a.png"], Assert.Single(data.Sketches).Path);
    }

    [Fact]
    public void ALinkedCategoryFolder_IsFollowed()
    {
        _tree.Png("elsewhere/cat/a.png");
        _tree.Folder("sketches");
        _tree.Jpeg("photos/cat/p.jpg");
        Directory.CreateSymbolicLink(_tree["sketches/cat"], _tree["elsewhere/cat"]);

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"]);

        Assert.Equal(_tree["sketches/cat/a.png"], Assert.Single(data.Sketches).Path);
    }

    [Fact]
    public void Extensions_MayOmitTheDot_ButMustNotBeEmpty()
    {
        _tree.Png("sketches/cat/a.png");
        _tree.Jpeg("photos/cat/p.jpg");

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"], new SbirLoadOptions { Extensions = ["PNG", "jpg"] });

        Assert.True(data.Report.IsClean);
        Assert.Throws<ArgumentException>(() => SbirDataset.FromFolders(_tree["sketches"], _tree["photos"], new SbirLoadOptions { Extensions = [] }));
        Assert.Throws<ArgumentException>(() => SbirDataset.FromFolders(_tree["sketches"], _tree["photos"], new SbirLoadOptions { Extensions = null! }));
        Assert.Throws<ArgumentNullException>(() => SbirDataset.FromFolders(_tree["sketches"], _tree["photos"], null!));
    }

    [Fact]
    public void ManyFilesInOneFolder_AreOrderedOrdinally_NotNaturally()
    {
        foreach (string name in new[] { "10.png", "9.png", "B.png", "a.png", "_.png" })
        {
            _tree.Png($"sketches/cat/{name}");
        }
        _tree.Jpeg("photos/cat/p.jpg");

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"]);

        Assert.Equal(["10.png", "9.png", "B.png", "_.png", "a.png"], data.Sketches.Select(s => Path.GetFileName(s.Path)));
    }
}
