namespace Dsh.Data;

/// <summary>
/// A seeded subset for quick runs: at most N sketches and M photos per category, splits kept (a category's
/// queries and training sketches shrink in proportion, at least one of each when possible), groups kept whole
/// where the budget allows.
/// </summary>
internal static class DatasetSubset
{
    public static SbirDataset Take(SbirDataset dataset, int maxSketchesPerCategory, int maxPhotosPerCategory, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSketchesPerCategory, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPhotosPerCategory, 1);
        var keepSketch = new bool[dataset.Sketches.Count];
        var keepPhoto = new bool[dataset.Photos.Count];
        for (int label = 0; label < dataset.Categories.Count; label++)
        {
            string category = dataset.Categories[label];
            int[] queries = Members(dataset.Sketches, label, s => s.Split == SbirSplit.Query);
            int[] training = Members(dataset.Sketches, label, s => s.Split != SbirSplit.Query);
            (int queryBudget, int trainBudget) = Budgets(queries.Length, training.Length, maxSketchesPerCategory);
            Mark(keepSketch, dataset.Sketches, queries, queryBudget, SeededSelection.For(seed, category, "take-queries"));
            Mark(keepSketch, dataset.Sketches, training, trainBudget, SeededSelection.For(seed, category, "take-sketches"));
            int[] photos = Members(dataset.Photos, label, _ => true);
            Mark(keepPhoto, dataset.Photos, photos, maxPhotosPerCategory, SeededSelection.For(seed, category, "take-photos"));
        }
        return dataset.With(
            dataset.Sketches.Where((_, i) => keepSketch[i]).ToArray(),
            dataset.Photos.Where((_, i) => keepPhoto[i]).ToArray());
    }

    /// <summary>How many queries and training sketches to keep out of <paramref name="max"/>.</summary>
    internal static (int Queries, int Training) Budgets(int queries, int training, int max)
    {
        if (queries + training <= max)
        {
            return (queries, training);
        }
        int high = Math.Min(queries, max - (training > 0 ? 1 : 0));
        int low = Math.Min(high, queries > 0 && max >= 2 ? 1 : 0);
        int q = Math.Clamp((int)Math.Round((double)max * queries / (queries + training), MidpointRounding.AwayFromZero), low, high);
        int t = Math.Min(training, max - q);
        return (Math.Min(queries, max - t), t);
    }

    private static int[] Members(IReadOnlyList<SbirItem> items, int label, Func<SbirItem, bool> filter) =>
        Enumerable.Range(0, items.Count).Where(i => items[i].Label == label && filter(items[i])).ToArray();

    private static void Mark(bool[] keep, IReadOnlyList<SbirItem> items, int[] members, int count, Random random)
    {
        if (members.Length <= count)
        {
            foreach (int i in members)
            {
                keep[i] = true;
            }
            return;
        }
        foreach (int i in SeededSelection.TakeExactly(SeededSelection.ShuffledUnits(items, members, random), count))
        {
            keep[i] = true;
        }
    }
}
