using Dsh.Hashing.Kernels;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Indexes;

public class HammingIndexTests
{
    public static TheoryData<int, bool> BitsAndClustering()
    {
        var data = new TheoryData<int, bool>();
        foreach (int bits in new[] { 1, 8, 32, 63, 64, 65, 128, 200, 256, 512 })
        {
            data.Add(bits, false);
            data.Add(bits, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BitsAndClustering))]
    public void Search_EqualsBruteForce_ForEveryKernel(int bits, bool clustered)
    {
        const int count = 700;
        BinaryCode[] codes = clustered ? CodeGenerator.Clustered(bits, count, bits, 7, 0.05) : CodeGenerator.Uniform(bits, count, bits);
        var rng = new Random(bits + 1);
        var items = codes.Select(c => ((long)rng.Next(-1_000_000, 1_000_000) * 1000 + rng.Next(1000), c)).DistinctBy(x => x.Item1).ToList();
        var index = new HammingIndex(bits);
        index.AddRange(items);
        BinaryCode[] queries = [.. CodeGenerator.Uniform(bits * 3, 4, bits), codes[0], codes[5]];

        foreach (HammingKernelKind kind in Enum.GetValues<HammingKernelKind>().Where(HammingKernels.IsSupported))
        {
            index.Kernel = kind;
            foreach (BinaryCode q in queries)
            {
                foreach (int k in new[] { 1, 3, 10, 100, items.Count, items.Count + 5 })
                {
                    Assert.Equal(CodeGenerator.BruteForce(items, q, k), index.Search(q, k));
                }

                foreach (int r in new[] { 0, 1, bits / 4, bits / 2, bits })
                {
                    var expected = items.Select(x => new Neighbor(x.Item1, CodeGenerator.NaiveDistance(q, x.c))).Where(n => n.Distance <= r).Order().ToArray();
                    Assert.Equal(expected, index.SearchRadius(q, r));
                }
            }

            IReadOnlyList<IReadOnlyList<Neighbor>> batch = index.SearchBatch(queries, 10);
            Assert.Equal(queries.Length, batch.Count);
            for (int i = 0; i < queries.Length; i++)
            {
                Assert.Equal(CodeGenerator.BruteForce(items, queries[i], 10), batch[i]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void SearchBatch_ManyQueriesAndBlocks_EqualsSingleSearch(int threads)
    {
        // 5,000 codes of 128 bits span several 32 KB blocks; 40 queries span several groups.
        BinaryCode[] codes = CodeGenerator.Clustered(9, 5000, 128, 20, 0.1);
        var index = new HammingIndex(128);
        index.AddRange(Enumerable.Range(0, codes.Length).Select(i => (long)i).ToArray(), BinaryCodeSet.FromCodes(codes, 128));
        BinaryCode[] queries = CodeGenerator.Clustered(10, 40, 128, 20, 0.1);

        IReadOnlyList<IReadOnlyList<Neighbor>> batch = index.SearchBatch(queries, 25, threads);

        for (int i = 0; i < queries.Length; i++)
        {
            Assert.Equal(index.Search(queries[i], 25), batch[i]);
        }
    }

    [Fact]
    public void SearchBatch_Cancelled_Throws()
    {
        var index = new HammingIndex(64);
        index.AddRange(Enumerable.Range(0, 100).Select(i => (long)i).ToArray(), BinaryCodeSet.FromCodes(CodeGenerator.Uniform(1, 100, 64), 64));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => index.SearchBatch(CodeGenerator.Uniform(2, 50, 64), 5, 1, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.SearchBatch(CodeGenerator.Uniform(2, 50, 64), 5, -1, cts.Token));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(128)]
    [InlineData(256)]
    public void InterleavedAddsAndRemoves_EveryKernelStaysEqualToBruteForce(int bits)
    {
        // Crosses the 512-code blocks of the bit-sliced copy, whose rows move on every Remove.
        BinaryCode[] codes = CodeGenerator.Clustered(bits, 3000, bits, 8, 0.1);
        var index = new HammingIndex(bits);
        var live = new Dictionary<long, BinaryCode>();
        var rng = new Random(bits);
        for (int step = 0; step < 12; step++)
        {
            long[] ids = Enumerable.Range(step * 250, 250).Select(i => (long)i).ToArray();
            index.AddRange(ids, BinaryCodeSet.FromCodes(ids.Select(i => codes[i]), bits));
            foreach (long id in ids)
            {
                live[id] = codes[id];
            }

            foreach (long id in live.Keys.OrderBy(_ => rng.Next()).Take(90).ToArray())
            {
                Assert.True(index.Remove(id));
                live.Remove(id);
            }

            index.Add(1_000_000 + step, codes[step]);
            live[1_000_000 + step] = codes[step];

            var items = live.Select(p => (p.Key, p.Value)).ToList();
            BinaryCode q = codes[rng.Next(codes.Length)];
            foreach (HammingKernelKind kind in Enum.GetValues<HammingKernelKind>().Where(HammingKernels.IsSupported))
            {
                index.Kernel = kind;
                Assert.Equal(CodeGenerator.BruteForce(items, q, 15), index.Search(q, 15));
                Assert.Equal(CodeGenerator.BruteForce(items, q, 15), index.SearchBatch([q, q], 15, 1)[1]);
            }
        }

        Assert.Equal(live.Count, index.Count);
    }

    [Fact]
    public void Kernel_DefaultsToTheFastestSupported()
    {
        var index = new HammingIndex(128);
        Assert.Equal(HammingKernels.IsSupported(HammingKernelKind.BitSliced) ? HammingKernelKind.BitSliced : HammingKernels.Best(128), index.Kernel);
    }

    [Fact]
    public void Ties_AreOrderedById()
    {
        var index = new HammingIndex(16);
        BinaryCode zero = BinaryCode.FromWords([0UL], 16);
        foreach (long id in new long[] { 50, -3, 7, 1000, 2 })
        {
            index.Add(id, zero);
        }

        Assert.Equal(new long[] { -3, 2, 7 }, index.Search(zero, 3).Select(n => n.Id));
    }

    [Fact]
    public void Add_Remove_Contains_Count_TryGetCode()
    {
        var index = new HammingIndex(10);
        BinaryCode a = BinaryCode.FromWords([5UL], 10), b = BinaryCode.FromWords([6UL], 10), c = BinaryCode.FromWords([1023UL], 10);
        index.Add(1, a);
        index.Add(2, b);
        index.Add(3, c);
        Assert.Equal(3, index.Count);
        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));
        Assert.False(index.Contains(1));
        Assert.True(index.Contains(3));
        Assert.Equal(2, index.Count);
        Assert.True(index.TryGetCode(3, out BinaryCode? got));
        Assert.Equal(c, got);
        Assert.False(index.TryGetCode(1, out _));
        Assert.Equal(new[] { new Neighbor(3, 0), new Neighbor(2, 8) }, index.Search(c, 5));

        // Remove then Add replaces a code.
        index.Add(1, c);
        Assert.Equal(new[] { new Neighbor(1, 0), new Neighbor(3, 0) }, index.Search(c, 2));
    }

    [Fact]
    public void Add_DuplicateId_ThrowsAndKeepsTheOldCode()
    {
        var index = new HammingIndex(8);
        BinaryCode a = BinaryCode.FromWords([1UL], 8);
        index.Add(7, a);
        var ex = Assert.Throws<ArgumentException>(() => index.Add(7, BinaryCode.FromWords([2UL], 8)));
        Assert.Contains("Id 7 is already in the index", ex.Message);
        Assert.True(index.TryGetCode(7, out BinaryCode? kept));
        Assert.Equal(a, kept);
    }

    [Fact]
    public void AddRange_IsAllOrNothing()
    {
        var index = new HammingIndex(8);
        index.Add(1, BinaryCode.FromWords([1UL], 8));
        BinaryCodeSet codes = BinaryCodeSet.FromCodes(CodeGenerator.Uniform(3, 3, 8), 8);

        Assert.Equal("ids", Assert.Throws<ArgumentException>(() => index.AddRange([5, 6, 1], codes)).ParamName);   // clashes with the index
        Assert.Throws<ArgumentException>(() => index.AddRange([5, 6, 5], codes));   // clashes within the batch
        Assert.Throws<ArgumentException>(() => index.AddRange([5, 6], codes));      // count mismatch
        Assert.Throws<ArgumentException>(() => index.AddRange([5, 6, 7], BinaryCodeSet.FromCodes(CodeGenerator.Uniform(3, 3, 9), 9)));
        Assert.Equal(1, index.Count);

        index.AddRange([5, 6, 7], codes);
        Assert.Equal(4, index.Count);
    }

    [Fact]
    public void BadArguments_ThrowWithTheArgumentName()
    {
        var index = new HammingIndex(64);
        BinaryCode q = BinaryCode.FromWords([0UL], 64);
        BinaryCode wrong = BinaryCode.FromWords([0UL], 32);

        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => new HammingIndex(0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HammingIndex(4097));
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(q, 0)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(q, -5)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchBatch([q], 0)).ParamName);
        Assert.Equal("maxDistance", Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchRadius(q, -1)).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentNullException>(() => index.Search(null!, 1)).ParamName);
        Assert.Equal("code", Assert.Throws<ArgumentNullException>(() => index.Add(1, null!)).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentNullException>(() => index.SearchBatch(null!, 1)).ParamName);
        Assert.Contains("queries[1]", Assert.Throws<ArgumentException>(() => index.SearchBatch([q, null!], 1)).Message);
        Assert.Contains("queries[0] has 32 bits", Assert.Throws<ArgumentException>(() => index.SearchBatch([wrong], 1)).Message);
        Assert.Contains("32 bits", Assert.Throws<ArgumentException>(() => index.Search(wrong, 1)).Message);
        Assert.Contains("32 bits", Assert.Throws<ArgumentException>(() => index.Add(1, wrong)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchBatch([q], 1, 0));
    }

