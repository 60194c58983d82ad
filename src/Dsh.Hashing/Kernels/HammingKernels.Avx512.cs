using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Kernels;

/// <content>The 512-bit loops (AVX-512F + BW).</content>
internal static partial class HammingKernels
{
    /// <summary>Popcount of each 64-bit lane with 512-bit nibble lookup and <c>vpsadbw</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> PopCount512(Vector512<ulong> x)
    {
        Vector512<byte> lut = Vector512.Create(
            (byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector512<byte> low = Vector512.Create((byte)0x0F);
        Vector512<byte> lo = x.AsByte() & low;
        Vector512<byte> hi = Vector512.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low;
        Vector512<byte> counts = Avx512BW.Shuffle(lut, lo) + Avx512BW.Shuffle(lut, hi);
        return Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64();
    }

    /// <summary>Lane j of the result is lane 2j + lane 2j+1 of the 16 lanes (a then b): pairs summed, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> PairSums(Vector512<ulong> a, Vector512<ulong> b)
    {
        Vector512<ulong> even = Vector512.Create(0UL, 2, 4, 6, 8, 10, 12, 14);
        Vector512<ulong> odd = Vector512.Create(1UL, 3, 5, 7, 9, 11, 13, 15);
        return Avx512F.PermuteVar8x64x2(a, even, b) + Avx512F.PermuteVar8x64x2(a, odd, b);
    }

    // Long-running loops: compiled fully optimised at once rather than through the tiers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanAvx512(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> rows, int w, int slotBase, int count, NeighborSink sink)
    {
        ref ulong c = ref MemoryMarshal.GetReference(rows);
        Vector512<long> threshold = Vector512.Create((long)sink.Threshold);
        int i = 0;
        if (w == 1)
        {
            // 8 codes a vector.
            Vector512<ulong> q = Vector512.Create(query[0]);
            for (; i + 8 <= count; i += 8)
            {
                Vector512<ulong> d = PopCount512(Vector512.LoadUnsafe(ref c, (nuint)i) ^ q);
                uint mask = (uint)Vector512.LessThanOrEqual(d.AsInt64(), threshold).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    Report(mask, query, rows, w, slotBase, i, sink);
                    threshold = Vector512.Create((long)sink.Threshold);
                }
            }
        }
        else if (w == 2)
        {
            // 4 codes a vector; two vectors and one pair-sum give 8 distances in code order.
            Vector512<ulong> q = Vector512.Create(query[0], query[1], query[0], query[1], query[0], query[1], query[0], query[1]);
            for (; i + 8 <= count; i += 8)
            {
                nuint at = (nuint)(i * 2);
                Vector512<ulong> a = PopCount512(Vector512.LoadUnsafe(ref c, at) ^ q);
                Vector512<ulong> b = PopCount512(Vector512.LoadUnsafe(ref c, at + 8) ^ q);
                Vector512<ulong> d = PairSums(a, b);
                uint mask = (uint)Vector512.LessThanOrEqual(d.AsInt64(), threshold).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    Report(mask, query, rows, w, slotBase, i, sink);
                    threshold = Vector512.Create((long)sink.Threshold);
                }
            }
        }
        else if (w == 4)
        {
            // 2 codes a vector; four vectors and two rounds of pair sums give 8 distances in code order.
            Vector512<ulong> q = Vector512.Create(query[0], query[1], query[2], query[3], query[0], query[1], query[2], query[3]);
            for (; i + 8 <= count; i += 8)
            {
                nuint at = (nuint)(i * 4);
                Vector512<ulong> a = PopCount512(Vector512.LoadUnsafe(ref c, at) ^ q);
                Vector512<ulong> b = PopCount512(Vector512.LoadUnsafe(ref c, at + 8) ^ q);
                Vector512<ulong> e = PopCount512(Vector512.LoadUnsafe(ref c, at + 16) ^ q);
                Vector512<ulong> f = PopCount512(Vector512.LoadUnsafe(ref c, at + 24) ^ q);
                Vector512<ulong> d = PairSums(PairSums(a, b), PairSums(e, f));
                uint mask = (uint)Vector512.LessThanOrEqual(d.AsInt64(), threshold).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    Report(mask, query, rows, w, slotBase, i, sink);
                    threshold = Vector512.Create((long)sink.Threshold);
                }
            }
        }
        else if (w % 8 == 0)
        {
            // Wide codes: one code at a time, w / 8 vectors summed, then a horizontal sum.
            ref ulong qr = ref MemoryMarshal.GetReference(query);
            int vectors = w / 8;
            for (; i < count; i++)
            {
                nuint at = (nuint)(i * w);
                Vector512<ulong> acc = Vector512<ulong>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    nuint off = (nuint)(v * 8);
                    acc += PopCount512(Vector512.LoadUnsafe(ref c, at + off) ^ Vector512.LoadUnsafe(ref qr, off));
                }

                int d = (int)Vector512.Sum(acc);
                if (d <= sink.Threshold)
                {
                    sink.Add(d, slotBase + i);
                }
            }
        }

        // The rest (fewer than 8 codes, or a width without a vector loop).
        ScanScalar(query, rows, w, slotBase, i, count, sink);
    }
}
