using Dsh.Data;
using Dsh.Imaging;

namespace Dsh.Tests.Data;

/// <summary>
/// Binds the data API other parts of issue #5 (imaging, semantics, the trainer) call: if a name or a signature
/// changes, this file stops compiling.
/// </summary>
public class DataPublicSurfaceTests
{
    [Fact]
    public void DataContract_Binds()
    {
        Func<string, string, SbirDataset> fromFolders = SbirDataset.FromFolders;
        Func<string, string, SbirLoadOptions, SbirDataset> fromFoldersWithOptions = SbirDataset.FromFolders;
        Func<string, SbirLoadOptions?, SbirDataset> fromManifest = SbirDataset.FromManifest;
        Func<string, string?, SbirLoadOptions?, SbirDataset> fromSketchy = SbirDataset.FromSketchy;
        Func<string, string, SbirLoadOptions?, SbirDataset> fromTuBerlin = SbirDataset.FromTuBerlinExtension;
        Func<IReadOnlyList<string>, IEnumerable<SbirItem>, IEnumerable<SbirItem>, SbirDataset> fromItems = SbirDataset.FromItems;
        Assert.All(new Delegate[] { fromFolders, fromFoldersWithOptions, fromManifest, fromSketchy, fromTuBerlin }, Assert.NotNull);

        var image = new RgbImage(2, 2, new byte[12]);
        SbirDataset data = fromItems(["a"], [new SbirItem { Image = image, Label = 0, Split = SbirSplit.Train, Group = null }, new SbirItem { Path = "/b.png", Label = 0 }],
            [new SbirItem { Path = "/p.jpg", Label = 0, Split = SbirSplit.Gallery }]);
        IReadOnlyList<string> categories = data.Categories;
        IReadOnlyList<SbirItem> sketches = data.Sketches, photos = data.Photos;
        IEnumerable<SbirItem> training = data.TrainingSketches, queries = data.QuerySketches;
        SbirDataset split = data.WithQueries(sketchesPerCategory: 1, seed: 1);
        SbirDataset small = split.Take(maxSketchesPerCategory: 2, maxPhotosPerCategory: 1, seed: 1);
        string? path = sketches[1].Path;
        RgbImage? pixels = sketches[0].Image;
        (int label, SbirSplit s, string? group) = (photos[0].Label, photos[0].Split, photos[0].Group);

        DatasetLoadReport report = small.Report;
        IReadOnlyList<SkippedFile> files = report.SkippedFiles;
        IReadOnlyList<SkippedCategory> skippedCategories = report.SkippedCategories;
        (int sketchCount, int photoCount, bool clean, string text) = (report.SketchCount, report.PhotoCount, report.IsClean, report.ToString());
        SkippedFile file = new("p", "r");
        SkippedCategory category = new("c", "r");
        (string fp, string fr, string cn, string cr) = (file.Path, file.Reason, category.Name, category.Reason);
        var options = new SbirLoadOptions { Strict = true, VerifyImages = false, Extensions = [".png"] };
        Exception e = new SbirDatasetException("m", report);
        DatasetLoadReport fromException = ((SbirDatasetException)e).Report;

        Assert.Equal(["a"], categories);
        Assert.Equal((2, 1, 2, 1), (training.Count(), queries.Count() + 1, small.Sketches.Count, sketchCount - 1));
        Assert.Equal((0, SbirSplit.Gallery, (string?)null, 1, true), (label, s, group, photoCount, clean));
        Assert.Equal("/b.png", path);
        Assert.Same(image, pixels);
        Assert.Empty(files);
        Assert.Empty(skippedCategories);
        Assert.NotEmpty(text);
        Assert.Equal(("p", "r", "c", "r"), (fp, fr, cn, cr));
        Assert.True(options.Strict);
        Assert.Same(report, fromException);
        Assert.Equal([SbirSplit.Train, SbirSplit.Query, SbirSplit.Gallery], Enum.GetValues<SbirSplit>());
    }
}
