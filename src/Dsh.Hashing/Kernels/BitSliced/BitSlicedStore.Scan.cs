using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Kernels.BitSliced;

/// <content>
/// The plane scan. A <see cref="Vector512{T}"/> holds one plane: lane bit r (8 lanes x 64 bits) belongs to
/// row r of the block, so every vector operation below works on 512 rows at once. The distance of each
/// row is summed "vertically" into a bit-sliced counter: counter bit i is one vector whose bit r is bit i of
/// row r's count. Summing uses carry-save adders (CSA: three inputs of one weight in, a sum bit of that
/// weight and a carry bit of twice the weight out), each two <c>vpternlog</c> instructions, arranged as in
/// Harley–Seal: 16 planes a chunk fold into the running ones/twos/fours/eights bits and yield one carry
/// of weight 16; two chunks' carries fold into the sixteens bit and yield one of weight 32, which goes up
/// the higher counter bits the same way (<see cref="Push"/>). About 2.1 vector instructions a plane, i.e.
/// per 512 rows; then about one a counter bit for the threshold test (<see cref="ScanBlock"/>).
/// </content>
/// <remarks>
/// Measured (2-core Xeon, AVX-512; 1M x 128-bit codes, top-10): the batch loop runs near the L1 load and
/// vpternlog limits together (~30 cycles for a 16-plane chunk against 16 zmm loads and 30 vpternlogs). A
/// kernel that shares each plane load between two queries (planes ordered by the pair's four bit classes,
/// <see cref="ScanBlockPair"/>) serves the batch: it saves the loads but not the vpternlogs, and measured
/// 0.182 -> ~0.170 ms a query at 128 bits (0.125 -> 0.105 at 64, 0.35 -> 0.31 at 256), not the ~25% of the
/// synthetic test, so on this machine the vpternlog ports (not loads) bound the loop.
/// </remarks>
internal sealed partial class BitSlicedStore
{
    /// <summary>Prepares <paramref name="query"/> (at least <see cref="WordsPerRow"/> words) for scans of this store.</summary>
    public BitSlicedQuery Prepare(ReadOnlySpan<ulong> query) => new(_codeLength, query);

