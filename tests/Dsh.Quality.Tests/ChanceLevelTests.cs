using Dsh.Evaluation;
using Dsh.Quality.Pacs;

namespace Dsh.Quality.Tests;

public class ChanceLevelTests
{
    /// <summary>The exact mean AP over every ordering of a gallery of <paramref name="n"/> items, <paramref name="r"/> relevant.</summary>
    private static double BruteForceExpectedAp(int r, int n)
    {
        // Every placement of the R relevant items among N ranks is equally likely: enumerate the subsets.
        double sum = 0;
        int count = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != r)
            {
                continue;
            }
            double ap = 0;
            int hits = 0;
            for (int k = 0; k < n; k++)
            {
                if ((mask >> k & 1) == 1)
                {
                    hits++;
                    ap += hits / (double)(k + 1);
                }
            }
            sum += ap / r;
            count++;
        }
        return sum / count;
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 5)]
    [InlineData(2, 5)]
    [InlineData(3, 7)]
    [InlineData(5, 12)]
    [InlineData(12, 12)]
    public void Expected_average_precision_matches_enumeration(int relevant, int gallery)
    {
        Assert.Equal(BruteForceExpectedAp(relevant, gallery), ChanceLevel.ExpectedAveragePrecision(relevant, gallery), 12);
    }

    [Fact]
    public void One_relevant_item_in_two_is_three_quarters()
    {
        Assert.Equal(0.75, ChanceLevel.ExpectedAveragePrecision(1, 2), 12); // AP 1 or 1/2
    }

    [Fact]
    public void Random_codes_score_the_expected_average_precision()
    {
        // 200 queries against a 60-item gallery of 3 categories, 16-bit random codes (ties broken by gallery order,
        // which is as random as the codes): the mean AP lands within a few hundredths of the formula.
        int[] galleryLabels = Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : (i % 5 == 0 ? 1 : 2)).ToArray();
        int[] queryLabels = Enumerable.Range(0, 400).Select(i => i % 3).ToArray();
        var random = new Random(11);
        var report = RetrievalEvaluation.Evaluate(RandomCodes.Draw(queryLabels.Length, 16, random), queryLabels,
            RandomCodes.Draw(galleryLabels.Length, 16, random), galleryLabels, new RetrievalEvaluationOptions { MeasureSearchTime = false });
        double expected = ChanceLevel.ExpectedMeanAveragePrecision(queryLabels, galleryLabels);
        Assert.InRange(report.MapAll, expected - 0.03, expected + 0.03);
        Assert.InRange(report.TieAwareMapAll, expected - 0.03, expected + 0.03);
    }

    [Fact]
    public void Relevant_fraction_and_precision_ceiling_follow_the_gallery_counts()
    {
        int[] gallery = [0, 0, 0, 1];
        int[] queries = [0, 1];
        Assert.Equal((0.75 + 0.25) / 2, ChanceLevel.RelevantFraction(queries, gallery), 12);
        Assert.Equal((2.0 / 2 + 1.0 / 2) / 2, ChanceLevel.PrecisionCeiling(2, queries, gallery), 12);
    }

    [Fact]
    public void Rejects_impossible_counts()
    {
        Assert.ThrowsAny<ArgumentException>(() => ChanceLevel.ExpectedAveragePrecision(0, 5));
        Assert.ThrowsAny<ArgumentException>(() => ChanceLevel.ExpectedAveragePrecision(6, 5));
    }
}
