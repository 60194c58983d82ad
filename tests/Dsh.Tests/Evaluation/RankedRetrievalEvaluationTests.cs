using Dsh.Evaluation;
using Dsh.Hashing;
using static Dsh.Tests.Evaluation.EvaluationCodes;

namespace Dsh.Tests.Evaluation;

/// <summary>Two-stage rankings and the instance measures (acc@1, acc@10, median rank of the query's own photo), against hand-computed cases.</summary>
public class RankedRetrievalEvaluationTests
{
    // g0 and g1 tie at Hamming distance 1 from q0; q0 was drawn from g1 (group "b") and is unsure only of its last bit.
    private static readonly BinaryCodeSet Gallery = Parse("1000", "0001", "1111", "0011");
    private static readonly int[] GalleryLabels = [0, 0, 1, 1];
    private static readonly string?[] GalleryGroups = ["a", "b", null, "c"];
    private static readonly BinaryCodeSet Queries = Parse("0000", "1111");
    private static readonly float[][] QueryEmbeddings = [[-1f, -1f, -1f, -0.1f], [1f, 1f, 1f, 1f]];
    private static readonly int[] QueryLabels = [0, 1];
    private static readonly string?[] QueryGroups = ["b", "c"];

    [Fact]
    public void HammingOnly_RanksTiesByGalleryPosition()
    {
        var r = Evaluate(RerankMode.None, 1);
        // q0: [g0, g1, g3, g2], own photo g1 at rank 2; q1: [g2, g3, g0, g1], own photo g3 at rank 2.
        Assert.Equal(new[] { 0, 1, 3, 2 }, GalleryRanking.Rank(Queries[0], null, Gallery, null, RerankMode.None, 1));
        Assert.Equal((1.0, 0.2, 2, 0.0, 1.0, 2.0), (r.MapAll, r.PrecisionAt10, r.InstanceQueries, r.AccuracyAt1!.Value, r.AccuracyAt10!.Value, r.MedianTargetRank!.Value));
    }

    [Fact]
    public void AsymmetricCodes_PutTheQuerysOwnPhotoFirst()
    {
        var r = Evaluate(RerankMode.Codes, 4);
        // q0 scores: g0 −1+1+1+0.1 = 1.1, g1 1+1+1−0.1 = 2.9, g3 0.9, g2 −3.1 → [g1, g0, g3, g2]; q1 (equal magnitudes) keeps the Hamming order.
        Assert.Equal(new[] { 1, 0, 3, 2 }, GalleryRanking.Rank(Queries[0], QueryEmbeddings[0], Gallery, null, RerankMode.Codes, 4));
        Assert.Equal((1.0, 0.5, 1.0, 1.5), (r.MapAll, r.AccuracyAt1!.Value, r.AccuracyAt10!.Value, r.MedianTargetRank!.Value));
    }

    [Fact]
    public void OnlyTheFirstDepthCandidatesAreReordered()
    {
        Assert.Equal(new[] { 0, 1, 3, 2 }, GalleryRanking.Rank(Queries[0], QueryEmbeddings[0], Gallery, null, RerankMode.Codes, 1));
        Assert.Equal(new[] { 1, 0, 3, 2 }, GalleryRanking.Rank(Queries[0], QueryEmbeddings[0], Gallery, null, RerankMode.Codes, 2));
        Assert.Equal(0.0, Evaluate(RerankMode.Codes, 1).AccuracyAt1);
    }

    [Fact]
    public void StoredEmbeddings_RankByCosine()
    {
        float[][] galleryEmbeddings = [[0.1f, -1f, -1f, -1f], [-1f, -1f, -1f, 0.2f], [1f, 1f, 1f, 1f], [-1f, -1f, 1f, 1f]];
        // q0 = (−1, −1, −1, −0.1): cosines g0 ≈ 0.66, g1 ≈ 0.99, g3 ≈ 0.26, g2 ≈ −0.89 → [g1, g0, g3, g2].
        Assert.Equal(new[] { 1, 0, 3, 2 }, GalleryRanking.Rank(Queries[0], QueryEmbeddings[0], Gallery, galleryEmbeddings, RerankMode.Embeddings, 4));
        Assert.Throws<ArgumentException>(() => GalleryRanking.Rank(Queries[0], QueryEmbeddings[0], Gallery, null, RerankMode.Embeddings, 4));
        Assert.Throws<ArgumentException>(() => GalleryRanking.Rank(Queries[0], null, Gallery, null, RerankMode.Codes, 4));
    }

    [Fact]
    public void WithoutGroups_ThereAreNoInstanceMeasures()
    {
        var r = RankedRetrievalEvaluation.Evaluate(Queries, null, QueryLabels, null, Gallery, null, GalleryLabels, null, RerankMode.None, 1);
        Assert.Equal((0, null, null, null), (r.InstanceQueries, r.AccuracyAt1, r.AccuracyAt10, r.MedianTargetRank));
    }

    [Fact]
    public void HammingOnly_EqualsRetrievalEvaluationsMap_OnRandomCodes()
    {
        var rng = new Random(11);
        BinaryCodeSet queries = RandomCodes(rng, 30, 16), gallery = RandomCodes(rng, 120, 16);
        int[] ql = Enumerable.Range(0, 30).Select(_ => rng.Next(4)).ToArray(), gl = Enumerable.Range(0, 120).Select(_ => rng.Next(4)).ToArray();
        var ranked = RankedRetrievalEvaluation.Evaluate(queries, null, ql, null, gallery, null, gl, null, RerankMode.None, 1);
        var reference = RetrievalEvaluation.Evaluate(queries, ql, gallery, gl, new RetrievalEvaluationOptions { K = 10, MeasureSearchTime = false });
        Assert.Equal(reference.MapAll, ranked.MapAll, 12);
        Assert.Equal(reference.PrecisionAtK, ranked.PrecisionAt10, 12);
    }

    [Fact]
    public void ListMeasures_MatchHandComputedValues()
    {
        int[] ranking = [4, 2, 0, 1, 3];
        bool Relevant(int g) => g is 2 or 3;
        Assert.Equal((1.0 / 2 + 2.0 / 5) / 2, RankedListMeasures.AveragePrecision(ranking, Relevant), 12);
        Assert.Equal(1.0 / 2, RankedListMeasures.PrecisionAt(2, ranking, Relevant), 12);
        Assert.Equal(2.0 / 10, RankedListMeasures.PrecisionAt(10, ranking, Relevant), 12);
        Assert.Equal(3, RankedListMeasures.FirstTargetRank(ranking, g => g == 0));
        Assert.Null(RankedListMeasures.FirstTargetRank(ranking, g => g == 9));
        Assert.Equal(0, RankedListMeasures.AveragePrecision(ranking, _ => false));
    }

    [Fact]
    public void MismatchedLists_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => RankedRetrievalEvaluation.Evaluate(Queries, null, [0], null, Gallery, null, GalleryLabels, null, RerankMode.None, 1));
        Assert.Throws<ArgumentException>(() => RankedRetrievalEvaluation.Evaluate(Queries, QueryEmbeddings, QueryLabels, ["x"], Gallery, null, GalleryLabels, null, RerankMode.None, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankedRetrievalEvaluation.Evaluate(Queries, QueryEmbeddings, QueryLabels, null, Gallery, null, GalleryLabels, null, RerankMode.Codes, 0));
    }

    private static RankedRetrievalReport Evaluate(RerankMode mode, int depth) =>
        RankedRetrievalEvaluation.Evaluate(Queries, QueryEmbeddings, QueryLabels, QueryGroups, Gallery, null, GalleryLabels, GalleryGroups, mode, depth);
}
