namespace Dsh.Hashing.Tests.Galleries;

/// <summary>The two-stage gallery search against a brute-force ranking of every stored code.</summary>
public class GalleryRerankTests
{
    [Theory]
    [InlineData(64, 10, 50)]
    [InlineData(128, 5, 400)] // depth beyond the gallery: every photo is re-ordered
    [InlineData(96, 20, 20)]
    public void EqualsBruteForce_HammingHeadThenInnerProduct(int bits, int k, int depth)
    {
        var rng = new Random(bits + depth);
        var gallery = new Gallery(bits);
        var codes = new List<BinaryCode>();
        var ids = new List<long>();
        for (int i = 0; i < 300; i++)
        {
            // Few distinct codes, so many photos tie in Hamming distance as trained codes of one category do.
            BinaryCode code = i % 3 == 0 || codes.Count == 0 ? RandomCode(rng, bits) : codes[rng.Next(codes.Count)];
            codes.Add(code);
            ids.Add(gallery.Add(code, new GalleryItem($"p{i}.jpg", "c")));
        }
        float[] query = Enumerable.Range(0, bits).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        BinaryCode q = BinaryCode.FromSigns(query);

        var result = gallery.SearchItems(query, k, depth);

        // Brute force: the first max(k, depth) by (distance, id), then by Σ qᵢ·(2bᵢ − 1), ties by (distance, id).
        var head = Enumerable.Range(0, codes.Count)
            .Select(i => (Id: ids[i], Item: i, Distance: BinaryCode.Distance(q, codes[i]), Score: codes[i].ToBools().Select((b, j) => (b ? 1.0 : -1.0) * query[j]).Sum()))
            .OrderBy(x => x.Distance).ThenBy(x => x.Id).Take(Math.Max(k, depth)).ToList();
        var expected = head.OrderByDescending(x => Math.Round(x.Score, 4)).ThenBy(x => x.Distance).ThenBy(x => x.Id).Take(k).Select(x => x.Id);
        Assert.Equal(expected, result.Select(r => r.Id));
        Assert.All(result, r => Assert.Equal(BinaryCode.Distance(q, codes[ids.IndexOf(r.Id)]), r.Distance));
        Assert.All(result, r => Assert.Equal($"p{ids.IndexOf(r.Id)}.jpg", r.Item.Key));
    }

    [Fact]
    public void PhotosThatTieInHammingDistance_AreOrderedByTheQuerysConfidence()
    {
        var gallery = new Gallery(4);
        gallery.Add(0, BinaryCode.FromBools([false, true, true, true]), new GalleryItem("a.jpg"));
        gallery.Add(1, BinaryCode.FromBools([true, true, true, false]), new GalleryItem("b.jpg"));
        float[] query = [3f, 3f, 3f, 0.1f];
        Assert.Equal(new long[] { 0, 1 }, gallery.SearchItems(BinaryCode.FromSigns(query), 2).Select(r => r.Id));
        Assert.Equal(new long[] { 1, 0 }, gallery.SearchItems(query, 2, 2).Select(r => r.Id));
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        var gallery = new Gallery(8);
        gallery.Add(BinaryCode.FromBools(new bool[8]), new GalleryItem("a.jpg"));
        Assert.Throws<ArgumentException>(() => gallery.SearchItems(new float[7], 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => gallery.SearchItems(new float[8], 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => gallery.SearchItems(new float[8], 1, 0));
        Assert.Throws<ArgumentException>(() => gallery.SearchItems([float.NaN, 0, 0, 0, 0, 0, 0, 0], 1, 10));
    }

    private static BinaryCode RandomCode(Random rng, int bits) =>
        BinaryCode.FromBools(Enumerable.Range(0, bits).Select(_ => rng.Next(2) == 1).ToArray());
}
