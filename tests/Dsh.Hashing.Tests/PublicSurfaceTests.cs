namespace Dsh.Hashing.Tests;

/// <summary>
/// The names issue #3 promises to outside code ("Public surface that outside checks compile against"),
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

        HammingIndex a = flat(16);
        MultiIndexHashIndex b = mih(16);
        Action<long, BinaryCode> addA = a.Add, addB = b.Add;
        Func<BinaryCode, int, IReadOnlyList<Neighbor>> searchA = a.Search, searchB = b.Search;
        Func<IReadOnlyList<BinaryCode>, int, IReadOnlyList<IReadOnlyList<Neighbor>>> batchA = a.SearchBatch;
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

        string dir = Directory.CreateTempSubdirectory("dsh-surface-").FullName;
        try
        {
            saveA(Path.Combine(dir, "a"));
            saveB(Path.Combine(dir, "b"));
            Assert.Equal(1, loadFlat(Path.Combine(dir, "a")).Count);
            Assert.Equal(1, loadMih(Path.Combine(dir, "b")).Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private delegate BinaryCode FromWordsSignature(ReadOnlySpan<ulong> words, int bits);
}
