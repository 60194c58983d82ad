using Dsh.Evaluation;
using Dsh.Hashing;
using static Dsh.Tests.Evaluation.EvaluationCodes;

namespace Dsh.Tests.Evaluation;

/// <summary>The tie-aware measures against brute force: the mean over every order of the tied items (each tie group permuted, groups in distance order).</summary>
public class TieAwareMeasuresTests
{
    [Fact]
    public void TwoWayTie_HandComputed()
    {
        // Groups: {irrelevant}, {irrelevant, relevant}, {relevant}. Orders: ranks 3, 4 → AP 5/12; ranks 2, 4 → 1/2.
        Assert.Equal(11.0 / 24, TieAwareMeasures.AveragePrecision([1, 2, 1], [0, 1, 1]), 12);
        Assert.Equal(0.5, TieAwareMeasures.ExpectedHitsAt(2, [1, 2, 1], [0, 1, 1]), 12);
        Assert.Equal(2.0, TieAwareMeasures.ExpectedHitsAt(10, [1, 2, 1], [0, 1, 1]), 12);
        // One group of 3 with 2 relevant: patterns RRN (AP 1), RNR ((1 + 2/3)/2 = 5/6), NRR ((1/2 + 2/3)/2 = 7/12),
        // each from 2 of the 6 orders → 29/36.
        Assert.Equal(29.0 / 36, TieAwareMeasures.AveragePrecision([3], [2]), 12);
        Assert.Equal(0, TieAwareMeasures.AveragePrecision([3, 1], [0, 0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Evaluate_EqualsTheMeanOverAllTieOrders(int seed)
    {
        var rng = new Random(seed);
        int bits = rng.Next(2, 4); // 2 or 3 bits: many ties
        int n = rng.Next(3, 9);    // 3 to 8 items
        BinaryCodeSet gallery = RandomCodes(rng, n, bits);
        BinaryCodeSet queries = RandomCodes(rng, 4, bits);
        int[] galleryLabels = Enumerable.Range(0, n).Select(_ => rng.Next(3)).ToArray();
        int[] queryLabels = Enumerable.Range(0, 4).Select(_ => rng.Next(3)).ToArray();
        int k = rng.Next(1, n + 1);

        double apSum = 0, precisionSum = 0, recallSum = 0;
        int withRelevant = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            int[] distances = Enumerable.Range(0, n).Select(i => BinaryCode.Distance(queries[q], gallery[i])).ToArray();
            bool[] relevant = galleryLabels.Select(l => l == queryLabels[q]).ToArray();
            int total = relevant.Count(r => r);
            var (ap, hits) = MeanOverTieOrders(distances, relevant, k);
            precisionSum += hits / k;
            if (total > 0)
            {
                withRelevant++;
                apSum += ap;
                recallSum += hits / total;
            }
        }

        RetrievalReport report = RetrievalEvaluation.Evaluate(queries, queryLabels, gallery, galleryLabels, new RetrievalEvaluationOptions { K = k, MeasureSearchTime = false });
        Assert.Equal(withRelevant == 0 ? 0 : apSum / withRelevant, report.TieAwareMapAll, 12);
        Assert.Equal(withRelevant == 0 ? 0 : recallSum / withRelevant, report.TieAwareRecallAtK, 12);
        Assert.Equal(precisionSum / queries.Count, report.TieAwarePrecisionAtK, 12);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(30)]
    public void AveragePrecision_EqualsTheMeanOverAllOrders_OfRandomGroups(int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 20; trial++)
        {
            int groups = rng.Next(1, 5);
            int[] sizes = Enumerable.Range(0, groups).Select(_ => rng.Next(1, 4)).ToArray();
            int[] relevant = sizes.Select(s => rng.Next(0, s + 1)).ToArray();
            if (relevant.Sum() == 0)
            {
                continue;
            }

            // Items as (group, relevant); every order that keeps groups in sequence.
            int[] distances = sizes.SelectMany((s, g) => Enumerable.Repeat(g, s)).ToArray();
            bool[] isRelevant = sizes.SelectMany((s, g) => Enumerable.Range(0, s).Select(i => i < relevant[g])).ToArray();
            int k = rng.Next(1, distances.Length + 1);
            var (ap, hits) = MeanOverTieOrders(distances, isRelevant, k);
            Assert.Equal(ap, TieAwareMeasures.AveragePrecision(sizes, relevant), 12);
            Assert.Equal(hits, TieAwareMeasures.ExpectedHitsAt(k, sizes, relevant), 12);
        }
    }

    /// <summary>Mean AP and mean hits in the first k over every ranking by distance: each order of each tie group, once.</summary>
    private static (double AveragePrecision, double HitsAtK) MeanOverTieOrders(int[] distances, bool[] relevant, int k)
    {
        int total = relevant.Count(r => r);
        int[][] groups = Enumerable.Range(0, distances.Length).GroupBy(i => distances[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        double apSum = 0, hitsSum = 0;
        int orders = 0;
        foreach (int[] order in Orders(groups, 0))
        {
            orders++;
            int hits = 0;
            double precisions = 0;
            for (int rank = 1; rank <= order.Length; rank++)
            {
                if (relevant[order[rank - 1]])
                {
                    hits++;
                    precisions += (double)hits / rank;
                }

                if (rank == k)
                {
                    hitsSum += hits;
                }
            }

            apSum += total == 0 ? 0 : precisions / total;
        }

        return (apSum / orders, hitsSum / orders);
    }

    /// <summary>Every concatenation of one permutation of each group, groups <paramref name="first"/>.. in sequence.</summary>
    private static IEnumerable<int[]> Orders(int[][] groups, int first)
    {
        if (first == groups.Length)
        {
            yield return [];
            yield break;
        }

        foreach (int[] head in Permutations(groups[first]))
        {
            foreach (int[] tail in Orders(groups, first + 1))
            {
                yield return [.. head, .. tail];
            }
        }
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (int i = 0; i < items.Length; i++)
        {
            int[] rest = items.Where((_, j) => j != i).ToArray();
            foreach (int[] tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
