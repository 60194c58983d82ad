using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Galleries;

/// <summary>The in-memory gallery: ids, keys, categories, properties, argument checks, and search against brute force.</summary>
public class GalleryTests
{
    [Fact]
    public void Add_AssignsNextIds_AndNeverReusesARemovedOne()
    {
        var gallery = new Gallery(64);
        BinaryCode[] codes = CodeGenerator.Uniform(1, 5, 64);
        Assert.Equal(0, gallery.NextId);
        Assert.Equal(0, gallery.Add(codes[0], new GalleryItem("a")));
        Assert.Equal(1, gallery.Add(codes[1], new GalleryItem("b")));
        Assert.True(gallery.Remove(1));
        Assert.False(gallery.Remove(1));
        Assert.Equal(2, gallery.Add(codes[2], new GalleryItem("c")));
        gallery.Add(100, codes[3], new GalleryItem("d"));
        Assert.Equal(101, gallery.NextId);
        Assert.Equal(101, gallery.Add(codes[4], new GalleryItem("e")));
        gallery.Add(-7, codes[0], new GalleryItem("negative"));
        Assert.Equal(102, gallery.NextId);
        Assert.Equal([-7L, 0, 2, 100, 101], gallery.GetItems().Select(p => p.Key));
        Assert.Equal(["negative", "a", "c", "d", "e"], gallery.GetItems().Select(p => p.Value.Key));
    }

    [Fact]
    public void AddRange_AssignsConsecutiveIds_AllOrNone()
    {
        var gallery = new Gallery(32);
        BinaryCodeSet codes = BinaryCodeSet.FromCodes(CodeGenerator.Uniform(2, 3, 32), 32);
        gallery.Add(CodeGenerator.Uniform(3, 1, 32)[0], new GalleryItem("taken"));
        Assert.Equal([1L, 2, 3], gallery.AddRange(codes, [new("x"), new("y", "cat"), new("z")]));

        var dup = Assert.Throws<ArgumentException>(() => gallery.AddRange(codes, [new("p"), new("taken"), new("q")]));
        Assert.Contains("'taken' is already in the gallery (id 0)", dup.Message);
        var twice = Assert.Throws<ArgumentException>(() => gallery.AddRange(codes, [new("p"), new("q"), new("p")]));
        Assert.Contains("appears twice in the batch", twice.Message);
        Assert.Throws<ArgumentException>(() => gallery.AddRange(codes, [new("p"), new("q")]));
        Assert.Throws<ArgumentException>(() => gallery.AddRange(BinaryCodeSet.FromCodes(CodeGenerator.Uniform(2, 3, 16), 16), [new("p"), new("q"), new("r")]));
        Assert.Throws<ArgumentException>(() => gallery.AddRange(codes, [new("p"), null!, new("r")]));

        Assert.Equal(4, gallery.Count);
        Assert.Equal(4, gallery.NextId);
        Assert.False(gallery.TryFindKey("p", out _));
    }

