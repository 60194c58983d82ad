namespace Dsh.Hashing.Tests.Reranking;

public class EmbeddingRerankerTests
{
    private static readonly Dictionary<long, float[]> Embeddings = new()
    {
        [1] = [1f, 0f, 0f],
        [2] = [0.9f, 0.1f, 0f],
        [3] = [-1f, 0f, 0f],
        [4] = [2f, 0f, 0f],   // same direction as 1, farther away
        [5] = [0f, 1f, 0f],
    };

    private static readonly Neighbor[] Candidates = [new(1, 3), new(2, 1), new(3, 0), new(4, 2), new(5, 2)];

    [Fact]
    public void Cosine_OrdersBySimilarity_TiesByHammingDistanceThenId()
    {
        var result = EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => Embeddings[id]);
        // 4 and 1 tie at cosine 1: 4 has the smaller Hamming distance.
        Assert.Equal(new long[] { 4, 1, 2, 5, 3 }, result.Select(r => r.Id));
        Assert.Equal(1f, result[0].Score, 5);
        Assert.Equal(2, result[0].Distance);
    }

    [Fact]
    public void Euclidean_LowerFirst_AndDotProduct_HigherFirst()
    {
        var euclid = EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => Embeddings[id], EmbeddingMetric.Euclidean);
        Assert.Equal(new long[] { 1, 2, 4, 5, 3 }, euclid.Select(r => r.Id));
        Assert.Equal(MathF.Sqrt(0.02f), euclid[1].Score, 5);

        var dot = EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => Embeddings[id], EmbeddingMetric.DotProduct, take: 2);
        Assert.Equal(new long[] { 4, 1 }, dot.Select(r => r.Id));
    }

    [Fact]
    public void EqualsBruteForceOnRandomEmbeddings()
    {
        var rng = new Random(5);
        var emb = Enumerable.Range(0, 300).ToDictionary(i => (long)i, _ => Enumerable.Range(0, 48).Select(_ => rng.NextSingle() - 0.5f).ToArray());
        float[] q = Enumerable.Range(0, 48).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        Neighbor[] candidates = emb.Keys.Select(id => new Neighbor(id, rng.Next(20))).ToArray();

        var result = EmbeddingReranker.Rerank(q, candidates, id => emb[id], take: 25);

        static double Cos(float[] a, float[] b) =>
            a.Zip(b).Sum(p => (double)p.First * p.Second) / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));
        var expected = candidates.OrderByDescending(c => Cos(q, emb[c.Id])).Take(25).Select(c => c.Id);
        Assert.Equal(expected, result.Select(r => r.Id));
    }

    [Fact]
    public void BadInput_Throws()
    {
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => EmbeddingReranker.Rerank([], Candidates, id => Embeddings[id])).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => EmbeddingReranker.Rerank([float.NaN, 0f, 0f], Candidates, id => Embeddings[id])).ParamName);
        var ex = Assert.Throws<ArgumentException>(() => EmbeddingReranker.Rerank([1f, 0f], Candidates, id => Embeddings[id]));
        Assert.Contains("id 1 has 3 values", ex.Message);
        Assert.Contains("id 3", Assert.Throws<ArgumentException>(() => EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => id == 3 ? new[] { float.PositiveInfinity, 0f, 0f } : Embeddings[id])).Message);
        Assert.Equal("take", Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => Embeddings[id], take: 0)).ParamName);
        Assert.Throws<ArgumentNullException>(() => EmbeddingReranker.Rerank([1f], null!, id => Embeddings[id]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => Embeddings[id], (EmbeddingMetric)9));
        Assert.Empty(EmbeddingReranker.Rerank([1f], [], id => Embeddings[id]));
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => EmbeddingReranker.Rerank([0f, 0f, 0f], Candidates, id => Embeddings[id])).Message);
        Assert.Contains("id 5", Assert.Throws<ArgumentException>(() => EmbeddingReranker.Rerank([1f, 0f, 0f], Candidates, id => id == 5 ? new float[3] : Embeddings[id])).Message);
        Assert.Equal(5, EmbeddingReranker.Rerank([0f, 0f, 0f], Candidates, id => Embeddings[id], EmbeddingMetric.Euclidean).Count);
    }
}
