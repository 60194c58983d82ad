using Dsh.Data;
using Dsh.Evaluation;

namespace Dsh.Quality.Pacs;

/// <summary>
/// A seeded train/validation split of an <see cref="SbirDataset"/> by <b>group</b>, for measuring results: per
/// category, the units (items sharing a non-null <see cref="SbirItem.Group"/> across both domains, or a single item
/// whose group is null) are shuffled and the first round(fraction · units) go to validation. Validation sketches are
/// the queries, validation photos the gallery; everything else is training data. A sketch and the photo it was drawn
/// from therefore always land on the same side. Deterministic: one <see cref="Random"/> per category, seeded from the
/// seed and an FNV-1a hash of the category name (never <see cref="HashCode"/>). Both validation lists are shuffled
/// (seeded) because <see cref="RetrievalMetrics"/> breaks Hamming ties by gallery position and the dataset is sorted
/// by category.
/// </summary>
internal sealed class GroupedValidationSplit
{
    private GroupedValidationSplit(IReadOnlyList<SbirItem> trainSketches, IReadOnlyList<SbirItem> trainPhotos,
        IReadOnlyList<SbirItem> querySketches, IReadOnlyList<SbirItem> galleryPhotos, IReadOnlyList<string> categories,
        int seed, double fraction)
    {
        TrainSketches = trainSketches;
        TrainPhotos = trainPhotos;
        QuerySketches = querySketches;
        GalleryPhotos = galleryPhotos;
        Categories = categories;
        Seed = seed;
        Fraction = fraction;
    }

    public IReadOnlyList<SbirItem> TrainSketches { get; }
    public IReadOnlyList<SbirItem> TrainPhotos { get; }
    /// <summary>Validation sketches (queries), in seeded shuffled order.</summary>
    public IReadOnlyList<SbirItem> QuerySketches { get; }
    /// <summary>Validation photos (gallery), in seeded shuffled order.</summary>
    public IReadOnlyList<SbirItem> GalleryPhotos { get; }
    public IReadOnlyList<string> Categories { get; }
    public int Seed { get; }
    public double Fraction { get; }

    /// <summary>The unit key of an item: its group, or a key of its own when the group is null.</summary>
    public static string UnitKey(SbirItem item, string domain) =>
        item.Group is { } g ? "g:" + g : $"{domain}:{item.Path ?? throw new ArgumentException("Items must be files.")}";

    /// <summary>The benchmark's split of <c>../shared/data/pacs</c>: a fifth held out, seed <see cref="DshPacsTraining.Seed"/>.</summary>
    public static GroupedValidationSplit OfSharedPacs()
    {
        string pacsRoot = Path.GetFullPath(Path.Combine(RepoRoot.Find(), "..", "shared", "data", "pacs"));
        return Create(SbirDataset.FromFolders(Path.Combine(pacsRoot, "sketch"), Path.Combine(pacsRoot, "photo")), 0.2, DshPacsTraining.Seed);
    }

    public static GroupedValidationSplit Create(SbirDataset dataset, double fraction = 0.2, int seed = 2017)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        var validationUnits = new HashSet<string>(StringComparer.Ordinal);
        for (int label = 0; label < dataset.Categories.Count; label++)
        {
            // Units in order of first appearance (sketches, then photos; the dataset's order is deterministic).
            var units = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string key in dataset.Sketches.Where(s => s.Label == label).Select(s => UnitKey(s, "sketch"))
                         .Concat(dataset.Photos.Where(p => p.Label == label).Select(p => UnitKey(p, "photo"))))
            {
                if (seen.Add(key))
                {
                    units.Add(key);
                }
            }
            Random random = SeededRandom(seed, dataset.Categories[label], "validation-split");
            Shuffle(units, random);
            int take = (int)Math.Round(fraction * units.Count, MidpointRounding.AwayFromZero);
            foreach (string key in units.Take(take))
            {
                validationUnits.Add(key);
            }
        }
        var trainSketches = dataset.Sketches.Where(s => !validationUnits.Contains(UnitKey(s, "sketch"))).ToList();
        var trainPhotos = dataset.Photos.Where(p => !validationUnits.Contains(UnitKey(p, "photo"))).ToList();
        var querySketches = dataset.Sketches.Where(s => validationUnits.Contains(UnitKey(s, "sketch"))).ToList();
        var galleryPhotos = dataset.Photos.Where(p => validationUnits.Contains(UnitKey(p, "photo"))).ToList();
        Shuffle(querySketches, SeededRandom(seed, "", "query-order"));
        Shuffle(galleryPhotos, SeededRandom(seed, "", "gallery-order"));
        var split = new GroupedValidationSplit(trainSketches, trainPhotos, querySketches, galleryPhotos, dataset.Categories, seed, fraction);
        split.Verify(dataset);
        return split;
    }

    /// <summary>
    /// Self-check: every item is on exactly one side, and no group (across both domains) has items on both sides.
    /// Throws <see cref="InvalidOperationException"/> naming the group otherwise.
    /// </summary>
    public void Verify(SbirDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int total = TrainSketches.Count + TrainPhotos.Count + QuerySketches.Count + GalleryPhotos.Count;
        if (total != dataset.Sketches.Count + dataset.Photos.Count)
        {
            throw new InvalidOperationException($"The split holds {total} items, the dataset {dataset.Sketches.Count + dataset.Photos.Count}.");
        }
        var side = new Dictionary<string, bool>(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        void Mark(IEnumerable<SbirItem> items, string domain, bool validation)
        {
            foreach (SbirItem item in items)
            {
                if (!paths.Add(domain + ":" + item.Path))
                {
                    throw new InvalidOperationException($"{item.Path} is on both sides of the split.");
                }
                if (item.Group is null)
                {
                    continue;
                }
                if (side.TryGetValue(item.Group, out bool other) && other != validation)
                {
                    throw new InvalidOperationException($"Group '{item.Group}' straddles the split ({item.Path}).");
                }
                side[item.Group] = validation;
            }
        }
        Mark(TrainSketches, "sketch", false);
        Mark(TrainPhotos, "photo", false);
        Mark(QuerySketches, "sketch", true);
        Mark(GalleryPhotos, "photo", true);
    }

    /// <summary>Counts per category and side, as a Markdown table.</summary>
    public string CountsTable()
    {
        var lines = new List<string>
        {
            "| category | train sketches | train photos | validation sketches (queries) | validation photos (gallery) |",
            "| --- | ---: | ---: | ---: | ---: |",
        };
        for (int label = 0; label < Categories.Count; label++)
        {
            int l = label;
            lines.Add($"| {Categories[label]} | {TrainSketches.Count(i => i.Label == l)} | {TrainPhotos.Count(i => i.Label == l)} | " +
                      $"{QuerySketches.Count(i => i.Label == l)} | {GalleryPhotos.Count(i => i.Label == l)} |");
        }
        lines.Add($"| **total** | **{TrainSketches.Count}** | **{TrainPhotos.Count}** | **{QuerySketches.Count}** | **{GalleryPhotos.Count}** |");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>A generator that depends only on the seed, the category name and the purpose (FNV-1a).</summary>
    public static Random SeededRandom(int seed, string category, string purpose)
    {
        uint hash = 2166136261;
        foreach (char c in purpose + "\0" + category)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }
        return new Random(unchecked(seed * -1640531535 ^ (int)hash));
    }

    /// <summary>Fisher–Yates in place.</summary>
    public static void Shuffle<T>(IList<T> list, Random random)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