    [Fact]
    public void EmptyIndex_AnswersEmpty()
    {
        var index = new HammingIndex(128);
        BinaryCode q = CodeGenerator.Uniform(1, 1, 128)[0];
        Assert.Empty(index.Search(q, 10));
        Assert.Empty(index.SearchRadius(q, 128));
        Assert.All(index.SearchBatch([q, q], 3), Assert.Empty);
        Assert.Empty(index.SearchBatch([], 3));
    }

    [Fact]
    public async Task ConcurrentSearchesAndWrites_NeverCorruptAResult()
    {
        const int bits = 128;
        BinaryCode[] codes = CodeGenerator.Clustered(4, 4000, bits, 10, 0.1);
        var index = new HammingIndex(bits);
        // Even ids stay for the whole test; odd ids come and go.
        index.AddRange(Enumerable.Range(0, 2000).Select(i => (long)(2 * i)).ToArray(), BinaryCodeSet.FromCodes(codes[..2000], bits));
        var stable = Enumerable.Range(0, 2000).Select(i => ((long)(2 * i), codes[i])).ToList();
        using var stop = new CancellationTokenSource();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();

        Task writer = Task.Run(() =>
        {
            var rng = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                long id = (2 * rng.Next(2000)) + 1;
                if (!index.Remove(id))
                {
                    index.Add(id, codes[2000 + (int)(id / 2)]);
                }
            }
        });

