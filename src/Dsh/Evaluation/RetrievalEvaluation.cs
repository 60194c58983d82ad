using System.Diagnostics;
using Dsh.Hashing;

namespace Dsh.Evaluation;

/// <summary>
/// Evaluates Hamming ranking of query codes against gallery codes with category labels (a gallery item is relevant
/// when its label equals the query's): mAP@all, precision@K and recall@K (each with ties in gallery order and
/// tie-aware), the Hamming-radius precision–recall curve, search time and code memory. See docs/evaluation.md.
/// </summary>
public static class RetrievalEvaluation
{
    /// <summary>Progress is reported about this many times (and once at the end).</summary>
    private const int ProgressSteps = 100;

    /// <summary>
    /// Scores every query against the whole gallery in O(queries · gallery · words) without sorting, then (unless
    /// <see cref="RetrievalEvaluationOptions.MeasureSearchTime"/> is false) times a top-K
    /// <see cref="HammingIndex"/> search of each query on the calling thread.
    /// </summary>
    /// <param name="queries">Query codes (for example sketches).</param>
    /// <param name="queryLabels">Label of each query (any int; only equality matters).</param>
    /// <param name="gallery">Gallery codes (for example photos); gallery item i is code i.</param>
    /// <param name="galleryLabels">Label of each gallery item.</param>
    /// <param name="options">K and timing; null for the defaults (K = 200).</param>
    /// <param name="progress">Receives the number of queries scored so far.</param>
    /// <param name="cancellationToken">Checked between queries.</param>
    /// <exception cref="ArgumentException">A set is empty, counts or code lengths disagree, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static RetrievalReport Evaluate(BinaryCodeSet queries, IReadOnlyList<int> queryLabels, BinaryCodeSet gallery, IReadOnlyList<int> galleryLabels,
        RetrievalEvaluationOptions? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(galleryLabels);
        options = (options ?? new RetrievalEvaluationOptions()).Validated();
        if (queries.Count == 0)
        {
            throw new ArgumentException("There are no query codes; evaluation needs at least one query.", nameof(queries));
        }
        if (gallery.Count == 0)
        {
            throw new ArgumentException("There are no gallery codes; evaluation needs at least one gallery item.", nameof(gallery));
        }
        if (queries.Count != queryLabels.Count)
        {
            throw new ArgumentException($"{queries.Count} query codes but {queryLabels.Count} query labels; give one label a query.", nameof(queryLabels));
        }
        if (gallery.Count != galleryLabels.Count)
        {
            throw new ArgumentException($"{gallery.Count} gallery codes but {galleryLabels.Count} gallery labels; give one label a gallery item.", nameof(galleryLabels));
        }
        if (queries.CodeLength != gallery.CodeLength)
        {
            throw new ArgumentException($"Query codes have {queries.CodeLength} bits but gallery codes {gallery.CodeLength}; both must come from the same hash.", nameof(gallery));
        }

        int k = Math.Min(options.K, gallery.Count);
        var scorer = new QueryScorer(gallery, galleryLabels.ToArray(), k);
        var curve = new PrecisionRecallCurveBuilder(gallery.CodeLength);
        double apSum = 0, tieAwareApSum = 0, precisionSum = 0, tieAwarePrecisionSum = 0, recallSum = 0, tieAwareRecallSum = 0;
        int withoutRelevant = 0;
        int step = Math.Max(1, queries.Count / ProgressSteps);
        for (int q = 0; q < queries.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            QueryScores s = scorer.Score(queries.GetWords(q), queryLabels[q]);
            curve.Add(scorer.GroupSizes, scorer.GroupRelevant);
            precisionSum += (double)s.HitsAtK / k;
            tieAwarePrecisionSum += s.ExpectedHitsAtK / k;
            if (s.Relevant == 0)
            {
                withoutRelevant++;
            }
            else
            {
                apSum += s.AveragePrecision;
                tieAwareApSum += s.TieAwareAveragePrecision;
                recallSum += (double)s.HitsAtK / s.Relevant;
                tieAwareRecallSum += s.ExpectedHitsAtK / s.Relevant;
            }

            if ((q + 1) % step == 0 || q + 1 == queries.Count)
            {
                progress?.Report(q + 1);
            }
        }

        int withRelevant = queries.Count - withoutRelevant;
        double Mean(double sum, int count) => count == 0 ? 0 : sum / count;
        return new RetrievalReport
        {
            Queries = queries.Count,
            GalleryCount = gallery.Count,
            Bits = gallery.CodeLength,
            QueriesWithoutRelevant = withoutRelevant,
            MapAll = Mean(apSum, withRelevant),
            TieAwareMapAll = Mean(tieAwareApSum, withRelevant),
            K = k,
            PrecisionAtK = precisionSum / queries.Count,
            RecallAtK = Mean(recallSum, withRelevant),
            TieAwarePrecisionAtK = tieAwarePrecisionSum / queries.Count,
            TieAwareRecallAtK = Mean(tieAwareRecallSum, withRelevant),
            PrecisionRecallCurve = curve.Build(),
            MeanSearchMilliseconds = options.MeasureSearchTime ? MeanSearchMilliseconds(queries, gallery, k, options.SearchIndex, cancellationToken) : null,
            BytesPerGalleryItem = gallery.WordsPerCode * sizeof(ulong),
            PackedBytesPerGalleryItem = (gallery.CodeLength + 7) / 8,
        };
    }

    /// <summary>Mean wall time of <c>HammingIndex.Search(query, k)</c> over the queries, after one untimed warm-up search.</summary>
    private static double MeanSearchMilliseconds(BinaryCodeSet queries, BinaryCodeSet gallery, int k, Func<int, IHammingIndex>? newIndex,
        CancellationToken cancellationToken)
    {
        IHammingIndex index = newIndex?.Invoke(gallery.CodeLength) ?? new HammingIndex(gallery.CodeLength);
        if (index.CodeLength != gallery.CodeLength || index.Count != 0)
        {
            throw new ArgumentException(
                $"RetrievalEvaluationOptions.SearchIndex must make an empty index of {gallery.CodeLength}-bit codes; it made one of {index.CodeLength} bits holding {index.Count} codes.");
        }
        var ids = new long[gallery.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i;
        }

        index.AddRange(ids, gallery);
        index.Search(queries[0], k);
        long ticks = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BinaryCode query = queries[q];
            long start = Stopwatch.GetTimestamp();
            index.Search(query, k);
            ticks += Stopwatch.GetTimestamp() - start;
        }

        return ticks * 1000.0 / Stopwatch.Frequency / queries.Count;
    }
}
