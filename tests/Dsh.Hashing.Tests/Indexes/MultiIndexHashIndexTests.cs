using System.Collections.Concurrent;
using System.Numerics;
using Dsh.Hashing.Indexes.Mih;
using Dsh.Hashing.Indexes;
using Dsh.Hashing.Persistence;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Indexes;

public class MultiIndexHashIndexTests
{
    /// <summary>Probes whenever a lookup or a verification is cheaper than scanning one word: exercises probing and the mid-search fallback on small data.</summary>
    private static readonly MihCostModel Cheap = new(probeCost: 1, candidateCost: 1, neverScan: false);

    private static readonly int[] AllBits = [1, 8, 63, 64, 65, 128, 200, 256];

    public static TheoryData<int, bool> BitsAndClustering()
    {
        var data = new TheoryData<int, bool>();
        foreach (int bits in AllBits)
        {
            data.Add(bits, false);
            data.Add(bits, true);
        }

        return data;
    }

    // ---------------------------------------------------------------- equality with HammingIndex

    [Theory]
    [MemberData(nameof(BitsAndClustering))]
    public void Search_SearchRadius_SearchBatch_EqualHammingIndex(int bits, bool clustered)
    {
        for (int seed = 0; seed < 3; seed++)
        {
            List<(long Id, BinaryCode Code)> items = Items(bits, 300 + (seed * 150), clustered, (bits * 31) + seed);
            var flat = new HammingIndex(bits);
            flat.AddRange(items);
            BinaryCode[] queries = Queries(items, bits, new Random(seed + bits));

            foreach (int m in SubstringCounts(bits))
            {
                foreach (MihCostModel cost in CostModels(bits, m))
                {
                    MultiIndexHashIndex mih = m == 0 ? new MultiIndexHashIndex(bits) : new MultiIndexHashIndex(bits, m);
                    mih.AddRange(items);
                    mih.Cost = cost;
                    string context = $"bits={bits} clustered={clustered} seed={seed} m={mih.SubstringCount} cost={Describe(cost)}";
                    AssertEquivalent(flat, mih, queries, items.Count, context);
                }
            }
        }
    }

    [Fact]
    public void ClusteredCodes_BuiltInCostModel_ProbeInsteadOfScanning_AndStayExact()
    {
        // 20,000 codes of 128 bits near 500 centres: the k-th neighbour is close and its cluster small, so
        // probing must win. (With a few dense clusters verifying a whole cluster costs more than scanning
        // 20,000 codes, and the cost model rightly scans.)
        const int bits = 128;
        BinaryCode[] codes = CodeGenerator.Clustered(5, 20_000, bits, 500, 0.04);
        long[] ids = Enumerable.Range(0, codes.Length).Select(i => (long)(i * 7) - 5000).ToArray();
        var flat = new HammingIndex(bits);
        var mih = new MultiIndexHashIndex(bits);
        flat.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
        mih.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
        Assert.Equal(MultiIndexHashIndex.RecommendedSubstringCount(bits, codes.Length), mih.SubstringCount);
        BinaryCode[] queries = CodeGenerator.Clustered(5, 20_060, bits, 500, 0.04)[20_000..];

        int scanned = 0;
        long candidates = 0;
        foreach (BinaryCode q in queries)
        {
            IReadOnlyList<Neighbor> got = mih.Search(q, 10, out MihSearchStats stats);
            AssertSame(flat.Search(q, 10), got, "k=10");
            scanned += stats.Scanned ? 1 : 0;
            candidates += stats.Candidates;
            AssertSame(flat.SearchRadius(q, 8), mih.SearchRadius(q, 8), "r=8");
        }

        Assert.True(scanned <= queries.Length / 10, $"{scanned} of {queries.Length} searches fell back to a scan.");
        Assert.True(candidates / queries.Length < codes.Length / 10, $"{candidates / queries.Length} candidates a query of {codes.Length}.");
    }