        Task[] readers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            var rng = new Random(t);
            for (int i = 0; i < 150; i++)
            {
                BinaryCode q = codes[rng.Next(codes.Length)];
                IReadOnlyList<Neighbor> got = (i % 3) switch
                {
                    0 => index.Search(q, 20),
                    1 => index.SearchBatch([q, q], 20)[1],
                    _ => index.SearchRadius(q, 128).Take(20).ToList(),
                };
                if (got.Count != 20 || !got.SequenceEqual(got.Order()) || got.Select(n => n.Id).Distinct().Count() != 20)
                {
                    errors.Enqueue("unsorted or duplicated result");
                }

                // Every returned code is the stored one, and no stable code closer than the k-th was missed.
                foreach (Neighbor n in got)
                {
                    BinaryCode c = codes[n.Id % 2 == 0 ? (int)(n.Id / 2) : 2000 + (int)(n.Id / 2)];
                    if (CodeGenerator.NaiveDistance(q, c) != n.Distance)
                    {
                        errors.Enqueue($"wrong distance for id {n.Id}");
                    }
                }

                Neighbor worst = got[^1];
                Neighbor[] stableBest = CodeGenerator.BruteForce(stable, q, 20);
                if (stableBest.Any(s => s < worst && !got.Contains(s)))
                {
                    errors.Enqueue("a stable neighbour was missed");
                }
            }
        })).ToArray();

        await Task.WhenAll(readers);
        stop.Cancel();
        await writer;
        Assert.Empty(errors);
    }
}
