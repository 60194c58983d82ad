using Dsh.Evaluation;
using Dsh.Hashing;

namespace Dsh.Tests.Evaluation;

public class RetrievalMetricsTests
{
    private static BinaryCodeSet Codes(params string[] bits) =>
        BinaryCodeSet.FromSigns(bits.SelectMany(b => b.Select(ch => ch == '1' ? 1f : -1f)).ToArray(), bits[0].Length);

    [Fact]
    public void HandComputedRanking()
    {
        // Query 0000 (label 0). Gallery distances: g0 = 1 (label 1), g1 = 0 (label 0), g2 = 2 (label 0), g3 = 4 (label 1).
        // Ranking g1, g0, g2, g3 → relevant at ranks 1 and 3: AP = (1/1 + 2/3) / 2 = 5/6; P@2 = 1/2.
        var gallery = Codes("10000000", "00000000", "11000000", "11110000");
        var queries = Codes("00000000");
        Assert.Equal(5.0 / 6, RetrievalMetrics.MeanAveragePrecision(queries, new[] { 0 }, gallery, new[] { 1, 0, 0, 1 }), 12);
        Assert.Equal(0.5, RetrievalMetrics.PrecisionAt(2, queries, new[] { 0 }, gallery, new[] { 1, 0, 0, 1 }), 12);
    }

    [Fact]
    public void TiesAreBrokenByGalleryId_AndPerfectCodesScoreOne()
    {
        var gallery = Codes("0000", "0000", "1111", "1111");
        var queries = Codes("0000", "1111");
        Assert.Equal(1.0, RetrievalMetrics.MeanAveragePrecision(queries, new[] { 0, 1 }, gallery, new[] { 0, 0, 1, 1 }), 12);
        // Equal distances: g0 (wrong) precedes g1 (right): AP = 1/2.
        Assert.Equal(0.5, RetrievalMetrics.MeanAveragePrecision(Codes("0000"), new[] { 1 }, Codes("0000", "0000"), new[] { 0, 1 }), 12);
    }

    [Fact]
    public void BadInput_Throws()
    {
        var g = Codes("0000", "1111");
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.MeanAveragePrecision(Codes("0000"), new[] { 0, 1 }, g, new[] { 0, 1 }));
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.MeanAveragePrecision(Codes("00000000"), new[] { 0 }, g, new[] { 0, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.PrecisionAt(0, Codes("0000"), new[] { 0 }, g, new[] { 0, 1 }));
    }
}
