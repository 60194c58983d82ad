using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsh.Hashing.Kernels.BitSliced;

/// <content>
/// The two-query kernel: each plane is loaded once and added into two counters (see
/// <see cref="BitSlicedPair"/> for the plane order). Same counting and threshold test as
/// <see cref="ScanBlock"/>, twice over.
/// </content>
internal sealed partial class BitSlicedStore
{
    /// <summary>
    /// One block against both queries of <paramref name="p"/> (thresholds &gt;= 0): returns the first's
    /// hits, <paramref name="hitsB"/> the second's; a counter with hits holds all its bits for
    /// <see cref="Report"/>. No call in here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: fully optimised from the first call
    private static Vector512<ulong> ScanBlockPair(ref ulong block, BitSlicedPair p, int thresholdA, int thresholdB, ref Counter counterA, ref Counter counterB, out Vector512<ulong> hitsB)
    {
        ref int order = ref MemoryMarshal.GetArrayDataReference(p.Order);
        ref byte kinds = ref MemoryMarshal.GetArrayDataReference(p.Kinds);
        ref byte codes = ref MemoryMarshal.GetArrayDataReference(p.Codes);
        int chunks = p.Chunks;
        int high = p.HighLevels;
        ref Vector512<ulong> levelsA = ref counterA.Levels[0];
        ref Vector512<ulong> pendingHighA = ref counterA.Pending[0];
        ref Vector512<ulong> levelsB = ref counterB.Levels[0];
        ref Vector512<ulong> pendingHighB = ref counterB.Pending[0];
        int maskA = 0, maskB = 0;
        for (int i = 5; i < 5 + high; i++)
        {
            Unsafe.Add(ref levelsA, i) = Vector512<ulong>.Zero;
            Unsafe.Add(ref levelsB, i) = Vector512<ulong>.Zero;
        }

        Vector512<ulong> onesA = default, twosA = default, foursA = default, eightsA = default, sixteensA = default;
        Vector512<ulong> onesB = default, twosB = default, foursB = default, eightsB = default, sixteensB = default;
        Vector512<ulong> pendingA = default, pendingB = default;
        for (int c = 0; c < chunks; c++)
        {
            ref int o = ref Unsafe.Add(ref order, c * BitSlicedQuery.ChunkPlanes);
            ref byte cc = ref Unsafe.Add(ref codes, c * (BitSlicedQuery.ChunkPlanes / 2));
            byte kind = Unsafe.Add(ref kinds, c);
            Vector512<ulong> carryA, carryB;
            switch (kind)
            {
                case 0:
                    carryA = Chunk2(ref block, ref o, 0, 0, ref cc, ref onesA, ref twosA, ref foursA, ref eightsA, ref onesB, ref twosB, ref foursB, ref eightsB, out carryB);
                    break;
                case 1:
                    carryA = Chunk2(ref block, ref o, 0, 3, ref cc, ref onesA, ref twosA, ref foursA, ref eightsA, ref onesB, ref twosB, ref foursB, ref eightsB, out carryB);
                    break;
                case 2:
                    carryA = Chunk2(ref block, ref o, 3, 0, ref cc, ref onesA, ref twosA, ref foursA, ref eightsA, ref onesB, ref twosB, ref foursB, ref eightsB, out carryB);
                    break;
                case 3:
                    carryA = Chunk2(ref block, ref o, 3, 3, ref cc, ref onesA, ref twosA, ref foursA, ref eightsA, ref onesB, ref twosB, ref foursB, ref eightsB, out carryB);
                    break;
                default:
                    carryA = Chunk2(ref block, ref o, -1, -1, ref cc, ref onesA, ref twosA, ref foursA, ref eightsA, ref onesB, ref twosB, ref foursB, ref eightsB, out carryB);
                    break;
            }

            if ((c & 1) == 0)
            {
                pendingA = carryA;
                pendingB = carryB;
                continue;
            }

            Vector512<ulong> carry32 = Maj(sixteensA, pendingA, carryA);
            sixteensA = Xor3(sixteensA, pendingA, carryA);
            Push(carry32, ref levelsA, ref pendingHighA, ref maskA);
            carry32 = Maj(sixteensB, pendingB, carryB);
            sixteensB = Xor3(sixteensB, pendingB, carryB);
            Push(carry32, ref levelsB, ref pendingHighB, ref maskB);
        }

        if ((chunks & 1) != 0)
        {
            Vector512<ulong> carry32 = sixteensA & pendingA;
            sixteensA ^= pendingA;
            Push(carry32, ref levelsA, ref pendingHighA, ref maskA);
            carry32 = sixteensB & pendingB;
            sixteensB ^= pendingB;
            Push(carry32, ref levelsB, ref pendingHighB, ref maskB);
        }

        Flush(high, ref levelsA, ref pendingHighA, maskA);
        Flush(high, ref levelsB, ref pendingHighB, maskB);

        int width = 5 + high;
        ref ulong masks = ref MemoryMarshal.GetArrayDataReference(s_bitMasks);
        Vector512<ulong> overA = Over(onesA, twosA, foursA, eightsA, sixteensA, ref levelsA, width, thresholdA, ref masks);
        Vector512<ulong> overB = Over(onesB, twosB, foursB, eightsB, sixteensB, ref levelsB, width, thresholdB, ref masks);
        Vector512<ulong> hitsA = Vector512.AndNot(counterA.Valid, overA);
        hitsB = Vector512.AndNot(counterA.Valid, overB);
        if (hitsA != Vector512<ulong>.Zero)
        {
            counterA.Width = width;
            levelsA = onesA;
            Unsafe.Add(ref levelsA, 1) = twosA;
            Unsafe.Add(ref levelsA, 2) = foursA;
            Unsafe.Add(ref levelsA, 3) = eightsA;
            Unsafe.Add(ref levelsA, 4) = sixteensA;
        }

        if (hitsB != Vector512<ulong>.Zero)
        {
            counterB.Width = width;
            levelsB = onesB;
            Unsafe.Add(ref levelsB, 1) = twosB;
            Unsafe.Add(ref levelsB, 2) = foursB;
            Unsafe.Add(ref levelsB, 3) = eightsB;
            Unsafe.Add(ref levelsB, 4) = sixteensB;
        }

        return hitsA;
    }

