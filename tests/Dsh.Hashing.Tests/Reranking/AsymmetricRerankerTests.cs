namespace Dsh.Hashing.Tests.Reranking;

/// <summary>Asymmetric re-ranking (real-valued query against ±1 codes), against a brute-force inner product.</summary>
public class AsymmetricRerankerTests
{
    [Fact]
    public void Score_IsTheInnerProductWithTheCodeAsPlusMinusOne()
    {
        BinaryCode code = BinaryCode.FromBools([true, false, true, false]);
        // 0.5·1 + 2·(−1) + (−1)·1 + 0.25·(−1)
        Assert.Equal(-2.75f, AsymmetricReranker.Score([0.5f, 2f, -1f, 0.25f], code.Words), 5);
    }

    [Fact]
    public void CandidatesAtOneHammingDistance_AreOrderedByTheBitsTheQueryIsSureOf()
    {
        // The query's code is 1111; both candidates differ in one bit, but 2 differs where the query is unsure.
        float[] query = [3f, 3f, 3f, 0.1f];
        var codes = new Dictionary<long, BinaryCode>
        {
            [1] = BinaryCode.FromBools([false, true, true, true]),
            [2] = BinaryCode.FromBools([true, true, true, false]),
        };
        var result = AsymmetricReranker.Rerank(query, [new Neighbor(1, 1), new Neighbor(2, 1)], id => codes[id]);
        Assert.Equal(new long[] { 2, 1 }, result.Select(r => r.Id));
        Assert.Equal(8.9f, result[0].Score, 4);
        Assert.Equal(3.1f, result[1].Score, 4);
    }

    [Fact]
    public void WithEqualMagnitudes_TheOrderIsTheHammingOrder()
    {
        var rng = new Random(3);
        float[] query = Enumerable.Range(0, 64).Select(_ => rng.Next(2) == 0 ? -1f : 1f).ToArray();
        BinaryCode q = BinaryCode.FromSigns(query);
        var codes = Enumerable.Range(0, 50).ToDictionary(i => (long)i, _ => RandomCode(rng, 64));
        var candidates = codes.Select(kv => new Neighbor(kv.Key, BinaryCode.Distance(q, kv.Value))).OrderBy(n => n).ToArray();
        var result = AsymmetricReranker.Rerank(query, candidates, id => codes[id]);
        Assert.Equal(candidates.Select(c => c.Id), result.Select(r => r.Id));
        foreach (var r in result)
        {
            Assert.Equal(64 - 2 * r.Distance, r.Score, 3); // Σ qᵢsᵢ = agreements − disagreements
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(128)]
    public void EqualsBruteForce_OnRandomEmbeddingsAndCodes(int bits)
    {
        var rng = new Random(bits);
        float[] query = Enumerable.Range(0, bits).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var codes = Enumerable.Range(0, 300).ToDictionary(i => (long)i, _ => RandomCode(rng, bits));
        var candidates = codes.Select(kv => new Neighbor(kv.Key, BinaryCode.Distance(BinaryCode.FromSigns(query), kv.Value))).ToArray();

        var result = AsymmetricReranker.Rerank(query, candidates, id => codes[id], take: 40);

        var expected = candidates
            .Select((c, position) => (c.Id, c.Distance, position, Score: codes[c.Id].ToBools().Select((b, i) => (b ? 1.0 : -1.0) * query[i]).Sum()))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Distance).ThenBy(x => x.position).Take(40).ToArray();
        Assert.Equal(expected.Select(e => e.Id), result.Select(r => r.Id));
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(expected[i].Score, result[i].Score, 3);
        }
    }

    [Fact]
    public void BadInput_IsRefusedWithAMessage()
    {
        var codes = new Dictionary<long, BinaryCode> { [1] = BinaryCode.FromBools([true, false]) };
        Neighbor[] one = [new(1, 0)];
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => AsymmetricReranker.Rerank([], one, id => codes[id])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => AsymmetricReranker.Rerank([float.NaN, 1f], one, id => codes[id])).Message);
        Assert.Contains("has 2 bits; the query has 3", Assert.Throws<ArgumentException>(() => AsymmetricReranker.Rerank([1f, 1f, 1f], one, id => codes[id])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AsymmetricReranker.Rerank([1f, 1f], one, id => codes[id], take: 0));
        Assert.Contains("needs 1 words", Assert.Throws<ArgumentException>(() => AsymmetricReranker.Score([1f, 1f], ReadOnlySpan<ulong>.Empty)).Message);
    }

    private static BinaryCode RandomCode(Random rng, int bits) =>
        BinaryCode.FromBools(Enumerable.Range(0, bits).Select(_ => rng.Next(2) == 1).ToArray());
}
