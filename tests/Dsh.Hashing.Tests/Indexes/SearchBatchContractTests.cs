using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Indexes;

/// <summary>
/// The cancellable batch search of the <see cref="IHammingIndex"/> contract, called through the interface on both
/// indexes, and the public argument checks (<see cref="HammingIndexArguments"/>) that other indexes borrow.
/// </summary>
public class SearchBatchContractTests
{
    public static TheoryData<string, int> IndexesAndThreads => new()
    {
        { "flat", 1 }, { "flat", 2 }, { "flat", -1 },
        { "mih", 1 }, { "mih", 2 }, { "mih", -1 },
    };

    [Theory]
    [MemberData(nameof(IndexesAndThreads))]
    public void SearchBatch_ThroughTheInterface_EqualsSingleSearches(string kind, int threads)
    {
        IHammingIndex index = Filled(kind, 3000);
        BinaryCode[] queries = CodeGenerator.Uniform(12, 41, 96); // groups of 16 queries: two full, one partial

        IReadOnlyList<IReadOnlyList<Neighbor>> batch = index.SearchBatch(queries, 7, threads, CancellationToken.None);

        Assert.Equal(queries.Length, batch.Count);
        for (int q = 0; q < queries.Length; q++)
        {
            Assert.Equal(index.Search(queries[q], 7), batch[q]);
        }

        Assert.Equal(index.SearchBatch(queries, 7), batch);
        Assert.Empty(index.SearchBatch([], 7, threads));
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("mih")]
    public void SearchBatch_ThroughTheInterface_Cancelled_Throws(string kind)
    {
        IHammingIndex index = Filled(kind, 500);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        BinaryCode[] queries = CodeGenerator.Uniform(13, 40, 96);
        Assert.ThrowsAny<OperationCanceledException>(() => index.SearchBatch(queries, 5, 1, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.SearchBatch(queries, 5, -1, cts.Token));
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("mih")]
    public void SearchBatch_ThroughTheInterface_BadArguments_Throw(string kind)
    {
        IHammingIndex index = Filled(kind, 10);
        BinaryCode q = CodeGenerator.Uniform(14, 1, 96)[0];
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchBatch([q], 1, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchBatch([q], 1, -2)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchBatch([q], 0, 1)).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentNullException>(() => index.SearchBatch(null!, 1, 1)).ParamName);
        Assert.Contains("queries[1] is null", Assert.Throws<ArgumentException>(() => index.SearchBatch([q, null!], 1, 1)).Message);
    }

    [Fact]
    public void HammingIndexArguments_ThrowWhatTheIndexThrows()
    {
        var index = new HammingIndex(64);
        BinaryCode code = CodeGenerator.Uniform(15, 1, 64)[0], wrong = CodeGenerator.Uniform(15, 1, 32)[0];
        var cases = new (IReadOnlyList<BinaryCode> Queries, int K)[]
        {
            (null!, 3), ([code, null!], 3), ([code, wrong], 3), ([code], 0), ([code], -1), ([wrong], 0),
        };

        foreach ((IReadOnlyList<BinaryCode> queries, int k) in cases)
        {
            Exception expected = Assert.ThrowsAny<Exception>(() => index.SearchBatch(queries, k));
            Exception actual = Assert.ThrowsAny<Exception>(() => HammingIndexArguments.CheckSearchBatch(64, queries, k));
            Assert.Equal(expected.GetType(), actual.GetType());
            Assert.Equal(expected.Message, actual.Message);
        }

        foreach (int codeLength in new[] { 0, -1, BinaryCode.MaxCodeLength + 1 })
        {
            var expected = Assert.Throws<ArgumentOutOfRangeException>(() => new HammingIndex(codeLength));
            var actual = Assert.Throws<ArgumentOutOfRangeException>(() => HammingIndexArguments.CheckCodeLength(codeLength));
            // The same message; the constructor's parameter keeps its first name, bits.
            Assert.Equal("bits", expected.ParamName);
            Assert.Equal(expected.Message.Replace("'bits'", "'codeLength'", StringComparison.Ordinal), actual.Message);
            Assert.Equal("codeLength", actual.ParamName);
        }

        HammingIndexArguments.CheckCodeLength(BinaryCode.MaxCodeLength);
        List<BinaryCode> list = [code, code];
        BinaryCode[] copy = HammingIndexArguments.CheckSearchBatch(64, list, 1);
        list.Clear();
        Assert.Equal([code, code], copy);
    }

    private static IHammingIndex Filled(string kind, int count)
    {
        IHammingIndex index = kind == "flat" ? new HammingIndex(96) : new MultiIndexHashIndex(96);
        BinaryCode[] codes = CodeGenerator.Clustered(11, count, 96, centres: 8, flip: 0.1);
        index.AddRange(Enumerable.Range(0, count).Select(i => (long)i * 3).ToArray(), BinaryCodeSet.FromCodes(codes, 96));
        return index;
    }
}