    /// <summary>The threshold test of <see cref="ScanBlock"/>: rows whose distance is over <paramref name="threshold"/> (&gt;= 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Over(Vector512<ulong> ones, Vector512<ulong> twos, Vector512<ulong> fours, Vector512<ulong> eights, Vector512<ulong> sixteens, ref Vector512<ulong> levels, int width, int threshold, ref ulong masks)
    {
        int max = (1 << width) - 1;
        int k = max - Math.Min(threshold, max);
        Vector512<ulong> over = ones & BitMask(ref masks, k);
        over = Maj(twos, over, BitMask(ref masks, k >> 1));
        over = Maj(fours, over, BitMask(ref masks, k >> 2));
        over = Maj(eights, over, BitMask(ref masks, k >> 3));
        over = Maj(sixteens, over, BitMask(ref masks, k >> 4));
        for (int i = 5; i < width; i++)
        {
            over = Maj(Unsafe.Add(ref levels, i), over, BitMask(ref masks, k >> i));
        }

        return over;
    }

    /// <summary>
    /// <see cref="Chunk"/> for two counters. <paramref name="codeA"/>/<paramref name="codeB"/>: the
    /// inversion code of every plane pair (0 plain, 3 inverted; constants when inlined), or -1 to read each
    /// pair's codes from <paramref name="codes"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Chunk2(
        ref ulong block, ref int o, int codeA, int codeB, ref byte codes,
        ref Vector512<ulong> onesA, ref Vector512<ulong> twosA, ref Vector512<ulong> foursA, ref Vector512<ulong> eightsA,
        ref Vector512<ulong> onesB, ref Vector512<ulong> twosB, ref Vector512<ulong> foursB, ref Vector512<ulong> eightsB,
        out Vector512<ulong> carryB)
    {
        Vector512<ulong> a2, a2b, b2, b2b;
        a2 = Pair2(ref block, ref o, 0, codeA, codeB, ref codes, ref onesA, ref onesB, out b2);
        a2b = Pair2(ref block, ref o, 2, codeA, codeB, ref codes, ref onesA, ref onesB, out b2b);
        Vector512<ulong> a4 = Csa(ref twosA, a2, a2b);
        Vector512<ulong> b4 = Csa(ref twosB, b2, b2b);
        a2 = Pair2(ref block, ref o, 4, codeA, codeB, ref codes, ref onesA, ref onesB, out b2);
        a2b = Pair2(ref block, ref o, 6, codeA, codeB, ref codes, ref onesA, ref onesB, out b2b);
        Vector512<ulong> a4b = Csa(ref twosA, a2, a2b);
        Vector512<ulong> b4b = Csa(ref twosB, b2, b2b);
        Vector512<ulong> a8 = Csa(ref foursA, a4, a4b);
        Vector512<ulong> b8 = Csa(ref foursB, b4, b4b);
        a2 = Pair2(ref block, ref o, 8, codeA, codeB, ref codes, ref onesA, ref onesB, out b2);
        a2b = Pair2(ref block, ref o, 10, codeA, codeB, ref codes, ref onesA, ref onesB, out b2b);
        a4 = Csa(ref twosA, a2, a2b);
        b4 = Csa(ref twosB, b2, b2b);
        a2 = Pair2(ref block, ref o, 12, codeA, codeB, ref codes, ref onesA, ref onesB, out b2);
        a2b = Pair2(ref block, ref o, 14, codeA, codeB, ref codes, ref onesA, ref onesB, out b2b);
        a4b = Csa(ref twosA, a2, a2b);
        b4b = Csa(ref twosB, b2, b2b);
        Vector512<ulong> a8b = Csa(ref foursA, a4, a4b);
        Vector512<ulong> b8b = Csa(ref foursB, b4, b4b);
        carryB = Csa(ref eightsB, b8, b8b);
        return Csa(ref eightsA, a8, a8b);
    }

    /// <summary>Loads the planes at positions <paramref name="i"/>, +1 once and adds them into both ones bits; returns the first's weight-2 carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Pair2(ref ulong block, ref int o, int i, int codeA, int codeB, ref byte codes, ref Vector512<ulong> onesA, ref Vector512<ulong> onesB, out Vector512<ulong> carryB)
    {
        Vector512<ulong> x = Vector512.LoadUnsafe(ref block, (nuint)(uint)Unsafe.Add(ref o, i));
        Vector512<ulong> y = Vector512.LoadUnsafe(ref block, (nuint)(uint)Unsafe.Add(ref o, i + 1));
        int ca = codeA, cb = codeB;
        if (codeA < 0)
        {
            int code = Unsafe.Add(ref codes, i >> 1);
            ca = code & 3;
            cb = code >> 2;
        }

        Vector512<ulong> carryA = Add2(x, y, ca, ref onesA);
        carryB = Add2(x, y, cb, ref onesB);
        return carryA;
    }

    /// <summary>
    /// Adds planes x and y into <paramref name="ones"/> and returns the weight-2 carry; <paramref name="code"/>
    /// bit 0: x read inverted, bit 1: y read inverted (control bytes as in <see cref="Pair"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Add2(Vector512<ulong> x, Vector512<ulong> y, int code, ref Vector512<ulong> ones)
    {
        Vector512<ulong> a = ones;
        if (!Avx512F.IsSupported)
        {
            Vector512<ulong> xi = (code & 1) != 0 ? ~x : x;
            Vector512<ulong> yi = (code & 2) != 0 ? ~y : y;
            ones = a ^ xi ^ yi;
            return (a & xi) | (yi & (a ^ xi));
        }

        if (code == 0)
        {
            ones = Avx512F.TernaryLogic(a, x, y, 0x96);
            return Avx512F.TernaryLogic(x, ones, y, 0xB2);
        }

        if (code == 3)
        {
            ones = Avx512F.TernaryLogic(a, x, y, 0x96);
            return Avx512F.TernaryLogic(x, ones, y, 0x17);
        }

        ones = Avx512F.TernaryLogic(a, x, y, 0x69);
        return code == 2
            ? Avx512F.TernaryLogic(x, ones, y, 0x71)  // x plain, y inverted
            : Avx512F.TernaryLogic(y, ones, x, 0x71); // y plain, x inverted
    }
}
