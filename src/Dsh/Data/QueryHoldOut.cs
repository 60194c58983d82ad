namespace Dsh.Data;

/// <summary>
/// The paper's query protocol: per category, a fixed number of sketches held out as queries, chosen with a seed,
/// groups kept whole (all sketches of one source photo are queries or none is).
/// </summary>
internal static class QueryHoldOut
{
    public static SbirDataset Apply(SbirDataset dataset, int sketchesPerCategory, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sketchesPerCategory);
        IReadOnlyList<SbirItem> sketches = dataset.Sketches;
        var query = new bool[sketches.Count];
        for (int label = 0; label < dataset.Categories.Count && sketchesPerCategory > 0; label++)
        {
            string category = dataset.Categories[label];
            int[] members = Enumerable.Range(0, sketches.Count).Where(i => sketches[i].Label == label).ToArray();
            if (members.Length <= sketchesPerCategory)
            {
                throw new ArgumentException(
                    $"Category '{category}' has {members.Length} sketch(es); holding out {sketchesPerCategory} as queries would leave none to train on.",
                    nameof(sketchesPerCategory));
            }
            foreach (int i in Choose(sketches, members, sketchesPerCategory, SeededSelection.For(seed, category, "queries"), category))
            {
                query[i] = true;
            }
        }
        var result = new SbirItem[sketches.Count];
        for (int i = 0; i < sketches.Count; i++)
        {
            SbirSplit split = query[i] ? SbirSplit.Query : SbirSplit.Train;
            result[i] = sketches[i].Split == split ? sketches[i] : sketches[i] with { Split = split };
        }
        return dataset.With(result, dataset.Photos);
    }

    /// <summary>
    /// Whole groups in shuffled order while they fit in <paramref name="count"/>; if that falls short, the smallest
    /// remaining group as well (so a category may get a few more queries than asked), provided a training sketch remains.
    /// </summary>
    private static List<int> Choose(IReadOnlyList<SbirItem> sketches, int[] members, int count, Random random, string category)
    {
        List<int[]> units = SeededSelection.ShuffledUnits(sketches, members, random);
        (List<int> chosen, List<int[]> rest) = SeededSelection.TakeWholeUnits(units, count);
        if (chosen.Count < count && rest.Count > 0)
        {
            int[] smallest = rest.MinBy(u => u.Length)!;
            if (chosen.Count + smallest.Length < members.Length)
            {
                chosen.AddRange(smallest);
            }
        }
        if (chosen.Count < count)
        {
            throw new ArgumentException(
                $"Category '{category}': its {members.Length} sketches come in groups (sketches of one photo) that cannot give " +
                $"{count} queries while keeping a training sketch and every group on one side.", "sketchesPerCategory");
        }
        return chosen;
    }
}
