using Dsh.Evaluation;
using Dsh.Hashing;
using static Dsh.Tests.Evaluation.EvaluationCodes;

namespace Dsh.Tests.Evaluation;

public class RetrievalEvaluationTests
{
    // Gallery (4 bits): g0 = 1000 (label 1), g1 = 0100 (label 0), g2 = 0000 (label 1), g3 = 1110 (label 0).
    // q0 = 0000, label 0: distances g0 1, g1 1, g2 0, g3 3 → ranking g2, g0 | g1 (g0, g1 tied), g3; relevant g1, g3.
    //   Gallery order: relevant at ranks 3, 4 → AP = (1/3 + 2/4)/2 = 5/12.
    //   Other tie order (g1 first): ranks 2, 4 → AP = 1/2. Tie-aware AP = (5/12 + 1/2)/2 = 11/24.
    // q1 = 1111, label 0: distances g0 3, g1 3, g2 4, g3 1 → ranking g3, g0 | g1 (tied), g2; relevant g3, g1.
    //   Gallery order: ranks 1, 3 → AP = (1 + 2/3)/2 = 5/6; other order: ranks 1, 2 → 1. Tie-aware = 11/12.
    private static readonly BinaryCodeSet Gallery = Parse("1000", "0100", "0000", "1110");
    private static readonly int[] GalleryLabels = [1, 0, 1, 0];
    private static readonly BinaryCodeSet Queries = Parse("0000", "1111");
    private static readonly int[] QueryLabels = [0, 0];

    private static RetrievalReport Evaluate(int k = 200, BinaryCodeSet? queries = null, int[]? queryLabels = null) =>
        RetrievalEvaluation.Evaluate(queries ?? Queries, queryLabels ?? QueryLabels, Gallery, GalleryLabels, new RetrievalEvaluationOptions { K = k, MeasureSearchTime = false });