    [Fact]
    public void UniformCodes_DefaultCost_FallBackToScan_AndStayExact()
    {
        const int bits = 128;
        BinaryCode[] codes = CodeGenerator.Uniform(8, 5000, bits);
        var items = codes.Select((c, i) => ((long)i, c)).ToList();
        var flat = new HammingIndex(bits);
        var mih = new MultiIndexHashIndex(bits);
        flat.AddRange(items);
        mih.AddRange(items);
        int scanned = 0;
        foreach (BinaryCode q in CodeGenerator.Uniform(9, 20, bits))
        {
            AssertSame(flat.Search(q, 5), mih.Search(q, 5, out MihSearchStats stats), "uniform");
            scanned += stats.Scanned ? 1 : 0;
            Assert.True(stats.Probes < 5000, $"{stats.Probes} probes before giving way to the scan.");
        }

        Assert.Equal(20, scanned);
    }

    [Fact]
    public void Ties_AreOrderedById_AndAllKeptAtTheKthDistance()
    {
        var mih = new MultiIndexHashIndex(16, 4) { Cost = Cheap };
        BinaryCode zero = BinaryCode.FromWords([0UL], 16), one = BinaryCode.FromWords([1UL], 16);
        foreach (long id in new long[] { 50, -3, 7, 1000, 2 })
        {
            mih.Add(id, zero);
        }

        foreach (long id in new long[] { -9, 4 })
        {
            mih.Add(id, one);
        }

        Assert.Equal(new long[] { -3, 2, 7 }, mih.Search(zero, 3).Select(n => n.Id));
        Assert.Equal(new long[] { -3, 2, 7, 50, 1000, -9 }, mih.Search(zero, 6).Select(n => n.Id));
        Assert.Equal(new long[] { -9, 4, -3 }, mih.Search(one, 3).Select(n => n.Id));
    }

    [Fact]
    public void EmptyIndex_AnswersEmpty()
    {
        foreach (MultiIndexHashIndex mih in new[] { new MultiIndexHashIndex(64), new MultiIndexHashIndex(64, 64) })
        {
            BinaryCode q = CodeGenerator.Uniform(1, 1, 64)[0];
            Assert.Empty(mih.Search(q, 5));
            Assert.Empty(mih.SearchRadius(q, 64));
            Assert.All(mih.SearchBatch([q, q], 3), Assert.Empty);
            Assert.Equal(0, mih.Count);
            Assert.False(mih.Contains(1));
            Assert.False(mih.TryGetCode(1, out _));
        }
    }

    // ---------------------------------------------------------------- writes

    [Theory]
    [InlineData(64, 0)]
    [InlineData(64, 4)]
    [InlineData(65, 2)]
    [InlineData(128, 0)]
    [InlineData(200, 0)]
    [InlineData(13, 13)]
    public void InterleavedWrites_CrossingRebuildThresholds_StillEqualHammingIndex(int bits, int m)
    {
        var rng = new Random(bits + m);
        BinaryCode[] pool = [.. CodeGenerator.Clustered(bits, 3000, bits, 12, 0.06), .. CodeGenerator.Uniform(bits + 1, 1000, bits)];
        var flat = new HammingIndex(bits);
        MultiIndexHashIndex mih = m == 0 ? new MultiIndexHashIndex(bits) : new MultiIndexHashIndex(bits, m);
        mih.Cost = Cheap;
        var live = new List<long>();
        long nextId = -2000;
        int initialM = mih.SubstringCount;
        var seenM = new HashSet<int> { initialM };
        int initialBuilds = mih.TableState.Builds;

        for (int step = 0; step < 60; step++)
        {
            int op = rng.Next(10);
            if (op < 4)
            {
                for (int i = 0; i < 30; i++)
                {
                    long id = nextId++;
                    BinaryCode code = pool[rng.Next(pool.Length)];
                    flat.Add(id, code);
                    mih.Add(id, code);
                    live.Add(id);
                }
            }
            else if (op < 6)
            {
                // A batch, sometimes past the rebuild threshold (max(1024, Count / 8)).
                int size = rng.Next(3) == 0 ? 1100 + rng.Next(400) : rng.Next(1, 200);
                long[] ids = Enumerable.Range(0, size).Select(_ => nextId++).ToArray();
                BinaryCodeSet codes = BinaryCodeSet.FromCodes(ids.Select(_ => pool[rng.Next(pool.Length)]), bits);
                flat.AddRange(ids, codes);
                mih.AddRange(ids, codes);
                live.AddRange(ids);
            }
            else
            {
                // Remove many, including re-adding a removed id with another code.
                int removals = Math.Min(live.Count, rng.Next(3) == 0 ? 800 : 60);
                for (int i = 0; i < removals; i++)
                {
                    int at = rng.Next(live.Count);
                    long id = live[at];
                    live[at] = live[^1];
                    live.RemoveAt(live.Count - 1);
                    Assert.True(flat.Remove(id));
                    Assert.True(mih.Remove(id));
                    Assert.False(mih.Remove(id));
                }

                if (live.Count > 0 && rng.Next(2) == 0)
                {
                    long id = live[rng.Next(live.Count)];
                    BinaryCode code = pool[rng.Next(pool.Length)];
                    flat.Remove(id);
                    mih.Remove(id);
                    flat.Add(id, code);
                    mih.Add(id, code);
                }
            }

            seenM.Add(mih.SubstringCount);
            Assert.Equal(flat.Count, mih.Count);
            if (step % 3 == 0 || step == 59)
            {
                BinaryCode[] queries = [pool[rng.Next(pool.Length)], pool[rng.Next(pool.Length)], CodeGenerator.Random(rng, bits)];
                foreach (BinaryCode q in queries)
                {
                    foreach (int k in new[] { 1, 7, flat.Count + 1 })
                    {
                        AssertSame(flat.Search(q, k), mih.Search(q, k), $"step={step} k={k} m={mih.SubstringCount}");
                    }

                    foreach (int r in new[] { 0, 3, bits / 5 })
                    {
                        AssertSame(flat.SearchRadius(q, r), mih.SearchRadius(q, r), $"step={step} r={r} m={mih.SubstringCount}");
                    }
                }
            }
        }

        foreach (long id in live.Take(50))
        {
            Assert.True(mih.TryGetCode(id, out BinaryCode? a));
            Assert.True(flat.TryGetCode(id, out BinaryCode? b));
            Assert.Equal(b, a);
        }

        Assert.True(mih.TableState.Builds > initialBuilds + 1, "the writes should have crossed the rebuild threshold");
        if (m != 0)
        {
            Assert.Equal(new HashSet<int> { m }, seenM);
        }
    }

