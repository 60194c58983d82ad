namespace Dsh.Data;

/// <summary>
/// Turns what a loader collected into a dataset: drops duplicates, verifies images, keeps the categories present
/// in both domains, labels them in ordinal order, derives groups, orders items by (category, path), and applies
/// <see cref="SbirLoadOptions.Strict"/>.
/// </summary>
internal static class DatasetAssembler
{
    /// <exception cref="SbirDatasetException">Strict and something was skipped, or no category has both domains.</exception>
    public static SbirDataset Build(LoadCollector collector)
    {
        List<LoadCandidate> usable = WithoutDuplicates(collector);
        usable = Verified(usable, collector);
        usable.Sort(static (a, b) =>
        {
            int byCategory = string.CompareOrdinal(a.Category, b.Category);
            return byCategory != 0 ? byCategory : string.CompareOrdinal(a.Path, b.Path);
        });

        var withSketches = new HashSet<string>(usable.Where(c => c.Domain == ImageDomain.Sketch).Select(c => c.Category), StringComparer.Ordinal);
        var withPhotos = new HashSet<string>(usable.Where(c => c.Domain == ImageDomain.Photo).Select(c => c.Category), StringComparer.Ordinal);
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        seen.UnionWith(collector.CategoriesOf(ImageDomain.Sketch));
        seen.UnionWith(collector.CategoriesOf(ImageDomain.Photo));

        var categories = new List<string>();
        var skippedCategories = new List<SkippedCategory>();
        foreach (string name in seen)
        {
            bool sketches = withSketches.Contains(name), photos = withPhotos.Contains(name);
            if (sketches && photos)
            {
                categories.Add(name);
            }
            else
            {
                skippedCategories.Add(new SkippedCategory(name,
                    sketches ? SkipReasons.NoPhotos : photos ? SkipReasons.NoSketches : SkipReasons.Empty));
            }
        }

        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < categories.Count; i++)
        {
            labels[categories[i]] = i;
        }
        List<SbirItem> sketchItems = [], photoItems = [];
        var sketchGroups = new HashSet<string>(StringComparer.Ordinal);
        foreach (LoadCandidate c in usable.Where(c => c.Domain == ImageDomain.Sketch && labels.ContainsKey(c.Category)))
        {
            string? group = c.Group ?? SketchGroups.ForSketch(c.Category, c.Path);
            if (group != null)
            {
                sketchGroups.Add(group);
            }
            sketchItems.Add(new SbirItem { Path = c.Path, Label = labels[c.Category], Split = c.Split ?? SbirSplit.Train, Group = group });
        }
        foreach (LoadCandidate c in usable.Where(c => c.Domain == ImageDomain.Photo && labels.ContainsKey(c.Category)))
        {
            string candidate = SketchGroups.CandidateForPhoto(c.Category, c.Path);
            string? group = c.Group ?? (sketchGroups.Contains(candidate) ? candidate : null);
            photoItems.Add(new SbirItem { Path = c.Path, Label = labels[c.Category], Split = SbirSplit.Gallery, Group = group });
        }

        List<SkippedFile> skippedFiles = [.. collector.Skipped];
        skippedFiles.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        var report = new DatasetLoadReport(skippedFiles, skippedCategories, categories.Count, sketchItems.Count, photoItems.Count);
        if (categories.Count == 0)
        {
            throw new SbirDatasetException($"No category under {collector.Source} has both usable sketches and usable photos: {report}", report);
        }
        if (collector.Options.Strict && !report.IsClean)
        {
            throw new SbirDatasetException($"Strict loading of {collector.Source} failed: {report}", report);
        }
        return new SbirDataset(categories, sketchItems, photoItems, report, collector.Options.Decoding);
    }

    private static List<LoadCandidate> WithoutDuplicates(LoadCollector collector)
    {
        var kept = new List<LoadCandidate>(collector.Candidates.Count);
        var seen = new HashSet<(ImageDomain, string)>();
        foreach (LoadCandidate c in collector.Candidates)
        {
            if (seen.Add((c.Domain, c.Path)))
            {
                kept.Add(c);
            }
            else
            {
                collector.Skip(c.Path, SkipReasons.DuplicateEntry);
            }
        }
        return kept;
    }

    private static List<LoadCandidate> Verified(List<LoadCandidate> candidates, LoadCollector collector)
    {
        if (!collector.Options.VerifyImages)
        {
            return candidates;
        }
        string[] paths = candidates.Select(c => c.Path).Distinct(StringComparer.Ordinal).ToArray();
        string?[] problems = ImageVerifier.Problems(paths, collector.Options.Decoding.Validated());
        var problemOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < paths.Length; i++)
        {
            if (problems[i] is { } problem)
            {
                problemOf[paths[i]] = problem;
                collector.Skip(paths[i], problem);
            }
        }
        return candidates.Where(c => !problemOf.ContainsKey(c.Path)).ToList();
    }
}
