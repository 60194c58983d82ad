using System.Diagnostics;
using Dsh.Data;
using Dsh.Tests.Support;
using Xunit.Abstractions;

namespace Dsh.Tests.Data;

/// <summary>The real PACS sketches and photos in ../shared/data/pacs (see its README): they load as they are.</summary>
public sealed class PacsDatasetTests(ITestOutputHelper output)
{
    private static string Pacs => Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "pacs"));

    [Fact]
    public void FolderLoader_ReadsPacsAsIs_SevenCategories_NothingSkipped()
    {
        Assert.True(Directory.Exists(Pacs), $"The PACS data is expected at {Pacs} (see shared/data/README.md).");
        var clock = Stopwatch.StartNew();

        SbirDataset data = SbirDataset.FromFolders(Path.Combine(Pacs, "sketch"), Path.Combine(Pacs, "photo"));

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F2} s: {data.Report}");
        Assert.Equal(["dog", "elephant", "giraffe", "guitar", "horse", "house", "person"], data.Categories);
        Assert.Equal(3367, data.Sketches.Count);
        Assert.Equal(1431, data.Photos.Count);
        Assert.True(data.Report.IsClean, data.Report.ToString());
        Assert.Equal([662, 634, 645, 521, 699, 69, 137], Enumerable.Range(0, 7).Select(c => data.Sketches.Count(s => s.Label == c)));
        Assert.Equal([162, 173, 156, 159, 171, 240, 370], Enumerable.Range(0, 7).Select(c => data.Photos.Count(p => p.Label == c)));

        // README: 2,816 sketches are named <photoId>-<k>; 2,109 of them have their source photo here.
        Assert.Equal(2816, data.Sketches.Count(s => s.Group != null));
        var photoGroups = data.Photos.Where(p => p.Group != null).Select(p => p.Group!).ToHashSet();
        Assert.Equal(2109, data.Sketches.Count(s => s.Group != null && photoGroups.Contains(s.Group)));
        Assert.All(data.Photos.Where(p => p.Group != null), p => Assert.StartsWith(data.Categories[p.Label] + "/", p.Group));
    }

    [Fact]
    public void Pacs_QueryProtocol_KeepsSourcePhotoGroupsOnOneSide()
    {
        SbirDataset data = SbirDataset.FromFolders(Path.Combine(Pacs, "sketch"), Path.Combine(Pacs, "photo"), new SbirLoadOptions { VerifyImages = false });

        SbirDataset split = data.WithQueries(50, seed: 2017);

        for (int c = 0; c < data.Categories.Count; c++)
        {
            int queries = split.QuerySketches.Count(s => s.Label == c);
            output.WriteLine($"{data.Categories[c]}: {queries} queries");
            Assert.InRange(queries, 50, 62);
        }
        SplitFixtures.AssertGroupsWhole(split);
        SbirDataset small = split.Take(20, 10, seed: 1);
        Assert.Equal(140, small.Sketches.Count);
        Assert.Equal(70, small.Photos.Count);
        Assert.True(small.QuerySketches.Count() >= 7);
    }
}
