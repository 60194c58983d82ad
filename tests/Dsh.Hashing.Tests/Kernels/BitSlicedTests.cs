using Dsh.Hashing.Kernels.BitSliced;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Tests.Kernels;

/// <summary>The bit-sliced (transposed) store and scan against a naive bit-by-bit reference.</summary>
public class BitSlicedTests
{
    private static readonly int[] Bits = [1, 7, 63, 64, 65, 127, 128, 129, 255, 256, 500, 1024, 4096];
    private static readonly int[] Counts = [0, 1, 511, 512, 513, 1500];

    public static TheoryData<int, int> BitsAndCounts()
    {
        var data = new TheoryData<int, int>();
        foreach (int bits in Bits)
        {
            foreach (int count in Counts)
            {
                data.Add(bits, count);
            }
        }

        return data;
    }

    public static TheoryData<int> AllBits()
    {
        var data = new TheoryData<int>();
        foreach (int bits in Bits)
        {
            data.Add(bits);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BitsAndCounts))]
    public void Scan_ThresholdIsBits_ReportsEveryRowOnceWithItsNaiveDistance(int bits, int count)
    {
        var rng = new Random((bits * 7919) + count);
        List<ulong[]> rows = RandomRows(rng, bits, count);
        ulong[] query = RandomRow(rng, bits);

        // Built row by row and in one range (the 64-row transpose path): same planes, same answers.
        BitSlicedStore one = new(bits), range = new(bits);
        foreach (ulong[] r in rows)
        {
            one.Append(r);
        }

        range.AppendRange(Flatten(rows));
        Assert.Equal(count, range.Count);
        Assert.Equal((count + 511) / 512, range.BlockCount);
        var expected = rows.Select((r, i) => (i, Naive(query, r, bits))).ToList();

        foreach (BitSlicedStore store in new[] { one, range })
        {
            var sink = new RecordingSink(bits);
            store.Scan(store.Prepare(query), 0, store.BlockCount, sink);
            Assert.Equal(expected, sink.Found.OrderBy(x => x.Slot).ToList());

            // Block by block, and in two ranges, gives the same.
            var split = new RecordingSink(bits);
            int half = store.BlockCount / 2;
            BitSlicedQuery q = store.Prepare(query);
            store.Scan(q, 0, half, split);
            store.Scan(q, half, store.BlockCount - half, split);
            Assert.Equal(expected, split.Found.OrderBy(x => x.Slot).ToList());
        }

        var back = new ulong[(bits + 63) / 64];
        for (int i = 0; i < count; i += 97)
        {
            range.GetRow(i, back);
            Assert.Equal(rows[i], back);
        }
    }

    [Theory]
    [MemberData(nameof(BitsAndCounts))]
    public void Scan_WithThreshold_ReportsExactlyTheRowsWithin(int bits, int count)
    {
        var rng = new Random((bits * 31) + count + 1);
        ulong[] query = RandomRow(rng, bits);

        // Half the rows near the query (a few bits flipped), so small thresholds have hits too.
        List<ulong[]> rows = RandomRows(rng, bits, count);
        for (int i = 0; i < count; i += 2)
        {
            rows[i] = Flip(rng, query, bits, rng.Next(Math.Min(bits, 6) + 1));
        }

        var store = new BitSlicedStore(bits);
        store.AppendRange(Flatten(rows));
        int[] distances = rows.Select(r => Naive(query, r, bits)).ToArray();
        BitSlicedQuery q = store.Prepare(query);

        foreach (int threshold in new[] { -1, 0, 1, 2, 3, bits / 3, (bits / 2) - 1, bits / 2, bits - 1, bits, bits + 5, int.MaxValue })
        {
            var sink = new RecordingSink(threshold);
            store.Scan(q, 0, store.BlockCount, sink);
            var expected = Enumerable.Range(0, count).Where(i => distances[i] <= threshold).Select(i => (i, distances[i])).ToList();
            Assert.Equal(expected, sink.Found.OrderBy(x => x.Slot).ToList());
        }
    }

    [Theory]
    [MemberData(nameof(BitsAndCounts))]
    public void Scan_IntoTopK_EqualsBruteForce(int bits, int count)
    {
        var rng = new Random((bits * 131) + count + 2);
        List<ulong[]> rows = RandomRows(rng, bits, count);
        var store = new BitSlicedStore(bits);
        store.AppendRange(Flatten(rows));
        long[] ids = Enumerable.Range(0, count).Select(i => 1000L + i).ToArray();

        var queries = new List<ulong[]>();
        for (int t = 0; t < 3; t++)
        {
            queries.Add(RandomRow(rng, bits));
        }

        if (count > 0)
        {
            queries.Add(Flip(rng, rows[count / 2], bits, 1)); // a query next to a stored row
        }

        foreach (int k in new[] { 1, 10, 100 })
        {
            // One query at a time, and all of them batched block by block.
            var batchSinks = queries.Select(_ => (NeighborSink)new TopKCollector(k, bits)).ToArray();
            BitSlicedQuery[] prepared = queries.Select(x => store.Prepare(x)).ToArray();
            store.Scan(prepared, batchSinks, 0, store.BlockCount);
            for (int qi = 0; qi < queries.Count; qi++)
            {
                Neighbor[] expected = rows.Select((r, i) => new Neighbor(ids[i], Naive(queries[qi], r, bits))).Order().Take(k).ToArray();
                var single = new TopKCollector(k, bits);
                store.Scan(prepared[qi], 0, store.BlockCount, single);
                Assert.Equal(expected, single.ToResult(ids));
                Assert.Equal(expected, ((TopKCollector)batchSinks[qi]).ToResult(ids));
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllBits))]
    public void Mutations_AppendCopyRowRemoveLast_KeepScanEqualToBruteForce(int bits)
    {
        var rng = new Random(bits + 3);
        var model = new List<ulong[]>();
        var store = new BitSlicedStore(bits);
        for (int step = 0; step < 40; step++)
        {
            int op = rng.Next(5);
            if (op == 0)
            {
                List<ulong[]> batch = RandomRows(rng, bits, rng.Next(300));
                store.AppendRange(Flatten(batch));
                model.AddRange(batch);
            }
            else if (op == 1)
            {
                for (int i = rng.Next(80); i > 0; i--)
                {
                    ulong[] r = RandomRow(rng, bits);
                    store.Append(r);
                    model.Add(r);
                }
            }
            else if (op is 2 or 3 && model.Count > 0)
            {
                // Remove = move the last row into the freed slot, then drop the last.
                for (int i = rng.Next(Math.Min(model.Count, 120)); i > 0; i--)
                {
                    int free = rng.Next(model.Count);
                    int last = model.Count - 1;
                    store.CopyRow(last, free);
                    model[free] = model[last];
                    store.RemoveLast();
                    model.RemoveAt(last);
                }
            }
            else if (op == 4 && rng.Next(4) == 0)
            {
                store.Clear();
                model.Clear();
            }

            Assert.Equal(model.Count, store.Count);
            ulong[] query = RandomRow(rng, bits);
            var sink = new RecordingSink(bits);
            store.Scan(store.Prepare(query), 0, store.BlockCount, sink);
            var expected = model.Select((r, i) => (i, Naive(query, r, bits))).ToList();
            Assert.Equal(expected, sink.Found.OrderBy(x => x.Slot).ToList());
        }
    }

    [Fact]
    public void Scan_SinkLoweringThresholdMidBlock_NeverGetsARowPastIt()
    {
        const int bits = 128;
        var rng = new Random(5);
        List<ulong[]> rows = RandomRows(rng, bits, 1500);
        var store = new BitSlicedStore(bits);
        store.AppendRange(Flatten(rows));
        ulong[] query = RandomRow(rng, bits);
        int[] distances = rows.Select(r => Naive(query, r, bits)).ToArray();

        var sink = new ShrinkingSink(bits);
        store.Scan(store.Prepare(query), 0, store.BlockCount, sink);

        // Every report was within the threshold at the time (the sink asserts); the rows it never saw
        // are all beyond the final threshold.
        var seen = sink.Found.Select(x => x.Slot).ToHashSet();
        Assert.All(sink.Found, x => Assert.Equal(distances[x.Slot], x.Distance));
        Assert.All(Enumerable.Range(0, rows.Count).Where(i => !seen.Contains(i)), i => Assert.True(distances[i] > sink.Threshold));
    }

    public static TheoryData<int, int, int> BitsCountsAndGroups()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int bits in Bits)
        {
            foreach (int count in new[] { 1, 511, 1100 })
            {
                foreach (int group in new[] { 1, 2, 3, 16 })
                {
                    data.Add(bits, count, group);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// The multi-query scan (queries paired 0+1, 2+3, ..., an odd last one alone) against brute force:
    /// fixed thresholds report exactly the rows within; sinks that lower their threshold with every row
    /// (in one query of a pair but not the other, some down to -1 mid-scan) see each row at most once,
    /// with its exact distance, never past their threshold, and miss only rows beyond their final one.
    /// </summary>
    [Theory]
    [MemberData(nameof(BitsCountsAndGroups))]
    public void ScanBatch_PairedQueries_EqualsBruteForce(int bits, int count, int group)
    {
        var rng = new Random((bits * 977) + (count * 13) + group);
        List<ulong[]> rows = RandomRows(rng, bits, count);
        var store = new BitSlicedStore(bits);
        store.AppendRange(Flatten(rows));

        // Random queries, stored rows (distance 0), near rows, a repeated query and a complement (pairs
        // with only classes 00/11 or 01/10), all-zero and all-one queries.
        var queries = new List<ulong[]>();
        for (int i = 0; i < group; i++)
        {
            ulong[] q = (i % 8) switch
            {
                0 => RandomRow(rng, bits),
                1 => rows[rng.Next(count)],
                2 => Flip(rng, rows[rng.Next(count)], bits, rng.Next(Math.Min(bits, 4) + 1)),
                3 => (ulong[])queries[i - 1].Clone(),
                4 => Complement(queries[i - 1], bits),
                5 => new ulong[(bits + 63) / 64],
                6 => Complement(new ulong[(bits + 63) / 64], bits),
                _ => RandomRow(rng, bits),
            };
            queries.Add(q);
        }

        BitSlicedQuery[] prepared = queries.Select(q => store.Prepare(q)).ToArray();
        int[][] distances = queries.Select(q => rows.Select(r => NaivePopCount(q, r)).ToArray()).ToArray();

        foreach (int mode in new[] { 0, 1, 2 })
        {
            // mode 0: fixed thresholds; 1: even queries shrink, odd fixed; 2: odd shrink, even fixed (one done from the start).
            var sinks = new NeighborSink[group];
            var fixedThresholds = new int[group];
            for (int i = 0; i < group; i++)
            {
                bool shrink = (mode == 1 && (i & 1) == 0) || (mode == 2 && (i & 1) == 1);
                fixedThresholds[i] = (i % 5) switch
                {
                    0 => bits,
                    1 => bits / 2,
                    2 => Math.Min(3, bits),
                    3 => mode == 2 ? -1 : 0,
                    _ => (bits / 2) - 1,
                };
                sinks[i] = shrink ? new ShrinkingSink(bits) : new RecordingSink(fixedThresholds[i]);
            }

            // In two ranges (a partial last block at the end), as the index calls it.
            int half = store.BlockCount / 2;
            store.Scan(prepared, sinks, 0, half);
            store.Scan(prepared, sinks, half, store.BlockCount - half);

            for (int i = 0; i < group; i++)
            {
                int[] d = distances[i];
                if (sinks[i] is ShrinkingSink shrinking)
                {
                    Assert.Equal(shrinking.Found.Count, shrinking.Found.Select(x => x.Slot).Distinct().Count());
                    Assert.All(shrinking.Found, x => Assert.Equal(d[x.Slot], x.Distance));
                    var seen = shrinking.Found.Select(x => x.Slot).ToHashSet();
                    Assert.All(Enumerable.Range(0, count).Where(r => !seen.Contains(r)), r => Assert.True(d[r] > shrinking.Threshold));
                    Assert.Equal(d.Min(), shrinking.Found[^1].Distance);
                }
                else
                {
                    var recording = (RecordingSink)sinks[i];
                    var expected = Enumerable.Range(0, count).Where(r => d[r] <= fixedThresholds[i]).Select(r => (r, d[r])).ToList();
                    Assert.Equal(expected, recording.Found.OrderBy(x => x.Slot).ToList());
                }
            }
        }

        // Top-k for the whole group, block range by block range, equals brute force.
        long[] ids = Enumerable.Range(0, count).Select(i => 1000L + i).ToArray();
        var topK = queries.Select(_ => (NeighborSink)new TopKCollector(10, bits)).ToArray();
        for (int start = 0; start < store.BlockCount; start++)
        {
            store.Scan(prepared, topK, start, 1);
        }

        for (int i = 0; i < group; i++)
        {
            Neighbor[] expected = distances[i].Select((d, r) => new Neighbor(ids[r], d)).Order().Take(10).ToArray();
            Assert.Equal(expected, ((TopKCollector)topK[i]).ToResult(ids));
        }
    }

    [Fact]
    public void ScanBatch_QueriesOfAnotherWidthOrOneSinkShort_Throws()
    {
        var store = new BitSlicedStore(128);
        store.Append(new ulong[2]);
        BitSlicedQuery q = store.Prepare(new ulong[2]);
        BitSlicedQuery other = new BitSlicedStore(64).Prepare(new ulong[1]);
        Assert.Throws<ArgumentException>(() => store.Scan(new[] { q, other }, new NeighborSink[] { new RecordingSink(1), new RecordingSink(1) }, 0, 1));
        Assert.Throws<ArgumentException>(() => store.Scan(new[] { q, q }, new NeighborSink[] { new RecordingSink(1) }, 0, 1));
    }

    [Fact]
    public void Transpose64_MovesEntryRowColToColRow()
    {
        var rng = new Random(9);
        var a = new ulong[64];
        for (int i = 0; i < 64; i++)
        {
            a[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 33);
        }

        ulong[] t = (ulong[])a.Clone();
        BitSlicedStore.Transpose64(t);
        for (int r = 0; r < 64; r++)
        {
            for (int c = 0; c < 64; c++)
            {
                Assert.Equal((a[r] >> c) & 1, (t[c] >> r) & 1);
            }
        }
    }

    [Fact]
    public void Prepare_WrongWidth_Throws()
    {
        var store = new BitSlicedStore(128);
        store.Append(new ulong[2]);
        Assert.Throws<ArgumentException>(() => store.Prepare(new ulong[1]));
        BitSlicedQuery other = new BitSlicedStore(64).Prepare(new ulong[1]);
        Assert.Throws<ArgumentException>(() => store.Scan(other, 0, 1, new RecordingSink(64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Scan(store.Prepare(new ulong[2]), 0, 2, new RecordingSink(64)));
    }

    private static int Naive(ulong[] a, ulong[] b, int bits)
    {
        int d = 0;
        for (int j = 0; j < bits; j++)
        {
            d += (int)(((a[j >> 6] ^ b[j >> 6]) >> (j & 63)) & 1);
        }

        return d;
    }

    private static int NaivePopCount(ulong[] a, ulong[] b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++)
        {
            d += System.Numerics.BitOperations.PopCount(a[i] ^ b[i]);
        }

        return d;
    }

    private static ulong[] RandomRow(Random rng, int bits)
    {
        var w = new ulong[(bits + 63) / 64];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
        }

        if (bits % 64 != 0)
        {
            w[^1] &= (1UL << (bits % 64)) - 1;
        }

        return w;
    }

    private static List<ulong[]> RandomRows(Random rng, int bits, int count) =>
        Enumerable.Range(0, count).Select(_ => RandomRow(rng, bits)).ToList();

    private static ulong[] Flip(Random rng, ulong[] row, int bits, int flips)
    {
        ulong[] r = (ulong[])row.Clone();
        for (int i = 0; i < flips; i++)
        {
            int j = rng.Next(bits);
            r[j >> 6] ^= 1UL << (j & 63);
        }

        return r;
    }

    private static ulong[] Complement(ulong[] row, int bits)
    {
        ulong[] r = row.Select(w => ~w).ToArray();
        if (bits % 64 != 0)
        {
            r[^1] &= (1UL << (bits % 64)) - 1;
        }

        return r;
    }

    private static ulong[] Flatten(List<ulong[]> rows) => rows.SelectMany(r => r).ToArray();

    private sealed class RecordingSink : NeighborSink
    {
        public RecordingSink(int threshold) => Threshold = threshold;

        public List<(int Slot, int Distance)> Found { get; } = new();

        public override void Add(int distance, int slot)
        {
            Assert.True(distance <= Threshold, "the scan reported a row beyond the threshold");
            Found.Add((slot, distance));
        }
    }

    /// <summary>Lowers its threshold to the distance of every row it accepts (a 1-NN that keeps ties out).</summary>
    private sealed class ShrinkingSink : NeighborSink
    {
        public ShrinkingSink(int threshold) => Threshold = threshold;

        public List<(int Slot, int Distance)> Found { get; } = new();

        public override void Add(int distance, int slot)
        {
            Assert.True(distance <= Threshold, "the scan reported a row beyond the threshold");
            Found.Add((slot, distance));
            Threshold = distance - 1;
        }
    }
}
