using Dsh.Data;
using Dsh.Imaging;

namespace Dsh;

/// <summary>
/// A sketch-based image retrieval dataset: categories, sketches (train or query) and photos (the gallery, also
/// trained on). Load one with <see cref="FromFolders(string, string)"/>, <see cref="FromManifest"/>,
/// <see cref="FromSketchy"/>, <see cref="FromTuBerlinExtension"/> or build one with <see cref="FromItems"/>;
/// hold out queries with <see cref="WithQueries"/>; cut a quick subset with <see cref="Take"/>.
/// Instances are immutable: those methods return new datasets.
/// </summary>
public sealed partial class SbirDataset
{
    internal SbirDataset(IReadOnlyList<string> categories, IReadOnlyList<SbirItem> sketches, IReadOnlyList<SbirItem> photos, DatasetLoadReport report,
        ImageDecodingOptions? decoding = null)
    {
        Categories = categories.ToArray().AsReadOnly();
        Sketches = sketches.ToArray().AsReadOnly();
        Photos = photos.ToArray().AsReadOnly();
        Report = report;
        Decoding = decoding ?? ImageDecodingOptions.Default;
    }

    /// <summary>
    /// The limits the dataset's image files are decoded within: the loader's <see cref="SbirLoadOptions.Decoding"/> (the
    /// files were verified with them), <see cref="ImageDecodingOptions.Default"/> for <see cref="FromItems"/>. The trainer
    /// reads the files with the same limits.
    /// </summary>
    public ImageDecodingOptions Decoding { get; }

    /// <summary>
    /// The category names; an item's <see cref="SbirItem.Label"/> indexes this list. Loaders keep only categories
    /// with usable files in both domains and sort them ordinally; <see cref="FromItems"/> keeps the given order.
    /// </summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Every sketch, training and query, ordered by (category, path) when loaded from disk.</summary>
    public IReadOnlyList<SbirItem> Sketches { get; }

    /// <summary>Every photo (split <see cref="SbirSplit.Gallery"/>), ordered by (category, path) when loaded from disk.</summary>
    public IReadOnlyList<SbirItem> Photos { get; }

    /// <summary>What loading kept and skipped.</summary>
    public DatasetLoadReport Report { get; }

    /// <summary>The sketches to train on: every sketch whose split is not <see cref="SbirSplit.Query"/>.</summary>
    public IEnumerable<SbirItem> TrainingSketches => Sketches.Where(s => s.Split != SbirSplit.Query);

    /// <summary>The held-out query sketches (none until <see cref="WithQueries"/> or a manifest sets some).</summary>
    public IEnumerable<SbirItem> QuerySketches => Sketches.Where(s => s.Split == SbirSplit.Query);

    /// <summary>
    /// A dataset from items built in code (files or in-memory images). Checked: categories non-empty and distinct;
    /// each item has exactly one of <see cref="SbirItem.Path"/> / <see cref="SbirItem.Image"/> and a label inside
    /// <paramref name="categories"/>; sketches are Train or Query; photos are Gallery (a photo left at the default
    /// <see cref="SbirSplit.Train"/> becomes Gallery). Files are not opened. The order of items is kept.
    /// </summary>
    /// <exception cref="ArgumentException">A rule above is broken; the message names the item.</exception>
    public static SbirDataset FromItems(IReadOnlyList<string> categories, IEnumerable<SbirItem> sketches, IEnumerable<SbirItem> photos)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(sketches);
        ArgumentNullException.ThrowIfNull(photos);
        ItemValidation.CheckCategories(categories);
        List<SbirItem> sketchList = ItemValidation.Sketches(sketches, categories.Count);
        List<SbirItem> photoList = ItemValidation.Photos(photos, categories.Count);
        var report = new DatasetLoadReport([], [], categories.Count, sketchList.Count, photoList.Count);
        return new SbirDataset(categories, sketchList, photoList, report);
    }

    /// <summary>The same categories and report with other items (counts updated).</summary>
    internal SbirDataset With(IReadOnlyList<SbirItem> sketches, IReadOnlyList<SbirItem> photos) =>
        new(Categories, sketches, photos, Report.WithCounts(Categories.Count, sketches.Count, photos.Count), Decoding);
}
