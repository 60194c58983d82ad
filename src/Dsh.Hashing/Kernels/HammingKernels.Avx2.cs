using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Kernels;

/// <content>The 256-bit loops (AVX2).</content>
internal static partial class HammingKernels
{
    /// <summary>Popcount of each 64-bit lane: nibble lookup (two <c>vpshufb</c>) then <c>vpsadbw</c> against zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> PopCount256(Vector256<ulong> x)
    {
        Vector256<byte> lut = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector256<byte> low = Vector256.Create((byte)0x0F);
        Vector256<byte> lo = x.AsByte() & low;
        Vector256<byte> hi = Vector256.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low;
        Vector256<byte> counts = Avx2.Shuffle(lut, lo) + Avx2.Shuffle(lut, hi);
        return Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsUInt64();
    }

    // Long-running loops: compiled fully optimised at once rather than through the tiers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanAvx2(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> rows, int w, int slotBase, int count, NeighborSink sink)
    {
        ref ulong c = ref MemoryMarshal.GetReference(rows);
        Vector256<long> threshold = Vector256.Create((long)sink.Threshold);
        int i = 0;
        if (w == 1)
        {
            // 4 codes a vector; each lane's popcount is a distance.
            Vector256<ulong> q = Vector256.Create(query[0]);
            for (; i + 4 <= count; i += 4)
            {
                Vector256<ulong> d = PopCount256(Vector256.LoadUnsafe(ref c, (nuint)i) ^ q);
                uint mask = Vector256.LessThanOrEqual(d.AsInt64(), threshold).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    Report(mask, query, rows, w, slotBase, i, sink);
                    threshold = Vector256.Create((long)sink.Threshold);
                }
            }
        }
        else if (w == 2)
        {
            // 2 codes a vector; two vectors give 4 codes, pair sums by unpack: lanes hold codes 0, 2, 1, 3.
            Vector256<ulong> q = Vector256.Create(query[0], query[1], query[0], query[1]);
            for (; i + 4 <= count; i += 4)
            {
                nuint at = (nuint)(i * 2);
                Vector256<ulong> a = PopCount256(Vector256.LoadUnsafe(ref c, at) ^ q);
                Vector256<ulong> b = PopCount256(Vector256.LoadUnsafe(ref c, at + 4) ^ q);
                Vector256<ulong> d = Avx2.UnpackLow(a, b) + Avx2.UnpackHigh(a, b);
                uint mask = Vector256.LessThanOrEqual(d.AsInt64(), threshold).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    // Lanes 1 and 2 hold codes 2 and 1: swap those mask bits back into code order.
                    mask = (mask & 0b1001) | ((mask & 0b0010) << 1) | ((mask & 0b0100) >> 1);
                    Report(mask, query, rows, w, slotBase, i, sink);
                    threshold = Vector256.Create((long)sink.Threshold);
                }
            }
        }
        else if (w % 4 == 0)
        {
            // 4 codes at a time, each the sum of w / 4 vectors; a transpose-add puts code j in lane j.
            ref ulong qr = ref MemoryMarshal.GetReference(query);
            int vectors = w / 4;
            for (; i + 4 <= count; i += 4)
            {
                nuint at = (nuint)(i * w);
                Vector256<ulong> a = Vector256<ulong>.Zero, b = a, cc = a, dd = a;
                for (int v = 0; v < vectors; v++)
                {
                    nuint off = (nuint)(v * 4);
                    Vector256<ulong> qv = Vector256.LoadUnsafe(ref qr, off);
                    a += PopCount256(Vector256.LoadUnsafe(ref c, at + off) ^ qv);
                    b += PopCount256(Vector256.LoadUnsafe(ref c, at + (nuint)w + off) ^ qv);
                    cc += PopCount256(Vector256.LoadUnsafe(ref c, at + (nuint)(2 * w) + off) ^ qv);
                    dd += PopCount256(Vector256.LoadUnsafe(ref c, at + (nuint)(3 * w) + off) ^ qv);
                }

                Vector256<ulong> ab = Avx2.UnpackLow(a, b) + Avx2.UnpackHigh(a, b);     // a01 b01 a23 b23
                Vector256<ulong> cd = Avx2.UnpackLow(cc, dd) + Avx2.UnpackHigh(cc, dd); // c01 d01 c23 d23
                Vector256<ulong> d = Avx2.Permute2x128(ab, cd, 0x20) + Avx2.Permute2x128(ab, cd, 0x31);
                uint mask = Vector256.LessThanOrEqual(d.AsInt64(), threshold).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    Report(mask, query, rows, w, slotBase, i, sink);
                    threshold = Vector256.Create((long)sink.Threshold);
                }
            }
        }

        // The rest (fewer than 4 codes, or a width without a vector loop).
        ScanScalar(query, rows, w, slotBase, i, count, sink);
    }
}