    [Fact]
    public void AutomaticSubstringCount_FollowsTheCount_WithHysteresis()
    {
        const int bits = 128;
        var mih = new MultiIndexHashIndex(bits);
        Assert.Equal(MultiIndexHashIndex.RecommendedSubstringCount(bits, 0), mih.SubstringCount);
        BinaryCode[] codes = CodeGenerator.Uniform(3, 40_000, bits);
        long[] ids = Enumerable.Range(0, codes.Length).Select(i => (long)i).ToArray();

        // One big batch into the empty index: one build, with the count's m.
        int builds = mih.TableState.Builds;
        mih.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
        Assert.Equal(builds + 1, mih.TableState.Builds);
        Assert.Equal(8, MultiIndexHashIndex.RecommendedSubstringCount(bits, 40_000));
        Assert.Equal(8, mih.SubstringCount);
        Assert.Equal(0, mih.TableState.Pending);
        Assert.Equal(40_000, mih.TableState.BuiltRows);

        // Down to 26,000 codes the recommendation is 9, but the count has not halved: m stays.
        for (int i = 0; i < 14_000; i++)
        {
            mih.Remove(i);
        }

        Assert.Equal(9, MultiIndexHashIndex.RecommendedSubstringCount(bits, 26_000));
        Assert.Equal(8, mih.SubstringCount);

        // Halved at 20,000 (→ 9), halved again at 10,000 (→ 10).
        for (int i = 14_000; i < 30_000; i++)
        {
            mih.Remove(i);
            if (i == 19_999)
            {
                Assert.Equal(9, mih.SubstringCount);
            }
        }

        Assert.Equal(10, mih.SubstringCount);

        var flat = new HammingIndex(bits);
        flat.AddRange(ids[30_000..], BinaryCodeSet.FromCodes(codes[30_000..], bits));
        foreach (BinaryCode q in CodeGenerator.Uniform(4, 5, bits))
        {
            AssertSame(flat.Search(q, 3), mih.Search(q, 3), "after removals");
        }

        // An explicit m never changes.
        var fixedM = new MultiIndexHashIndex(bits, 2);
        fixedM.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
        Assert.Equal(2, fixedM.SubstringCount);
    }