    /// <summary>
    /// Scans blocks <paramref name="startBlock"/> .. +<paramref name="blockCount"/> - 1 and hands every row
    /// within <c>sink.Threshold</c> to <paramref name="sink"/> with its global slot; the threshold is re-read
    /// after every report, so a sink that lowers it prunes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: fully optimised from the first call
    public void Scan(BitSlicedQuery query, int startBlock, int blockCount, NeighborSink sink)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sink);
        CheckScan(query, startBlock, blockCount);
        Span<byte> scratch = stackalloc byte[CounterBytes];
        ref Counter counter = ref AlignedCounter(scratch);
        for (int b = startBlock; b < startBlock + blockCount; b++)
        {
            int threshold = sink.Threshold;
            if (threshold < 0)
            {
                return;
            }

            counter.Valid = ValidRows(RowsIn(b));
            Vector512<ulong> hits = ScanBlock(ref BlockRef(b), query, threshold, ref counter);
            if (hits != Vector512<ulong>.Zero)
            {
                Report(ref counter, hits, b * BlockRows, sink);
            }
        }
    }

    /// <summary>
    /// Scans the blocks for several queries, block by block (each block, 8 KiB at 128 bits, is read from
    /// memory once and then from L1 for the other queries). Query i reports to <paramref name="sinks"/>[i].
    /// Pass whole block ranges (not one block a call): a call sets up a 1-2 KiB scratch counter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: fully optimised from the first call
    public void Scan(ReadOnlySpan<BitSlicedQuery> queries, ReadOnlySpan<NeighborSink> sinks, int startBlock, int blockCount)
    {
        if (queries.Length != sinks.Length)
        {
            throw new ArgumentException("One sink a query.", nameof(sinks));
        }

        foreach (BitSlicedQuery q in queries)
        {
            ArgumentNullException.ThrowIfNull(q, nameof(queries));
            CheckScan(q, startBlock, blockCount);
        }

        foreach (NeighborSink s in sinks)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(sinks));
        }

        // Queries 0+1, 2+3, ... share each plane load (the pair kernel); an odd last one runs alone.
        int pairs = queries.Length / 2;
        BitSlicedPair[] plans = pairs == 0 ? [] : new BitSlicedPair[pairs];
        for (int p = 0; p < pairs; p++)
        {
            plans[p] = queries[2 * p].PairWith(queries[(2 * p) + 1]);
        }

        Span<byte> scratch = stackalloc byte[CounterBytes];
        ref Counter counter = ref AlignedCounter(scratch);
        Span<byte> scratchB = stackalloc byte[CounterBytes];
        ref Counter counterB = ref AlignedCounter(scratchB);
        for (int b = startBlock; b < startBlock + blockCount; b++)
        {
            ref ulong block = ref BlockRef(b);
            counter.Valid = ValidRows(RowsIn(b));
            counterB.Valid = counter.Valid;
            int slotBase = b * BlockRows;
            for (int p = 0; p < pairs; p++)
            {
                NeighborSink sinkA = sinks[2 * p], sinkB = sinks[(2 * p) + 1];
                int thresholdA = sinkA.Threshold, thresholdB = sinkB.Threshold;
                if (thresholdA >= 0 && thresholdB >= 0)
                {
                    Vector512<ulong> hitsA = ScanBlockPair(ref block, plans[p], thresholdA, thresholdB, ref counter, ref counterB, out Vector512<ulong> hitsB);
                    if (hitsA != Vector512<ulong>.Zero)
                    {
                        Report(ref counter, hitsA, slotBase, sinkA);
                    }

                    if (hitsB != Vector512<ulong>.Zero)
                    {
                        Report(ref counterB, hitsB, slotBase, sinkB);
                    }
                }
                else if (thresholdA >= 0 || thresholdB >= 0)
                {
                    int i = thresholdA >= 0 ? 2 * p : (2 * p) + 1;
                    ScanOne(ref block, queries[i], sinks[i], slotBase, ref counter);
                }
            }

            if ((queries.Length & 1) != 0)
            {
                ScanOne(ref block, queries[^1], sinks[^1], slotBase, ref counter);
            }
        }
    }

    /// <summary>One block against one query of a batch (the single kernel), if its sink still wants rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: fully optimised from the first call
    private static void ScanOne(ref ulong block, BitSlicedQuery query, NeighborSink sink, int slotBase, ref Counter counter)
    {
        int threshold = sink.Threshold;
        if (threshold >= 0)
        {
            Vector512<ulong> hits = ScanBlock(ref block, query, threshold, ref counter);
            if (hits != Vector512<ulong>.Zero)
            {
                Report(ref counter, hits, slotBase, sink);
            }
        }
    }

    private void CheckScan(BitSlicedQuery query, int startBlock, int blockCount)
    {
        if (query.CodeLength != _codeLength)
        {
            throw new ArgumentException($"The query was prepared for {query.CodeLength}-bit codes; the store holds {_codeLength}.", nameof(query));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(startBlock);
        ArgumentOutOfRangeException.ThrowIfNegative(blockCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)startBlock + blockCount, BlockCount, nameof(blockCount));
    }

    private int RowsIn(int block) => Math.Min(BlockRows, _count - (block * BlockRows));

    /// <summary>
    /// One block against one query: the rows (bit r of lane r / 64) within <paramref name="threshold"/>
    /// (&gt;= 0) and below <see cref="Counter.Valid"/>. The counter bits of weight 1 .. 16 live in registers,
    /// the higher ones (touched once per 32 planes) in <paramref name="counter"/>; when there are hits the
    /// low ones are stored there too, for <see cref="Report"/>. No call in here, so nothing spills.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: fully optimised from the first call
    private static Vector512<ulong> ScanBlock(ref ulong block, BitSlicedQuery q, int threshold, ref Counter counter)
    {
        ref int order = ref MemoryMarshal.GetArrayDataReference(q.Order);
        ref byte kinds = ref MemoryMarshal.GetArrayDataReference(q.Kinds);
        int chunks = q.Chunks;
        int high = q.HighLevels;
        ref Vector512<ulong> levels = ref counter.Levels[0];
        ref Vector512<ulong> pendingHigh = ref counter.Pending[0];
        int pendingMask = 0;
        for (int i = 5; i < 5 + high; i++)
        {
            Unsafe.Add(ref levels, i) = Vector512<ulong>.Zero;
        }

        // The counter: bit i of a row's distance is bit r of the vector of weight 2^i.
        Vector512<ulong> ones = default, twos = default, fours = default, eights = default, sixteens = default;
        Vector512<ulong> pending = default;
        for (int c = 0; c < chunks; c++)
        {
            ref int o = ref Unsafe.Add(ref order, c * BitSlicedQuery.ChunkPlanes);
            byte kind = Unsafe.Add(ref kinds, c);
            Vector512<ulong> carry16 = kind == BitSlicedQuery.Plain
                ? Chunk(ref block, ref o, BitSlicedQuery.ChunkPlanes, ref ones, ref twos, ref fours, ref eights)
                : kind == BitSlicedQuery.Inverted
                    ? Chunk(ref block, ref o, 0, ref ones, ref twos, ref fours, ref eights)
                    : Chunk(ref block, ref o, q.MixedSplit, ref ones, ref twos, ref fours, ref eights);

            if ((c & 1) == 0)
            {
                pending = carry16;
                continue;
            }

            // Two weight-16 carries and the sixteens bit: sum stays in sixteens, carry (weight 32) ripples up.
            Vector512<ulong> carry32 = Maj(sixteens, pending, carry16);
            sixteens = Xor3(sixteens, pending, carry16);
            Push(carry32, ref levels, ref pendingHigh, ref pendingMask);
        }

        if ((chunks & 1) != 0)
        {
            // An odd last chunk: half-add its carry into sixteens.
            Vector512<ulong> carry32 = sixteens & pending;
            sixteens ^= pending;
            Push(carry32, ref levels, ref pendingHigh, ref pendingMask);
        }

        Flush(high, ref levels, ref pendingHigh, pendingMask);

        // distance <= T  <=>  distance + K has no carry out of `width` bits, K = 2^width - 1 - T.
        // A bit-sliced add of the constant K: carry' = majority(d_i, carry, K_i) with K_i all ones or
        // all zeros (d_i | carry, or d_i & carry). One instruction a counter bit; the sum is not needed.
        int width = 5 + high;
        int max = (1 << width) - 1;
        int k = max - Math.Min(threshold, max);
        ref ulong masks = ref MemoryMarshal.GetArrayDataReference(s_bitMasks);
        Vector512<ulong> over = ones & BitMask(ref masks, k);
        over = Maj(twos, over, BitMask(ref masks, k >> 1));
        over = Maj(fours, over, BitMask(ref masks, k >> 2));
        over = Maj(eights, over, BitMask(ref masks, k >> 3));
        over = Maj(sixteens, over, BitMask(ref masks, k >> 4));
        for (int i = 5; i < width; i++)
        {
            over = Maj(Unsafe.Add(ref levels, i), over, BitMask(ref masks, k >> i));
        }

        // Rows within the threshold: no carry out. Rows past the store's count (all planes zero there,
        // so their "distance" is popcount(q)) are off in Valid for a partial last block.
        Vector512<ulong> hits = Vector512.AndNot(counter.Valid, over);
        if (hits == Vector512<ulong>.Zero)
        {
            return hits;
        }

        counter.Width = width;
        levels = ones;
        Unsafe.Add(ref levels, 1) = twos;
        Unsafe.Add(ref levels, 2) = fours;
        Unsafe.Add(ref levels, 3) = eights;
        Unsafe.Add(ref levels, 4) = sixteens;
        return hits;
    }

    /// <summary>
    /// 16 planes, read at <paramref name="o"/>[0..15], folded into ones/twos/fours/eights; returns the carry
    /// of weight 16. Positions below <paramref name="split"/> are read as stored, the rest inverted
    /// (16: all plain, 0: all inverted; both constants fold when inlined).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Chunk(ref ulong block, ref int o, int split, ref Vector512<ulong> ones, ref Vector512<ulong> twos, ref Vector512<ulong> fours, ref Vector512<ulong> eights)
    {
        // Planes pairwise into ones; the carries (weight 2) pairwise into twos, and so on up.
        Vector512<ulong> twosA = Pair(ref block, ref o, 0, split, ref ones);
        Vector512<ulong> twosB = Pair(ref block, ref o, 2, split, ref ones);
        Vector512<ulong> foursA = Csa(ref twos, twosA, twosB);
        twosA = Pair(ref block, ref o, 4, split, ref ones);
        twosB = Pair(ref block, ref o, 6, split, ref ones);
        Vector512<ulong> foursB = Csa(ref twos, twosA, twosB);
        Vector512<ulong> eightsA = Csa(ref fours, foursA, foursB);
        twosA = Pair(ref block, ref o, 8, split, ref ones);
        twosB = Pair(ref block, ref o, 10, split, ref ones);
        foursA = Csa(ref twos, twosA, twosB);
        twosA = Pair(ref block, ref o, 12, split, ref ones);
        twosB = Pair(ref block, ref o, 14, split, ref ones);
        foursB = Csa(ref twos, twosA, twosB);
        Vector512<ulong> eightsB = Csa(ref fours, foursA, foursB);
        return Csa(ref eights, eightsA, eightsB);
    }

    /// <summary>
    /// Adds planes at positions <paramref name="i"/> and <paramref name="i"/> + 1 to <paramref name="ones"/>
    /// (a CSA: ones keeps the sum bit, the weight-2 carry is returned), inverting those at or past
    /// <paramref name="split"/> through the ternary-logic control bytes.
    /// </summary>
    /// <remarks>
    /// The carry is computed from the new sum s rather than the old accumulator: with x == y the carry is
    /// x (or ~x for inverted planes), otherwise the old accumulator decides, and it is s's complement. So
    /// the carry instruction may overwrite x, which dies there, and no register copy is needed (vpternlog
    /// overwrites its first operand). Control bytes: A = first operand (0xF0), B = 0xCC, C = 0xAA.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Pair(ref ulong block, ref int o, int i, int split, ref Vector512<ulong> ones)
    {
        Vector512<ulong> x = Vector512.LoadUnsafe(ref block, (nuint)(uint)Unsafe.Add(ref o, i));
        Vector512<ulong> y = Vector512.LoadUnsafe(ref block, (nuint)(uint)Unsafe.Add(ref o, i + 1));
        Vector512<ulong> a = ones;
        if (!Avx512F.IsSupported)
        {
            Vector512<ulong> xi = i >= split ? ~x : x;
            Vector512<ulong> yi = i + 1 >= split ? ~y : y;
            ones = a ^ xi ^ yi;
            return (a & xi) | (yi & (a ^ xi));
        }

        if (i + 2 <= split)
        {
            // s = ones ^ x ^ y; carry = majority(ones, x, y) = x == y ? x : ~s.
            ones = Avx512F.TernaryLogic(a, x, y, 0x96);
            return Avx512F.TernaryLogic(x, ones, y, 0xB2);
        }

        if (i >= split)
        {
            // s = ones ^ ~x ^ ~y = ones ^ x ^ y; carry = majority(ones, ~x, ~y) = x == y ? ~x : ~s.
            ones = Avx512F.TernaryLogic(a, x, y, 0x96);
            return Avx512F.TernaryLogic(x, ones, y, 0x17);
        }

        // x plain, y inverted: s = ones ^ x ^ ~y = ~(ones ^ x ^ y); carry = majority(ones, x, ~y) = x != y ? x : ~s.
        ones = Avx512F.TernaryLogic(a, x, y, 0x69);
        return Avx512F.TernaryLogic(x, ones, y, 0x71);
    }

    /// <summary>Carry-save add of two equal-weight bits into <paramref name="acc"/>; returns the carry (overwriting b, see <see cref="Pair"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Csa(ref Vector512<ulong> acc, Vector512<ulong> b, Vector512<ulong> c)
    {
        if (!Avx512F.IsSupported)
        {
            Vector512<ulong> a = acc;
            acc = a ^ b ^ c;
            return Maj(a, b, c);
        }

        acc = Avx512F.TernaryLogic(acc, b, c, 0x96);
        return Avx512F.TernaryLogic(b, acc, c, 0xB2);
    }

    /// <summary>a ^ b ^ c (ternary-logic control 0x96).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Xor3(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) =>
        Avx512F.IsSupported ? Avx512F.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c;

    /// <summary>Majority of a, b, c (ternary-logic control 0xE8): the carry of a full adder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Maj(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) =>
        Avx512F.IsSupported ? Avx512F.TernaryLogic(a, b, c, 0xE8) : (a & b) | (c & (a ^ b));

    /// <summary>All ones when bit 0 of <paramref name="k"/> is set, else zero (from <see cref="s_bitMasks"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> BitMask(ref ulong masks, int k) =>
        Vector512.LoadUnsafe(ref masks, (nuint)((uint)k & 1) * 8);

    /// <summary>Eight zero words, then eight all-ones words.</summary>
    private static readonly ulong[] s_bitMasks = [0, 0, 0, 0, 0, 0, 0, 0, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue];

    /// <summary>
    /// Adds a weight-2^5 bit to the counter bits above sixteens, Harley–Seal style: each level L >= 5 holds
    /// its bit levels[L] (in memory) plus at most one waiting carry pending[L] (bit L of
    /// <paramref name="mask"/>). A carry arriving where one waits is folded in with one CSA, whose carry
    /// moves up a level; otherwise it waits. So 2^m pushes cost 2^m - 1 CSAs, against m half adders a push
    /// for a ripple-carry counter. The value never outgrows the levels in use (it is at most the code length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Push(Vector512<ulong> carry, ref Vector512<ulong> levels, ref Vector512<ulong> pending, ref int mask)
    {
        int l = 5;
        while ((mask & (1 << l)) != 0)
        {
            mask &= ~(1 << l);
            ref Vector512<ulong> acc = ref Unsafe.Add(ref levels, l);
            Vector512<ulong> a = acc;
            Vector512<ulong> p = Unsafe.Add(ref pending, l);
            acc = Xor3(a, p, carry);
            carry = Maj(a, p, carry);
            l++;
        }

        Unsafe.Add(ref pending, l) = carry;
        mask |= 1 << l;
    }

    /// <summary>Adds the waiting carries of <see cref="Push"/> into the levels (a ripple over the high levels, once a block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flush(int high, ref Vector512<ulong> levels, ref Vector512<ulong> pending, int mask)
    {
        Vector512<ulong> carry = Vector512<ulong>.Zero;
        for (int l = 5; l < 5 + high; l++)
        {
            ref Vector512<ulong> acc = ref Unsafe.Add(ref levels, l);
            Vector512<ulong> a = acc;
            if ((mask & (1 << l)) != 0)
            {
                Vector512<ulong> p = Unsafe.Add(ref pending, l);
                acc = Xor3(a, p, carry);
                carry = Maj(a, p, carry);
            }
            else
            {
                acc = a ^ carry;
                carry = a & carry;
            }
        }
    }

    private static readonly int CounterBytes = Unsafe.SizeOf<Counter>() + 64;

    /// <summary>
    /// The counter inside <paramref name="scratch"/> (<see cref="CounterBytes"/>, on the stack), 64-byte
    /// aligned: its vectors are stored and reloaded every 32 planes, and a store or load split across two
    /// cache lines would stall the forwarding.
    /// </summary>
    private static unsafe ref Counter AlignedCounter(Span<byte> scratch)
    {
        ref byte start = ref MemoryMarshal.GetReference(scratch);
        nuint offset = (64 - ((nuint)Unsafe.AsPointer(ref start) & 63)) & 63;
        ref Counter counter = ref Unsafe.As<byte, Counter>(ref Unsafe.Add(ref start, offset));
        counter = default;
        return ref counter;
    }

    /// <summary>Lanes whose bit r is set for r &lt; <paramref name="rows"/>.</summary>
    private static Vector512<ulong> ValidRows(int rows)
    {
        if (rows >= BlockRows)
        {
            return Vector512<ulong>.AllBitsSet;
        }

        Span<ulong> lanes = stackalloc ulong[8];
        for (int i = 0; i < 8; i++)
        {
            int n = Math.Clamp(rows - (i * 64), 0, 64);
            lanes[i] = n == 64 ? ulong.MaxValue : (1UL << n) - 1;
        }

        return Vector512.Create<ulong>(lanes);
    }

    /// <summary>Reads each hit row's distance back from the counter bits and reports it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Report(ref Counter counter, Vector512<ulong> hits, int slotBase, NeighborSink sink)
    {
        int width = counter.Width;
        ref ulong bits = ref Unsafe.As<Counter.Bits, ulong>(ref counter.Levels);
        for (int lane = 0; lane < 8; lane++)
        {
            ulong m = hits.GetElement(lane);
            while (m != 0)
            {
                int r = BitOperations.TrailingZeroCount(m);
                m &= m - 1;
                int d = 0;
                for (int i = 0; i < width; i++)
                {
                    d |= (int)((Unsafe.Add(ref bits, (i * 8) + lane) >> r) & 1) << i;
                }

                if (d <= sink.Threshold)
                {
                    sink.Add(d, slotBase + (lane * 64) + r);
                }
            }
        }
    }

    /// <summary>A scan's working memory: the counter bits (weights 1 .. 4096, enough for distances up to <see cref="BinaryCode.MaxCodeLength"/>), the rows to keep.</summary>
    private struct Counter
    {
        /// <summary>Rows of the block being scanned (all but in a partial last block).</summary>
        public Vector512<ulong> Valid;

        /// <summary>Counter bits in use.</summary>
        public int Width;

        /// <summary>Bit i (weight 2^i) at index i.</summary>
        public Bits Levels;

        /// <summary>Carries waiting at levels 5 and up (see <see cref="Push"/>).</summary>
        public Bits Pending;

        [InlineArray(13)]
        public struct Bits
        {
            private Vector512<ulong> _bit;
        }
    }
}