    [Fact]
    public void SearchTime_IsMeasuredOnTheIndexTheOptionsMake_AndScoresDoNotDependOnIt()
    {
        var made = new List<IHammingIndex>();
        RetrievalReport flat = RetrievalEvaluation.Evaluate(Queries, QueryLabels, Gallery, GalleryLabels, new RetrievalEvaluationOptions { K = 3 });
        RetrievalReport mih = RetrievalEvaluation.Evaluate(Queries, QueryLabels, Gallery, GalleryLabels, new RetrievalEvaluationOptions
        {
            K = 3,
            SearchIndex = bits =>
            {
                var index = new MultiIndexHashIndex(bits);
                made.Add(index);
                return index;
            },
        });
        Assert.Equal(flat.MapAll, mih.MapAll);
        Assert.NotNull(mih.MeanSearchMilliseconds);
        Assert.Equal(Gallery.Count, Assert.Single(made).Count);
        var wrong = new RetrievalEvaluationOptions { SearchIndex = bits => new HammingIndex(bits + 1) };
        Assert.Contains("SearchIndex", Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Queries, QueryLabels, Gallery, GalleryLabels, wrong)).Message);
    }

    [Fact]
    public void MapAll_AndTieAwareMapAll_HandComputed()
    {
        RetrievalReport report = Evaluate();
        Assert.Equal((5.0 / 12 + 5.0 / 6) / 2, report.MapAll, 12);
        Assert.Equal((11.0 / 24 + 11.0 / 12) / 2, report.TieAwareMapAll, 12);
        Assert.Equal(2, report.Queries);
        Assert.Equal(4, report.GalleryCount);
        Assert.Equal(4, report.Bits);
        Assert.Equal(0, report.QueriesWithoutRelevant);
    }

    [Fact]
    public void PrecisionAndRecallAtK_HandComputed_WithTheTieCutByK()
    {
        // K = 2: q0's first two are g2, g0 (0 hits); q1's are g3, g0 (1 hit of 2 relevant).
        // Tie-aware: K cuts the tie group {g0, g1} (1 of 2 relevant) after one place: q0 expects 0.5 hits, q1 1 + 0.5.
        RetrievalReport report = Evaluate(k: 2);
        Assert.Equal(2, report.K);
        Assert.Equal((0 + 1.0 / 2) / 2, report.PrecisionAtK, 12);
        Assert.Equal((0 + 1.0 / 2) / 2, report.RecallAtK, 12);
        Assert.Equal((0.5 / 2 + 1.5 / 2) / 2, report.TieAwarePrecisionAtK, 12);
        Assert.Equal((0.5 / 2 + 1.5 / 2) / 2, report.TieAwareRecallAtK, 12);

        // K = 3 ends after the tie group: both rules agree (q0 1 hit, q1 2 hits).
        RetrievalReport three = Evaluate(k: 3);
        Assert.Equal((1.0 / 3 + 2.0 / 3) / 2, three.PrecisionAtK, 12);
        Assert.Equal(three.PrecisionAtK, three.TieAwarePrecisionAtK, 12);
        Assert.Equal((1.0 / 2 + 1) / 2, three.RecallAtK, 12);
        Assert.Equal(three.RecallAtK, three.TieAwareRecallAtK, 12);
    }

    [Fact]
    public void KAboveTheGallerySize_IsCapped()
    {
        RetrievalReport report = Evaluate(k: 10);
        Assert.Equal(4, report.K);
        Assert.Equal(0.5, report.PrecisionAtK, 12);
        Assert.Equal(1.0, report.RecallAtK, 12);
        Assert.Equal(0.5, report.TieAwarePrecisionAtK, 12);
        Assert.Equal(1.0, report.TieAwareRecallAtK, 12);
    }

    [Fact]
    public void PrecisionRecallCurve_HandComputed()
    {
        // Within radius r: q0 retrieves 1, 3, 3, 4, 4 items with 0, 1, 1, 2, 2 hits; q1 retrieves 0, 1, 1, 3, 4 with 0, 1, 1, 2, 2.
        // Precision is averaged over queries that retrieve something (only q0 at r = 0); recall over both.
        IReadOnlyList<PrecisionRecallPoint> curve = Evaluate().PrecisionRecallCurve;
        Assert.Equal(5, curve.Count);
        Assert.Equal(Enumerable.Range(0, 5), curve.Select(p => p.Radius));
        double[] precision = [0, (1.0 / 3 + 1) / 2, (1.0 / 3 + 1) / 2, (1.0 / 2 + 2.0 / 3) / 2, 0.5];
        double[] recall = [0, 0.5, 0.5, 1, 1];
        double[] retrieved = [0.5, 2, 2, 3.5, 4];
        int[] withResults = [1, 2, 2, 2, 2];
        for (int r = 0; r < 5; r++)
        {
            Assert.Equal(precision[r], curve[r].Precision, 12);
            Assert.Equal(recall[r], curve[r].Recall, 12);
            Assert.Equal(retrieved[r], curve[r].MeanRetrieved, 12);
            Assert.Equal(withResults[r], curve[r].QueriesWithResults);
        }
    }

    [Fact]
    public void QueriesWithoutRelevantItems_AreLeftOutOfMapAndRecall_AndScoreZeroInPrecision()
    {
        RetrievalReport report = Evaluate(k: 2, queries: Parse("0000", "1111", "0011"), queryLabels: [0, 0, 7]);
        Assert.Equal(1, report.QueriesWithoutRelevant);
        Assert.Equal((5.0 / 12 + 5.0 / 6) / 2, report.MapAll, 12);
        Assert.Equal((11.0 / 24 + 11.0 / 12) / 2, report.TieAwareMapAll, 12);
        Assert.Equal((0 + 1.0 / 2) / 2, report.RecallAtK, 12);
        Assert.Equal((0 + 1.0 / 2 + 0) / 3, report.PrecisionAtK, 12);
        Assert.Equal((0.25 + 0.75 + 0) / 3, report.TieAwarePrecisionAtK, 12);

        RetrievalReport none = Evaluate(queries: Parse("0000"), queryLabels: [7]);
        Assert.Equal(1, none.QueriesWithoutRelevant);
        Assert.Equal(0, none.MapAll);
        Assert.Equal(0, none.TieAwareMapAll);
        Assert.Equal(0, none.RecallAtK);
        Assert.All(none.PrecisionRecallCurve, p => Assert.Equal(0, p.Recall));
    }

    [Theory]
    [InlineData(1, 64, 200)]
    [InlineData(2, 100, 50)]
    [InlineData(3, 6, 1000)]
    public void AgreesWithRetrievalMetrics(int seed, int bits, int k)
    {
        var rng = new Random(seed);
        BinaryCodeSet queries = RandomCodes(rng, 40, bits), gallery = RandomCodes(rng, 300, bits);
        int[] queryLabels = Enumerable.Range(0, 40).Select(_ => rng.Next(6)).ToArray();
        int[] galleryLabels = Enumerable.Range(0, 300).Select(_ => rng.Next(5)).ToArray(); // label 5 has no gallery item

        RetrievalReport report = RetrievalEvaluation.Evaluate(queries, queryLabels, gallery, galleryLabels, new RetrievalEvaluationOptions { K = k });
        Assert.Equal(RetrievalMetrics.MeanAveragePrecision(queries, queryLabels, gallery, galleryLabels), report.MapAll, 12);
        Assert.Equal(RetrievalMetrics.PrecisionAt(k, queries, queryLabels, gallery, galleryLabels), report.PrecisionAtK, 12);
        Assert.Equal(queryLabels.Count(l => l == 5), report.QueriesWithoutRelevant);
    }

    [Fact]
    public void TieAwareMeasures_DoNotDependOnGalleryOrder()
    {
        var rng = new Random(11);
        BinaryCodeSet queries = RandomCodes(rng, 30, 5), gallery = RandomCodes(rng, 200, 5);
        int[] queryLabels = Enumerable.Range(0, 30).Select(_ => rng.Next(4)).ToArray();
        int[] galleryLabels = Enumerable.Range(0, 200).Select(_ => rng.Next(4)).ToArray();
        int[] order = Enumerable.Range(0, 200).OrderBy(_ => rng.Next()).ToArray();
        var options = new RetrievalEvaluationOptions { K = 37, MeasureSearchTime = false };

        RetrievalReport a = RetrievalEvaluation.Evaluate(queries, queryLabels, gallery, galleryLabels, options);
        RetrievalReport b = RetrievalEvaluation.Evaluate(queries, queryLabels, Reorder(gallery, order), order.Select(i => galleryLabels[i]).ToArray(), options);
        Assert.Equal(a.TieAwareMapAll, b.TieAwareMapAll, 12);
        Assert.Equal(a.TieAwarePrecisionAtK, b.TieAwarePrecisionAtK, 12);
        Assert.Equal(a.TieAwareRecallAtK, b.TieAwareRecallAtK, 12);
        for (int r = 0; r <= 5; r++)
        {
            Assert.Equal(a.PrecisionRecallCurve[r].Precision, b.PrecisionRecallCurve[r].Precision, 12);
            Assert.Equal(a.PrecisionRecallCurve[r].Recall, b.PrecisionRecallCurve[r].Recall, 12);
        }
        Assert.NotEqual(a.MapAll, b.MapAll, 12); // 5-bit codes tie a lot: the gallery-order rule moves
    }

    [Fact]
    public void PerfectCodes_ScoreOne()
    {
        RetrievalReport report = RetrievalEvaluation.Evaluate(Parse("0000", "1111"), [0, 1], Parse("0000", "1111", "0000", "1111"), [0, 1, 0, 1],
            new RetrievalEvaluationOptions { K = 2 });
        Assert.Equal(1.0, report.MapAll, 12);
        Assert.Equal(1.0, report.TieAwareMapAll, 12);
        Assert.Equal(1.0, report.PrecisionAtK, 12);
        Assert.Equal(1.0, report.TieAwareRecallAtK, 12);
    }

    [Fact]
    public void SearchTime_EncodeTime_AndMemory()
    {
        RetrievalReport timed = RetrievalEvaluation.Evaluate(Queries, QueryLabels, Gallery, GalleryLabels);
        Assert.True(timed.MeanSearchMilliseconds is >= 0.0);
        Assert.False(timed.MeanEncodeMilliseconds.HasValue);
        Assert.False(timed.MeanQueryMilliseconds.HasValue);
        Assert.Equal(8, timed.BytesPerGalleryItem);
        Assert.Equal(1, timed.PackedBytesPerGalleryItem);

        RetrievalReport withEncode = timed.WithEncodeTime(TimeSpan.FromMilliseconds(50), 10);
        Assert.Equal(5.0, withEncode.MeanEncodeMilliseconds!.Value, 9);
        Assert.Equal(5.0 + timed.MeanSearchMilliseconds!.Value, withEncode.MeanQueryMilliseconds!.Value, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => timed.WithEncodeTime(TimeSpan.FromSeconds(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => timed.WithEncodeTime(TimeSpan.FromSeconds(-1), 1));

        Assert.False(Evaluate().MeanSearchMilliseconds.HasValue);
        var rng = new Random(5);
        RetrievalReport wide = RetrievalEvaluation.Evaluate(RandomCodes(rng, 3, 100), [0, 1, 2], RandomCodes(rng, 5, 100), [0, 1, 2, 0, 1]);
        Assert.Equal(16, wide.BytesPerGalleryItem);
        Assert.Equal(13, wide.PackedBytesPerGalleryItem);
        Assert.Equal(101, wide.PrecisionRecallCurve.Count);
    }

    [Fact]
    public void Progress_CountsQueries_AndCancellationStops()
    {
        var rng = new Random(3);
        BinaryCodeSet queries = RandomCodes(rng, 250, 16);
        int[] labels = new int[250];
        var seen = new List<int>();
        RetrievalEvaluation.Evaluate(queries, labels, Gallery16(), [0, 1, 0], new RetrievalEvaluationOptions { MeasureSearchTime = false }, new SyncProgress(seen.Add));
        Assert.Equal(250, seen[^1]);
        Assert.True(seen.SequenceEqual(seen.Order()) && seen.Distinct().Count() == seen.Count);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => RetrievalEvaluation.Evaluate(queries, labels, Gallery16(), [0, 1, 0], cancellationToken: cts.Token));

        static BinaryCodeSet Gallery16() => Parse("0000000000000000", "1111111111111111", "0000000011111111");
    }

    [Fact]
    public void BadInput_ThrowsWithClearMessages()
    {
        BinaryCodeSet g = Parse("0000", "1111");
        int[] gl = [0, 1];
        ArgumentException e;
        e = Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Empty(4), [], g, gl));
        Assert.Contains("no query codes", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), [0], Empty(4), []));
        Assert.Contains("no gallery codes", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), [0, 1], g, gl));
        Assert.Contains("1 query codes but 2 query labels", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), [0], g, [0]));
        Assert.Contains("2 gallery codes but 1 gallery labels", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Parse("00000000"), [0], g, gl));
        Assert.Contains("8 bits but gallery codes 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), [0], g, gl, new RetrievalEvaluationOptions { K = 0 }));
        Assert.Contains("K must be at least 1", e.Message);
        Assert.Throws<ArgumentNullException>(() => RetrievalEvaluation.Evaluate(null!, [0], g, gl));
        Assert.Throws<ArgumentNullException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), null!, g, gl));
        Assert.Throws<ArgumentNullException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), [0], null!, gl));
        Assert.Throws<ArgumentNullException>(() => RetrievalEvaluation.Evaluate(Parse("0000"), [0], g, null!));
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
