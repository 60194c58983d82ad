using Dsh.Hashing;

namespace Dsh.Evaluation;

/// <summary>
/// Category-level retrieval quality of Hamming ranking: for each query, the whole gallery is ranked by Hamming
/// distance (ties broken by gallery position, as <see cref="HammingIndex"/> orders by id) and a gallery item is
/// relevant when its label equals the query's. Codes with many ties score by gallery order: shuffle a gallery that
/// is sorted by category before comparing methods.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// Mean average precision over the full ranking: AP = (1/R)·Σ precision@k over the ranks k of the R relevant
    /// items; queries with no relevant item are left out of the mean.
    /// </summary>
    /// <param name="queries">Query codes (for example sketches).</param>
    /// <param name="queryLabels">Label of each query.</param>
    /// <param name="gallery">Gallery codes (for example photos); gallery id i is item i.</param>
    /// <param name="galleryLabels">Label of each gallery item.</param>
    /// <exception cref="ArgumentException">Counts or code lengths disagree, or a set is empty.</exception>
    public static double MeanAveragePrecision(BinaryCodeSet queries, IReadOnlyList<int> queryLabels, BinaryCodeSet gallery, IReadOnlyList<int> galleryLabels)
    {
        var (aps, _) = Evaluate(queries, queryLabels, gallery, galleryLabels, 0);
        return aps.Count == 0 ? 0 : aps.Average();
    }

    /// <summary>
    /// Mean precision of the first <paramref name="k"/> results (k is capped at the gallery size), over all queries —
    /// a query with no relevant item counts as 0 (mAP leaves such queries out).
    /// </summary>
    public static double PrecisionAt(int k, BinaryCodeSet queries, IReadOnlyList<int> queryLabels, BinaryCodeSet gallery, IReadOnlyList<int> galleryLabels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var (_, precisions) = Evaluate(queries, queryLabels, gallery, galleryLabels, k);
        return precisions.Average();
    }

    private static (List<double> AveragePrecisions, List<double> PrecisionsAtK) Evaluate(BinaryCodeSet queries, IReadOnlyList<int> queryLabels,
        BinaryCodeSet gallery, IReadOnlyList<int> galleryLabels, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(galleryLabels);
        if (queries.Count == 0 || gallery.Count == 0)
        {
            throw new ArgumentException("Queries and gallery must not be empty.");
        }
        if (queries.Count != queryLabels.Count || gallery.Count != galleryLabels.Count)
        {
            throw new ArgumentException($"{queries.Count} queries with {queryLabels.Count} labels, {gallery.Count} gallery codes with {galleryLabels.Count} labels.");
        }
        if (queries.CodeLength != gallery.CodeLength)
        {
            throw new ArgumentException($"Queries have {queries.CodeLength} bits but the gallery {gallery.CodeLength}.");
        }
        var index = new HammingIndex(gallery.CodeLength);
        index.AddRange(Enumerable.Range(0, gallery.Count).Select(i => (long)i).ToArray(), gallery);
        var relevantPerLabel = galleryLabels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var aps = new List<double>();
        var precisions = new List<double>();
        for (int q = 0; q < queries.Count; q++)
        {
            IReadOnlyList<Neighbor> ranking = index.Search(queries[q], gallery.Count);
            int label = queryLabels[q];
            int relevant = relevantPerLabel.GetValueOrDefault(label);
            int hits = 0;
            double sum = 0;
            for (int rank = 0; rank < ranking.Count; rank++)
            {
                if (galleryLabels[(int)ranking[rank].Id] == label)
                {
                    hits++;
                    sum += (double)hits / (rank + 1);
                }
                if (k > 0 && rank == Math.Min(k, ranking.Count) - 1)
                {
                    precisions.Add((double)hits / (rank + 1));
                }
            }
            if (relevant > 0)
            {
                aps.Add(sum / relevant);
            }
        }
        return (aps, precisions);
    }
}
