using Dsh.Hashing;

namespace Dsh.Evaluation;

/// <summary>
/// Scores sketch queries against a gallery through a two-stage search (<see cref="GalleryRanking"/>): mAP@all and
/// P@10 with category relevance, and instance measures (acc@1, acc@10, median rank of the query's own photo) for
/// queries whose group matches a gallery item's — PACS and Sketchy sketches named after the photo they were drawn
/// from (<see cref="Dsh.Data.SbirItem.Group"/>). With <see cref="RerankMode.None"/> the mAP equals
/// <see cref="RetrievalEvaluation"/>'s (ties in gallery order).
/// </summary>
public static class RankedRetrievalEvaluation
{
    /// <summary>Evaluates every query.</summary>
    /// <param name="queries">Query codes.</param>
    /// <param name="queryEmbeddings">Query embeddings (null when <paramref name="mode"/> is None).</param>
    /// <param name="queryLabels">Query categories.</param>
    /// <param name="queryGroups">Query groups (null entries, or a null list, for none).</param>
    /// <param name="gallery">Gallery codes.</param>
    /// <param name="galleryEmbeddings">Gallery embeddings, for <see cref="RerankMode.Embeddings"/>.</param>
    /// <param name="galleryLabels">Gallery categories.</param>
    /// <param name="galleryGroups">Gallery groups (null entries, or a null list, for none).</param>
    /// <param name="mode">The second stage.</param>
    /// <param name="depth">How many first Hamming candidates the second stage re-orders.</param>
    /// <param name="cancellationToken">Checked between queries.</param>
    /// <exception cref="ArgumentException">Lists of different lengths, an empty query list or gallery, or a missing embedding.</exception>
    public static RankedRetrievalReport Evaluate(BinaryCodeSet queries, IReadOnlyList<float[]>? queryEmbeddings, IReadOnlyList<int> queryLabels,
        IReadOnlyList<string?>? queryGroups, BinaryCodeSet gallery, IReadOnlyList<float[]>? galleryEmbeddings, IReadOnlyList<int> galleryLabels,
        IReadOnlyList<string?>? galleryGroups, RerankMode mode, int depth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(galleryLabels);
        if (queries.Count == 0 || gallery.Count == 0)
        {
            throw new ArgumentException("Evaluation needs at least one query and one gallery item.", queries.Count == 0 ? nameof(queries) : nameof(gallery));
        }
        SameCount(queries.Count, queryLabels.Count, nameof(queryLabels));
        SameCount(queries.Count, queryEmbeddings?.Count, nameof(queryEmbeddings));
        SameCount(queries.Count, queryGroups?.Count, nameof(queryGroups));
        SameCount(gallery.Count, galleryLabels.Count, nameof(galleryLabels));
        SameCount(gallery.Count, galleryEmbeddings?.Count, nameof(galleryEmbeddings));
        SameCount(gallery.Count, galleryGroups?.Count, nameof(galleryGroups));

        var targets = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int g = 0; g < gallery.Count; g++)
        {
            if (galleryGroups?[g] is { } group)
            {
                (targets.TryGetValue(group, out var list) ? list : targets[group] = []).Add(g);
            }
        }
        double apSum = 0, p10Sum = 0;
        int withRelevant = 0;
        var targetRanks = new List<int>();
        for (int q = 0; q < queries.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] ranking = GalleryRanking.Rank(queries[q], queryEmbeddings?[q], gallery, galleryEmbeddings, mode, depth);
            int label = queryLabels[q];
            bool Relevant(int g) => galleryLabels[g] == label;
            if (galleryLabels.Contains(label))
            {
                withRelevant++;
                apSum += RankedListMeasures.AveragePrecision(ranking, Relevant);
            }
            p10Sum += RankedListMeasures.PrecisionAt(10, ranking, Relevant);
            if (queryGroups?[q] is { } group && targets.TryGetValue(group, out var own))
            {
                targetRanks.Add(RankedListMeasures.FirstTargetRank(ranking, own.Contains)!.Value);
            }
        }
        int n = targetRanks.Count;
        targetRanks.Sort();
        return new RankedRetrievalReport
        {
            Rerank = mode,
            Depth = depth,
            Queries = queries.Count,
            MapAll = withRelevant == 0 ? 0 : apSum / withRelevant,
            PrecisionAt10 = p10Sum / queries.Count,
            InstanceQueries = n,
            AccuracyAt1 = n == 0 ? null : targetRanks.Count(r => r <= 1) / (double)n,
            AccuracyAt10 = n == 0 ? null : targetRanks.Count(r => r <= 10) / (double)n,
            MedianTargetRank = n == 0 ? null : n % 2 == 1 ? targetRanks[n / 2] : (targetRanks[n / 2 - 1] + targetRanks[n / 2]) / 2.0,
        };
    }

    private static void SameCount(int expected, int? actual, string parameter)
    {
        if (actual is { } a && a != expected)
        {
            throw new ArgumentException($"{parameter} has {a} entries; {expected} are needed (one an item).", parameter);
        }
    }
}