    [Fact]
    public void RecommendedSubstringCount_Formula()
    {
        Assert.Equal(6, MultiIndexHashIndex.RecommendedSubstringCount(128, 1_000_000));
        Assert.Equal(3, MultiIndexHashIndex.RecommendedSubstringCount(64, 1_000_000));
        Assert.Equal(6, MultiIndexHashIndex.RecommendedSubstringCount(64, 0)); // log2(1024) = 10, 6.4 → 6
        Assert.Equal(6, MultiIndexHashIndex.RecommendedSubstringCount(64, 1024));
        Assert.Equal(1, MultiIndexHashIndex.RecommendedSubstringCount(1, 5));
        Assert.Equal(2, MultiIndexHashIndex.RecommendedSubstringCount(128, long.MaxValue)); // clamped to ceil(128/64)
        Assert.Equal(3, MultiIndexHashIndex.RecommendedSubstringCount(25, 0)); // 2.5 rounds away from zero
        Assert.Equal(1, MultiIndexHashIndex.RecommendedSubstringCount(5, 0)); // 0.5 → 1
        Assert.Equal(1, MultiIndexHashIndex.RecommendedSubstringCount(4, 0));
        Assert.Equal(410, MultiIndexHashIndex.RecommendedSubstringCount(4096, 0));
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => MultiIndexHashIndex.RecommendedSubstringCount(64, -1)).ParamName);
        Assert.Equal("codeLength", Assert.Throws<ArgumentOutOfRangeException>(() => MultiIndexHashIndex.RecommendedSubstringCount(0, 10)).ParamName);
    }

    // ---------------------------------------------------------------- persistence

    [Theory]
    [InlineData(128, 0)]
    [InlineData(128, 5)]
    [InlineData(65, 65)]
    public void SaveLoad_RoundTrip(int bits, int m)
    {
        List<(long Id, BinaryCode Code)> items = Items(bits, 900, clustered: true, seed: 77);
        MultiIndexHashIndex mih = m == 0 ? new MultiIndexHashIndex(bits) : new MultiIndexHashIndex(bits, m);
        mih.AddRange(items);
        foreach ((long id, _) in items.Take(100))
        {
            mih.Remove(id);
        }

        using var stream = new MemoryStream();
        mih.Save(stream);
        long length = stream.Length;
        stream.Position = 0;
        MultiIndexHashIndex loaded = MultiIndexHashIndex.Load(stream);
        Assert.Equal(length, stream.Position);
        Assert.Equal(mih.Count, loaded.Count);
        Assert.Equal(mih.SubstringCount, loaded.SubstringCount);

        string path = Path.Combine(Path.GetTempPath(), $"dsh-mih-{Guid.NewGuid():N}.dshi");
        try
        {
            mih.Save(path);
            MultiIndexHashIndex fromFile = MultiIndexHashIndex.Load(path);
            foreach (BinaryCode q in items.Skip(50).Take(10).Select(x => x.Code))
            {
                AssertSame(mih.Search(q, 8), loaded.Search(q, 8), "stream");
                AssertSame(mih.Search(q, 8), fromFile.Search(q, 8), "file");
                AssertSame(mih.SearchRadius(q, 10), fromFile.SearchRadius(q, 10), "file radius");
            }

            // The explicit m survives; later writes keep it, automatic m keeps following the count.
            loaded.AddRange(Items(bits, 50, clustered: false, seed: 78).Select(x => (x.Id + 1_000_000, x.Code)));
            if (m != 0)
            {
                Assert.Equal(m, loaded.SubstringCount);
            }

            File.AppendAllText(path, "x");
            Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_RejectsOtherKindsAndBadSubstringCounts()
    {
        var flat = new HammingIndex(64);
        flat.Add(1, CodeGenerator.Uniform(1, 1, 64)[0]);
        using var flatStream = new MemoryStream();
        flat.Save(flatStream);
        flatStream.Position = 0;
        Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(flatStream));

        foreach (int bad in new[] { 65, -1, 1000 })
        {
            var store = new CodeStore(64);
            store.Add(1, CodeGenerator.Uniform(2, 1, 64)[0].Words);
            using var stream = new MemoryStream();
            IndexFile.Write(stream, "MIHX", store, bad);
            stream.Position = 0;
            InvalidDataException ex = Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(stream));
            Assert.Contains("substring count", ex.Message);
        }

        var wide = new CodeStore(200);
        using var wideStream = new MemoryStream();
        IndexFile.Write(wideStream, "MIHX", wide, 3); // 200 bits need at least 4 substrings of ≤ 64 bits
        wideStream.Position = 0;
        Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(wideStream));

        Assert.Throws<ArgumentNullException>(() => MultiIndexHashIndex.Load((Stream)null!));
        Assert.ThrowsAny<ArgumentException>(() => MultiIndexHashIndex.Load(" "));
        Assert.Throws<ArgumentNullException>(() => new MultiIndexHashIndex(8).Save((Stream)null!));
    }

    // ---------------------------------------------------------------- bad input

    [Theory]
    [InlineData(64, 0)]
    [InlineData(64, -1)]
    [InlineData(64, 65)]
    [InlineData(128, 1)]
    [InlineData(65, 1)]
    [InlineData(8, 9)]
    [InlineData(4096, 63)]
    public void Constructor_SubstringCountOutOfRange_Throws(int bits, int m)
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashIndex(bits, m));
        Assert.Equal("substringCount", ex.ParamName);
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 64)]
    [InlineData(128, 2)]
    [InlineData(65, 2)]
    [InlineData(1, 1)]
    [InlineData(4096, 64)]
    public void Constructor_SubstringCountAtTheLimits_Works(int bits, int m)
    {
        var mih = new MultiIndexHashIndex(bits, m) { Cost = Cheap };
        Assert.Equal(m, mih.SubstringCount);
        List<(long Id, BinaryCode Code)> items = Items(bits, 60, clustered: true, seed: bits + m);
        mih.AddRange(items);
        var flat = new HammingIndex(bits);
        flat.AddRange(items);
        foreach (BinaryCode q in items.Take(5).Select(x => x.Code))
        {
            AssertSame(flat.Search(q, 4), mih.Search(q, 4), $"bits={bits} m={m}");
        }
    }

    [Fact]
    public void BadArguments_ThrowLikeHammingIndex()
    {
        var flat = new HammingIndex(64);
        var mih = new MultiIndexHashIndex(64);
        BinaryCode code = CodeGenerator.Uniform(1, 1, 64)[0], wrong = CodeGenerator.Uniform(1, 1, 32)[0];
        flat.Add(5, code);
        mih.Add(5, code);

        var cases = new List<Func<IHammingIndex, object?>>
        {
            x => x.Search(null!, 3),
            x => x.Search(wrong, 3),
            x => x.Search(code, 0),
            x => x.Search(code, -4),
            x => x.SearchRadius(code, -1),
            x => x.SearchRadius(null!, 1),
            x => x.SearchBatch(null!, 3),
            x => x.SearchBatch([code, null!], 3),
            x => x.SearchBatch([code, wrong], 3),
            x => x.SearchBatch([code], 0),
            x => x.SearchBatch([code], 1, 0),
            x => x.SearchBatch([code], 1, -2),
            x => x.SearchBatch([code, wrong], 1, 1, CancellationToken.None),
            x => { x.Add(5, code); return null; },
            x => { x.Add(6, null!); return null; },
            x => { x.Add(6, wrong); return null; },
            x => { x.AddRange(null!, BinaryCodeSet.FromCodes([code], 64)); return null; },
            x => { x.AddRange([7, 8], BinaryCodeSet.FromCodes([code], 64)); return null; },
            x => { x.AddRange([7], BinaryCodeSet.FromCodes([wrong], 32)); return null; },
            x => { x.AddRange([7, 7], BinaryCodeSet.FromCodes([code, code], 64)); return null; },
            x => { x.AddRange([9, 5], BinaryCodeSet.FromCodes([code, code], 64)); return null; },
            x => { x.AddRange((IEnumerable<(long, BinaryCode)>)null!); return null; },
            x => { x.AddRange([(10L, code), (11L, null!)]); return null; },
            x => { x.AddRange([(10L, code), (11L, wrong)]); return null; },
            x => { x.Save((string)null!); return null; },
        };

        for (int i = 0; i < cases.Count; i++)
        {
            Exception expected = Assert.ThrowsAny<Exception>(() => cases[i](flat));
            Exception actual = Assert.ThrowsAny<Exception>(() => cases[i](mih));
            Assert.True(expected.GetType() == actual.GetType(), $"case {i}: {expected.GetType().Name} vs {actual.GetType().Name}");
            Assert.Equal(expected.Message, actual.Message);
        }

        // Nothing was added by the failed writes.
        Assert.Equal(1, mih.Count);
        Assert.Equal([new Neighbor(5, 0)], mih.Search(code, 10));

        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => mih.SearchBatch([code], 1, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => mih.SearchBatch([code], 1, -2)).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashIndex(0)).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashIndex(BinaryCode.MaxCodeLength + 1, 100)).ParamName);
    }

    [Fact]
    public void SearchBatch_Cancelled_Throws()
    {
        var mih = new MultiIndexHashIndex(64);
        mih.AddRange(Enumerable.Range(0, 100).Select(i => (long)i).ToArray(), BinaryCodeSet.FromCodes(CodeGenerator.Uniform(1, 100, 64), 64));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => mih.SearchBatch(CodeGenerator.Uniform(2, 50, 64), 5, 1, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => mih.SearchBatch(CodeGenerator.Uniform(2, 50, 64), 5, -1, cts.Token));
    }

    // ---------------------------------------------------------------- concurrency

    [Fact]
    public async Task ConcurrentSearchesAndWrites_StaySortedAndConsistent()
    {
        const int bits = 64;
        BinaryCode[] codes = CodeGenerator.Clustered(11, 6000, bits, 10, 0.08);
        var mih = new MultiIndexHashIndex(bits) { Cost = Cheap };

        // Even ids 0..3998 stay; odd ids come and go, each always with the same code, so any result can be checked.
        BinaryCode CodeOf(long id) => codes[(int)id];
        long[] stable = Enumerable.Range(0, 2000).Select(i => 2L * i).ToArray();
        mih.AddRange(stable, BinaryCodeSet.FromCodes(stable.Select(CodeOf), bits));
        using var stop = new CancellationTokenSource();
        var errors = new ConcurrentQueue<string>();

        Task writer = Task.Run(() =>
        {
            var rng = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                if (rng.Next(20) == 0)
                {
                    // A batch large enough to force a rebuild inside the write.
                    long[] ids = Enumerable.Range(0, 1100).Select(i => (2L * i) + 1).Where(id => !mih.Contains(id)).ToArray();
                    mih.AddRange(ids, BinaryCodeSet.FromCodes(ids.Select(CodeOf), bits));
                    continue;
                }

                long id = (2 * rng.Next(2000)) + 1;
                if (!mih.Remove(id))
                {
                    mih.Add(id, CodeOf(id));
                }
            }
        });

        void Check(BinaryCode q, IReadOnlyList<Neighbor> got, int k, string what)
        {
            if (k > 0 && got.Count != k)
            {
                errors.Enqueue($"{what}: {got.Count} results, expected {k}");
            }

            if (!got.SequenceEqual(got.Order()) || got.Select(n => n.Id).Distinct().Count() != got.Count)
            {
                errors.Enqueue($"{what}: unsorted or duplicated result");
            }

            foreach (Neighbor n in got)
            {
                if (n.Distance != CodeGenerator.NaiveDistance(q, CodeOf(n.Id)))
                {
                    errors.Enqueue($"{what}: wrong distance for id {n.Id}");
                }
            }
        }

        Task[] readers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            var rng = new Random(t);
            for (int i = 0; i < 120; i++)
            {
                BinaryCode q = codes[rng.Next(4000)];
                Check(q, mih.Search(q, 20), 20, "Search");
                Check(q, mih.SearchRadius(q, 6), -1, "SearchRadius");
                if (i % 10 == 0)
                {
                    IReadOnlyList<IReadOnlyList<Neighbor>> batch = mih.SearchBatch([q, codes[rng.Next(4000)], q], 15, 2);
                    Check(q, batch[0], 15, "SearchBatch");
                    if (!batch[0].SequenceEqual(batch[2]))
                    {
                        errors.Enqueue("SearchBatch: one query, two answers within one batch");
                    }
                }
            }
        })).ToArray();

        try
        {
            await Task.WhenAll(readers);
        }
        finally
        {
            stop.Cancel();
            await writer;
        }

        Assert.Empty(errors);

        // Quiescent: equal to a flat index over the same contents.
        var flat = new HammingIndex(bits);
        long[] present = Enumerable.Range(0, 4000).Select(i => (long)i).Where(mih.Contains).ToArray();
        flat.AddRange(present, BinaryCodeSet.FromCodes(present.Select(CodeOf), bits));
        foreach (BinaryCode q in codes.Take(10))
        {
            AssertSame(flat.Search(q, 25), mih.Search(q, 25), "after the writer stopped");
        }
    }

    // ---------------------------------------------------------------- internals

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 1)]
    [InlineData(64, 3)]
    [InlineData(65, 2)]
    [InlineData(128, 6)]
    [InlineData(200, 4)]
    [InlineData(256, 256)]
    public void SubstringLayout_SplitsEvenly_AndExtractsTheRightBits(int bits, int m)
    {
        var layout = new SubstringLayout(bits, m);
        int[] lengths = Enumerable.Range(0, m).Select(layout.Length).ToArray();
        Assert.Equal(bits, lengths.Sum());
        Assert.True(lengths.Max() - lengths.Min() <= 1);
        Assert.True(lengths.Max() <= 64);
        Assert.Equal(lengths.Max(), layout.MaxLength);

        foreach (BinaryCode code in CodeGenerator.Uniform(bits, 20, bits))
        {
            int at = 0;
            for (int j = 0; j < m; j++)
            {
                ulong expected = 0;
                for (int b = 0; b < lengths[j]; b++)
                {
                    expected |= (code[at + b] ? 1UL : 0UL) << b;
                }

                Assert.Equal(expected, layout.Extract(code.Words, j));
                at += lengths[j];
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(64)]
    public void FlipMasks_EnumerateEachMaskOfPopCountOnce(int s)
    {
        for (int rho = 0; rho <= Math.Min(s, 3); rho++)
        {
            long count = Combinatorics.Binomial(s, rho);
            var seen = new HashSet<ulong>();
            ulong mask = Combinatorics.FirstMask(rho);
            for (long i = 0; i < count; i++)
            {
                if (i != 0)
                {
                    mask = Combinatorics.NextSamePopCount(mask);
                }

                Assert.Equal(rho, BitOperations.PopCount(mask));
                Assert.True(s == 64 || mask < (1UL << s));
                Assert.True(seen.Add(mask));
            }

            Assert.Equal(count, seen.Count);
        }

        Assert.Equal(ulong.MaxValue, Combinatorics.FirstMask(64));
        Assert.Equal(1832624140942590534L, Combinatorics.Binomial(64, 32));
        Assert.Equal(1, Combinatorics.Binomial(64, 64));
        Assert.Equal(0, Combinatorics.Binomial(5, 6));
    }

    [Theory]
    [InlineData(8, 500)]
    [InlineData(20, 300)]
    [InlineData(40, 3000)]
    [InlineData(64, 2000)]
    public void CsrTable_LookupEqualsGrouping(int length, int n)
    {
        var rng = new Random(length + n);
        ulong Mask(ulong v) => length == 64 ? v : v & ((1UL << length) - 1);
        ulong[] distinct = Enumerable.Range(0, Math.Max(1, n / 4)).Select(_ => Mask((ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40))).ToArray();
        ulong[] keys = Enumerable.Range(0, n).Select(_ => distinct[rng.Next(distinct.Length)]).ToArray();
        CsrTable table = CsrTable.Build(keys, length);
        Assert.Equal(length <= 26 && (1L << length) <= Math.Max(4L * n, 4096), table.IsDirect);
        foreach (IGrouping<ulong, int> group in Enumerable.Range(0, n).GroupBy(i => keys[i]))
        {
            Assert.Equal(group.Order(), table.Lookup(group.Key).ToArray().Order());
        }

        for (int i = 0; i < 200; i++)
        {
            ulong other = Mask((ulong)rng.NextInt64());
            if (!keys.Contains(other))
            {
                Assert.True(table.Lookup(other).IsEmpty);
            }
        }

        Assert.True(CsrTable.Empty(length).Lookup(keys[0]).IsEmpty);
    }

    // ---------------------------------------------------------------- helpers

    private static void AssertEquivalent(HammingIndex flat, MultiIndexHashIndex mih, BinaryCode[] queries, int count, string context)
    {
        int bits = flat.CodeLength, m = mih.SubstringCount;
        for (int qi = 0; qi < queries.Length; qi++)
        {
            BinaryCode q = queries[qi];
            foreach (int k in new[] { 1, 5, 10, count, count + 3 })
            {
                AssertSame(flat.Search(q, k), mih.Search(q, k), $"{context} query={qi} k={k}");
            }

            foreach (int r in new[] { 0, 1, 2, m - 1, m, (2 * m) + 1, bits / 4, bits / 3, bits })
            {
                AssertSame(flat.SearchRadius(q, r), mih.SearchRadius(q, Math.Max(r, 0)), $"{context} query={qi} r={r}");
            }
        }

        IReadOnlyList<IReadOnlyList<Neighbor>> expected = flat.SearchBatch(queries, 5);
        IReadOnlyList<IReadOnlyList<Neighbor>> actual = mih.SearchBatch(queries, 5);
        IReadOnlyList<IReadOnlyList<Neighbor>> single = mih.SearchBatch(queries, 5, 1);
        Assert.Equal(queries.Length, actual.Count);
        for (int i = 0; i < queries.Length; i++)
        {
            AssertSame(expected[i], actual[i], $"{context} batch {i}");
            AssertSame(expected[i], single[i], $"{context} batch(1 thread) {i}");
        }
    }

    private static void AssertSame(IReadOnlyList<Neighbor> expected, IReadOnlyList<Neighbor> actual, string context)
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        int at = 0;
        while (at < Math.Min(expected.Count, actual.Count) && expected[at] == actual[at])
        {
            at++;
        }

        string e = at < expected.Count ? expected[at].ToString() : "end";
        string a = at < actual.Count ? actual[at].ToString() : "end";
        Assert.Fail($"{context}: {expected.Count} expected, {actual.Count} got; first difference at {at}: expected {e}, got {a}.");
    }

    /// <summary>Random or clustered codes with random unique ids, plus exact duplicates of codes under other ids.</summary>
    private static List<(long Id, BinaryCode Code)> Items(int bits, int count, bool clustered, int seed)
    {
        var rng = new Random(seed);
        BinaryCode[] codes = clustered ? CodeGenerator.Clustered(seed, count, bits, 6, 0.04) : CodeGenerator.Uniform(seed, count, bits);
        var items = new List<(long Id, BinaryCode Code)>();
        var used = new HashSet<long>();
        long NewId()
        {
            long id;
            do
            {
                id = rng.NextInt64(-1_000_000_000, 1_000_000_000);
            }
            while (!used.Add(id));
            return id;
        }

        foreach (BinaryCode c in codes)
        {
            items.Add((NewId(), c));
        }

        for (int i = 0; i < count / 10; i++)
        {
            items.Add((NewId(), codes[rng.Next(codes.Length)]));
        }

        return items;
    }

    /// <summary>Stored codes (exact hits and duplicates), codes a few flips away, and uniform codes.</summary>
    private static BinaryCode[] Queries(List<(long Id, BinaryCode Code)> items, int bits, Random rng)
    {
        var queries = new List<BinaryCode> { items[0].Code, items[^1].Code };
        for (int i = 0; i < 3; i++)
        {
            bool[] b = items[rng.Next(items.Count)].Code.ToBools();
            for (int f = 0; f < 1 + rng.Next(Math.Max(1, bits / 16)); f++)
            {
                int at = rng.Next(bits);
                b[at] = !b[at];
            }

            queries.Add(BinaryCode.FromBools(b));
        }

        queries.Add(CodeGenerator.Random(rng, bits));
        queries.Add(CodeGenerator.Random(rng, bits));
        return [.. queries];
    }

    /// <summary>Automatic (0), the fewest (ceil(bits/64)), the most (bits), and one in between.</summary>
    private static IEnumerable<int> SubstringCounts(int bits)
    {
        int min = (bits + 63) / 64;
        return new[] { 0, min, bits, Math.Max(min, bits / 7) }.Distinct();
    }

    /// <summary>The default model, a cheap one (probing on small data, with fallbacks), and no fallback where exhaustive probing is affordable.</summary>
    private static IEnumerable<MihCostModel> CostModels(int bits, int m)
    {
        yield return MihCostModel.Default;
        yield return Cheap;
        int substrings = m == 0 ? MultiIndexHashIndex.RecommendedSubstringCount(bits, 0) : m;
        if ((bits + substrings - 1) / substrings <= 12)
        {
            yield return MihCostModel.NeverScan;
        }
    }

    private static string Describe(MihCostModel cost) =>
        cost == MihCostModel.Default ? "default" : cost == MihCostModel.NeverScan ? "never-scan" : "cheap";
}
