using System.Numerics;
using Dsh.Hashing;

namespace Dsh.Evaluation;

/// <summary>
/// Scores one query against the whole gallery in O(gallery · words): Hamming distances, then the tie groups
/// (items and relevant items at each distance 0..bits). Ranking by distance with ties in gallery order is a stable
/// counting sort by distance, so an item's rank is (items at smaller distances) + (its place among the items at its
/// distance, in gallery order) and nothing is sorted. Reuses its buffers: one instance per thread.
/// </summary>
internal sealed class QueryScorer
{
    private readonly ulong[] _gallery;
    private readonly int _wordsPerCode;
    private readonly int[] _labels;
    private readonly int _k;
    private readonly int[] _distances;
    private readonly int[] _sizes;
    private readonly int[] _relevant;
    private readonly int[] _seen;
    private readonly int[] _relevantSeen;
    private readonly long[] _before;
    private readonly long[] _relevantBefore;

    /// <param name="gallery">The gallery codes.</param>
    /// <param name="galleryLabels">A label a gallery item.</param>
    /// <param name="k">The precision/recall cut-off, 1 to the gallery size.</param>
    public QueryScorer(BinaryCodeSet gallery, int[] galleryLabels, int k)
    {
        _gallery = gallery.Words.ToArray();
        _wordsPerCode = gallery.WordsPerCode;
        _labels = galleryLabels;
        _k = k;
        _distances = new int[gallery.Count];
        int groups = gallery.CodeLength + 1;
        _sizes = new int[groups];
        _relevant = new int[groups];
        _seen = new int[groups];
        _relevantSeen = new int[groups];
        _before = new long[groups];
        _relevantBefore = new long[groups];
    }

    /// <summary>Gallery items at each distance 0..bits, for the last query scored.</summary>
    public ReadOnlySpan<int> GroupSizes => _sizes;

    /// <summary>Relevant gallery items at each distance 0..bits, for the last query scored.</summary>
    public ReadOnlySpan<int> GroupRelevant => _relevant;

    /// <summary>Scores a query.</summary>
    /// <param name="query">The query's words (same length as a gallery row).</param>
    /// <param name="label">The query's label; a gallery item is relevant when its label is equal.</param>
    public QueryScores Score(ReadOnlySpan<ulong> query, int label)
    {
        ComputeDistances(query);
        Array.Clear(_sizes);
        Array.Clear(_relevant);
        int[] distances = _distances;
        int[] labels = _labels;
        for (int i = 0; i < distances.Length; i++)
        {
            int d = distances[i];
            _sizes[d]++;
            if (labels[i] == label)
            {
                _relevant[d]++;
            }
        }

        long before = 0;
        long relevantBefore = 0;
        for (int d = 0; d < _sizes.Length; d++)
        {
            _before[d] = before;
            _relevantBefore[d] = relevantBefore;
            before += _sizes[d];
            relevantBefore += _relevant[d];
        }

        // Ties in gallery order: walk the gallery once; item i is the j-th of its group and the m-th relevant one.
        Array.Clear(_seen);
        Array.Clear(_relevantSeen);
        double precisionSum = 0;
        int hitsAtK = 0;
        for (int i = 0; i < distances.Length; i++)
        {
            int d = distances[i];
            long rank = _before[d] + ++_seen[d];
            if (labels[i] == label)
            {
                precisionSum += (double)(_relevantBefore[d] + ++_relevantSeen[d]) / rank;
                if (rank <= _k)
                {
                    hitsAtK++;
                }
            }
        }

        int relevantTotal = (int)relevantBefore;
        return new QueryScores(
            relevantTotal,
            relevantTotal == 0 ? 0 : precisionSum / relevantTotal,
            TieAwareMeasures.AveragePrecision(_sizes, _relevant),
            hitsAtK,
            TieAwareMeasures.ExpectedHitsAt(_k, _sizes, _relevant));
    }

    private void ComputeDistances(ReadOnlySpan<ulong> query)
    {
        ulong[] gallery = _gallery;
        int[] distances = _distances;
        if (_wordsPerCode == 1)
        {
            ulong q = query[0];
            for (int i = 0; i < distances.Length; i++)
            {
                distances[i] = BitOperations.PopCount(q ^ gallery[i]);
            }

            return;
        }

        int w = _wordsPerCode;
        for (int i = 0, row = 0; i < distances.Length; i++, row += w)
        {
            int d = 0;
            for (int j = 0; j < w; j++)
            {
                d += BitOperations.PopCount(query[j] ^ gallery[row + j]);
            }

            distances[i] = d;
        }
    }
}

/// <summary>One query's scores.</summary>
/// <param name="Relevant">Relevant gallery items.</param>
/// <param name="AveragePrecision">AP with ties in gallery order; 0 when nothing is relevant.</param>
/// <param name="TieAwareAveragePrecision">AP expected over all orders of tied items; 0 when nothing is relevant.</param>
/// <param name="HitsAtK">Relevant items among the first K, ties in gallery order.</param>
/// <param name="ExpectedHitsAtK">Relevant items among the first K, expected over all orders of tied items.</param>
internal readonly record struct QueryScores(int Relevant, double AveragePrecision, double TieAwareAveragePrecision, int HitsAtK, double ExpectedHitsAtK);