    [Fact]
    public void Add_RejectsDuplicateIdsAndKeys_AndChangesNothing()
    {
        var gallery = new Gallery(16);
        BinaryCode code = CodeGenerator.Uniform(4, 1, 16)[0];
        gallery.Add(5, code, new GalleryItem("k", "c"));
        Assert.Contains("Id 5 is already", Assert.Throws<ArgumentException>(() => gallery.Add(5, code, new GalleryItem("other"))).Message);
        Assert.Contains("'k' is already in the gallery (id 5)", Assert.Throws<ArgumentException>(() => gallery.Add(6, code, new GalleryItem("k"))).Message);
        Assert.Contains("'k' is already", Assert.Throws<ArgumentException>(() => gallery.Add(code, new GalleryItem("k"))).Message);
        Assert.Throws<ArgumentException>(() => gallery.Add(7, CodeGenerator.Uniform(4, 1, 8)[0], new GalleryItem("x")));
        Assert.Throws<ArgumentNullException>(() => gallery.Add(7, null!, new GalleryItem("x")));
        Assert.Throws<ArgumentNullException>(() => gallery.Add(7, code, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => gallery.Add(long.MaxValue, code, new GalleryItem("x")));
        Assert.Equal(1, gallery.Count);
        Assert.Equal(6, gallery.NextId);
        Assert.Equal(new Dictionary<string, int> { ["c"] = 1 }, gallery.GetCategoryCounts());
    }

    [Fact]
    public void LastId_LeavesNoIdToAssign()
    {
        var gallery = new Gallery(8);
        BinaryCode code = CodeGenerator.Uniform(5, 1, 8)[0];
        gallery.Add(long.MaxValue - 1, code, new GalleryItem("last"));
        Assert.Equal(long.MaxValue, gallery.NextId);
        Assert.Throws<InvalidOperationException>(() => gallery.Add(code, new GalleryItem("more")));
        Assert.Throws<InvalidOperationException>(() => gallery.AddRange(BinaryCodeSet.FromCodes([code], 8), [new GalleryItem("more")]));
    }

    [Fact]
    public void Keys_AreUniqueAndFoundOrdinally()
    {
        var gallery = new Gallery(8);
        BinaryCode code = CodeGenerator.Uniform(6, 1, 8)[0];
        long a = gallery.Add(code, new GalleryItem("Photos/Cat.jpg"));
        long b = gallery.Add(code, new GalleryItem("photos/cat.jpg"));
        Assert.True(gallery.TryFindKey("Photos/Cat.jpg", out long found));
        Assert.Equal(a, found);
        Assert.True(gallery.TryFindKey("photos/cat.jpg", out found));
        Assert.Equal(b, found);
        Assert.False(gallery.TryFindKey("PHOTOS/CAT.JPG", out _));
        gallery.Remove(a);
        Assert.False(gallery.TryFindKey("Photos/Cat.jpg", out _));
        gallery.Add(code, new GalleryItem("Photos/Cat.jpg")); // a removed key can come back, under a new id
        Assert.True(gallery.TryFindKey("Photos/Cat.jpg", out found));
        Assert.Equal(2, found);
    }

    [Fact]
    public void CategoryCounts_FollowAddsAndRemoves()
    {
        var gallery = new Gallery(8);
        BinaryCode code = CodeGenerator.Uniform(7, 1, 8)[0];
        string cat = new('c', 3); // a string instance of its own: the gallery shares one per category
        long x = gallery.Add(code, new GalleryItem("1", cat));
        gallery.Add(code, new GalleryItem("2", "ccc"));
        long z = gallery.Add(code, new GalleryItem("3", "dog"));
        gallery.Add(code, new GalleryItem("4"));
        Assert.Equal(new Dictionary<string, int> { ["ccc"] = 2, ["dog"] = 1 }, gallery.GetCategoryCounts());
        gallery.Remove(z);
        gallery.Remove(x);
        Assert.Equal(new Dictionary<string, int> { ["ccc"] = 1 }, gallery.GetCategoryCounts());
        Assert.True(gallery.TryGetItem(1, out GalleryItem? item));
        Assert.Equal(new GalleryItem("2", "ccc"), item);
        Assert.True(gallery.TryGetItem(3, out item));
        Assert.Null(item.Category);
        Assert.False(gallery.TryGetItem(0, out item));
        Assert.Null(item);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a\0b", "control character (U+0000)")]
    [InlineData("tab\there", "control character (U+0009)")]
    [InlineData("line\n", "control character (U+000A)")]
    [InlineData("del\u007f", "control character (U+007F)")]
    [InlineData("c1\u0085", "control character (U+0085)")]
    public void Item_RejectsBadKeys(string key, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new GalleryItem(key));
        Assert.Contains(expected, e.Message);
        Assert.Equal("key", e.ParamName);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => new GalleryItem("ok", key)).Message);
        Assert.Throws<ArgumentNullException>(() => new GalleryItem(null!));
    }

    [Fact]
    public void Item_RejectsALoneSurrogate()
    {
        string key = "lone " + (char)0xD800 + " surrogate";
        Assert.Contains("lone surrogate", Assert.Throws<ArgumentException>(() => new GalleryItem(key)).Message);
        Assert.Contains("lone surrogate", Assert.Throws<ArgumentException>(() => new GalleryItem("ok", key)).Message);
    }

    [Fact]
    public void Item_LengthsAreCountedInUtf8Bytes()
    {
        Assert.Equal(GalleryItem.MaxKeyBytes, new GalleryItem(new string('x', GalleryItem.MaxKeyBytes)).Key.Length);
        Assert.Contains("4097 UTF-8 bytes", Assert.Throws<ArgumentException>(() => new GalleryItem(new string('x', GalleryItem.MaxKeyBytes + 1))).Message);
        Assert.Contains("4098 UTF-8 bytes", Assert.Throws<ArgumentException>(() => new GalleryItem(new string('é', 2049))).Message);
        _ = new GalleryItem("照片/猫 🐱.jpg", new string('é', GalleryItem.MaxCategoryBytes / 2));
        Assert.Throws<ArgumentException>(() => new GalleryItem("k", new string('é', (GalleryItem.MaxCategoryBytes / 2) + 1)));
    }

    [Fact]
    public void Properties_AreCheckedAndCountAsAChange()
    {
        Assert.Throws<ArgumentException>(() => new GalleryProperties { Model = "" });
        Assert.Throws<ArgumentException>(() => new GalleryProperties { Domain = "a\nb" });
        Assert.Throws<ArgumentException>(() => new GalleryProperties { Root = new string('r', GalleryProperties.MaxValueBytes + 1) });
        var gallery = new Gallery(8, new GalleryProperties { Model = "m", Domain = "photo", Root = "/data" });
        Assert.Equal("photo", gallery.Properties.Domain);
        Assert.False(gallery.HasUnsavedChanges);
        gallery.Properties = gallery.Properties with { Domain = "photo" };
        Assert.False(gallery.HasUnsavedChanges);
        gallery.Properties = gallery.Properties with { Model = "m2" };
        Assert.True(gallery.HasUnsavedChanges);
        Assert.Equal(new GalleryProperties { Model = "m2", Domain = "photo", Root = "/data" }, gallery.Properties);
        Assert.Throws<ArgumentNullException>(() => gallery.Properties = null!);
        Assert.Equal(GalleryProperties.Empty, new Gallery(8).Properties);
    }

    [Fact]
    public void Constructor_ChecksBits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gallery(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gallery(BinaryCode.MaxCodeLength + 1));
        Assert.Equal(BinaryCode.MaxCodeLength, new Gallery(BinaryCode.MaxCodeLength).CodeLength);
    }

    [Fact]
    public void Search_ChecksItsArguments()
    {
        var gallery = new Gallery(64);
        Assert.Empty(gallery.Search(CodeGenerator.Uniform(1, 1, 64)[0], 3));
        Assert.Throws<ArgumentException>(() => gallery.Search(CodeGenerator.Uniform(1, 1, 32)[0], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => gallery.Search(CodeGenerator.Uniform(1, 1, 64)[0], 0));
        Assert.Throws<ArgumentNullException>(() => gallery.Search(null!, 1));
        Assert.Throws<ArgumentNullException>(() => gallery.TryFindKey(null!, out _));
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(100, 2)]
    [InlineData(256, 3)]
    public void Search_EqualsHammingIndexAndBruteForce_ThroughRandomAddsAndRemoves(int bits, int seed)
    {
        var rng = new Random(seed);
        var gallery = new Gallery(bits);
        var index = new HammingIndex(bits);
        var live = new Dictionary<long, BinaryCode>();
        BinaryCode[] pool = CodeGenerator.Clustered(seed, 600, bits, 8, 0.1);
        for (int step = 0; step < 800; step++)
        {
            int op = rng.Next(10);
            if (op < 6 || live.Count == 0)
            {
                BinaryCode code = pool[rng.Next(pool.Length)];
                long id = gallery.Add(code, new GalleryItem($"k{step}", $"c{step % 7}"));
                index.Add(id, code);
                live.Add(id, code);
            }
            else if (op < 8)
            {
                long id = live.Keys.ElementAt(rng.Next(live.Count));
                Assert.True(gallery.Remove(id));
                Assert.True(index.Remove(id));
                live.Remove(id);
            }
            else
            {
                int n = rng.Next(1, 20);
                BinaryCodeSet set = BinaryCodeSet.FromCodes(Enumerable.Range(0, n).Select(_ => pool[rng.Next(pool.Length)]), bits);
                IReadOnlyList<long> ids = gallery.AddRange(set, Enumerable.Range(0, n).Select(i => new GalleryItem($"r{step}/{i}")).ToArray());
                index.AddRange(ids, set);
                for (int i = 0; i < n; i++)
                {
                    live.Add(ids[i], set[i]);
                }
            }

            if (step % 40 == 0)
            {
                BinaryCode query = rng.Next(2) == 0 ? pool[rng.Next(pool.Length)] : CodeGenerator.Random(rng, bits);
                int k = rng.Next(1, 30);
                Neighbor[] expected = CodeGenerator.BruteForce(live.Select(p => (p.Key, p.Value)).ToList(), query, k);
                Assert.Equal(expected, gallery.Search(query, k));
                Assert.Equal(index.Search(query, k), gallery.Search(query, k));
                Assert.Equal(expected, gallery.SearchBatch([query, query], k)[1]);
                Assert.Equal(expected, gallery.SearchBatch([query], k, 1)[0]);
                IReadOnlyList<GalleryNeighbor> withItems = gallery.SearchItems(query, k);
                Assert.Equal(expected, withItems.Select(n => n.Neighbor));
                Assert.All(withItems, n => Assert.Equal(gallery.TryGetItem(n.Id, out GalleryItem? item) ? item : null, n.Item));
            }
        }

        Assert.Equal(live.Count, gallery.Count);
        Assert.All(live, p => Assert.Equal(p.Value, gallery.TryGetCode(p.Key, out BinaryCode? c) ? c : null));
        IndexSnapshot snapshot = gallery.Snapshot();
        Assert.Equal(live.Count, snapshot.Count);
        Assert.All(Enumerable.Range(0, snapshot.Count), i => Assert.Equal(live[snapshot.Ids[i]], snapshot.Codes[i]));
    }
}
