namespace Dsh.Hashing.Tests;

/// <summary>
/// The public names outside code compiles against,
/// bound with their exact signatures: renaming or retyping any of them breaks this file's compilation.
/// </summary>
public class PublicSurfaceTests
{
    [Fact]
    public void ContractMembers_ExistWithTheirSignatures()
    {
        FromWordsSignature fromWords = BinaryCode.FromWords;
        Func<int, HammingIndex> flat = bits => new HammingIndex(bits);
        Func<int, MultiIndexHashIndex> mih = bits => new MultiIndexHashIndex(bits);
        Func<string, HammingIndex> loadFlat = HammingIndex.Load;
        Func<string, MultiIndexHashIndex> loadMih = MultiIndexHashIndex.Load;
        Func<string, HammingIndexFile> loadAny = HammingIndexFile.Load;

        HammingIndex a = flat(16);
        MultiIndexHashIndex b = mih(16);
        Action<long, BinaryCode> addA = a.Add, addB = b.Add;
        Func<BinaryCode, int, IReadOnlyList<Neighbor>> searchA = a.Search, searchB = b.Search;
        Func<IReadOnlyList<BinaryCode>, int, IReadOnlyList<IReadOnlyList<Neighbor>>> batchA = a.SearchBatch;
        IHammingIndex contract = b;
        Func<IReadOnlyList<BinaryCode>, int, int, CancellationToken, IReadOnlyList<IReadOnlyList<Neighbor>>> batchB = contract.SearchBatch;
        Func<int, IReadOnlyList<BinaryCode>, int, BinaryCode[]> checkBatch = HammingIndexArguments.CheckSearchBatch;
        Func<int, IReadOnlyList<BinaryCode>, BinaryCode[]> checkQueries = HammingIndexArguments.CheckQueries;
        const int maxCodeLength = BinaryCode.MaxCodeLength;
        Action<string> saveA = a.Save, saveB = b.Save;

        BinaryCode code = fromWords([0xBEEFUL], 16);
        addA(7, code);
        addB(7, code);
        Neighbor n = searchA(code, 1)[0];
        long id = n.Id;
        int distance = n.Distance;
        Assert.Equal((7L, 0), (id, distance));
        Assert.Equal(searchA(code, 1), searchB(code, 1));
        Assert.Equal(searchA(code, 1), batchA([code], 1)[0]);
        Assert.Equal(searchA(code, 1), batchB([code], 1, 1, CancellationToken.None)[0]);
        Assert.Equal([code], checkBatch(16, [code], 1));
        Assert.Equal([code], checkQueries(16, [code]));
        Assert.Equal(4096, maxCodeLength);

        string dir = Directory.CreateTempSubdirectory("dsh-surface-").FullName;
        try
        {
            saveA(Path.Combine(dir, "a"));
            saveB(Path.Combine(dir, "b"));
            Assert.Equal(1, loadFlat(Path.Combine(dir, "a")).Count);
            Assert.IsType<MultiIndexHashIndex>(loadAny(Path.Combine(dir, "b")).Index);
            Assert.Equal(1, loadMih(Path.Combine(dir, "b")).Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void GalleryMembers_ExistWithTheirSignatures()
    {
        Func<int, GalleryProperties?, Gallery> create = (bits, properties) => new Gallery(bits, properties);
        Func<string, Gallery> load = Gallery.Load;
        Func<Stream, Gallery> loadStream = Gallery.Load;
        Func<string, Func<Gallery, int>, GalleryLockOptions?, CancellationToken, int> update = Gallery.Update;
        Action<string, Action<Gallery>, GalleryLockOptions?, CancellationToken> updateAction = Gallery.Update;
        Func<string, bool> deleteLegacyCatalog = Gallery.DeleteLegacyCatalog;
        Func<string, string> legacyCatalogPath = Gallery.LegacyCatalogPath;

        Gallery g = create(16, new GalleryProperties { Model = "m", Domain = "photo", Root = "/photos" });
        Func<BinaryCode, GalleryItem, long> add = g.Add;
        Action<long, BinaryCode, GalleryItem> addWithId = g.Add;
        Func<BinaryCodeSet, IReadOnlyList<GalleryItem>, IReadOnlyList<long>> addRange = g.AddRange;
        Func<long, bool> remove = g.Remove, contains = g.Contains;
        TryGet<GalleryItem> tryGetItem = g.TryGetItem;
        TryGet<BinaryCode> tryGetCode = g.TryGetCode;
        TryFindKeySignature tryFindKey = g.TryFindKey;
        Func<IReadOnlyList<KeyValuePair<long, GalleryItem>>> items = g.GetItems;
        Func<IReadOnlyDictionary<string, int>> categories = g.GetCategoryCounts;
        Func<IndexSnapshot> snapshot = g.Snapshot;
        Func<BinaryCode, int, IReadOnlyList<Neighbor>> search = g.Search;
        Func<BinaryCode, int, IReadOnlyList<GalleryNeighbor>> searchItems = g.SearchItems;
        Func<IReadOnlyList<BinaryCode>, int, IReadOnlyList<IReadOnlyList<Neighbor>>> batch = g.SearchBatch;
        Func<IReadOnlyList<BinaryCode>, int, int, CancellationToken, IReadOnlyList<IReadOnlyList<Neighbor>>> batchWithOptions = g.SearchBatch;
        Action<Stream> saveStream = g.Save;
        Action<string, GalleryLockOptions?> save = g.Save;
        Func<string, bool> refresh = g.Refresh;
        Func<string, Func<Gallery, long>, GalleryLockOptions?, CancellationToken, long> commit = g.Commit;
        Action<string, Action<Gallery>, GalleryLockOptions?, CancellationToken> commitAction = g.Commit;
        (int bits, int count, long generation, long nextId, bool unsaved, string? legacy, HammingKernelKind kernel, GalleryProperties properties) =
            (g.CodeLength, g.Count, g.Generation, g.NextId, g.HasUnsavedChanges, g.LegacyCatalog, g.Kernel, g.Properties);
        (string key, string? category) = (new GalleryItem("k", "c").Key, new GalleryItem("k").Category);
        TimeSpan timeout = new GalleryLockOptions { Timeout = TimeSpan.FromSeconds(1) }.Timeout;
        Assert.Equal((16, 0, 0L, 0L, false, (string?)null, "k", (string?)null), (bits, count, generation, nextId, unsaved, legacy, key, category));
        Assert.Equal(TimeSpan.FromSeconds(1), timeout);
        Assert.Equal("photo", properties.Domain);
        Assert.True(Enum.IsDefined(kernel));

        BinaryCode code = BinaryCode.FromWords([0xBEEFUL], 16);
        long id = add(code, new GalleryItem("a", "cat"));
        GalleryNeighbor hit = searchItems(code, 1)[0];
        Assert.Equal((id, 0, "a", new Neighbor(id, 0)), (hit.Id, hit.Distance, hit.Item.Key, hit.Neighbor));
        Assert.Equal(search(code, 1), batch([code], 1)[0]);

        string dir = Directory.CreateTempSubdirectory("dsh-surface-").FullName;
        try
        {
            string path = Path.Combine(dir, "g.dshg");
            save(path, null);
            Assert.Equal(1, load(path).Count);
            Assert.Equal(2L, update(path, x => { x.Add(code, new GalleryItem("b")); return x.Count; }, GalleryLockOptions.Default, default));
            Assert.True(refresh(path));
            Assert.Equal(2, commit(path, x => x.Add(code, new GalleryItem("c")), null, default));
            Assert.Equal(path + ".catalog.json", legacyCatalogPath(path));
            Assert.False(deleteLegacyCatalog(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private delegate BinaryCode FromWordsSignature(ReadOnlySpan<ulong> words, int bits);

    private delegate bool TryGet<T>(long id, out T? value);

    private delegate bool TryFindKeySignature(string key, out long id);
}
