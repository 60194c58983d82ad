using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Kernels;

/// <summary>
/// Scans a range of packed codes against one query and hands every code within the sink's threshold
/// to the sink. One switch outside the loop picks a loop specialised for the instruction set and the
/// code width (1, 2, 4 words, or any multiple of the vector width; otherwise scalar).
/// </summary>
internal static partial class HammingKernels
{
    /// <summary>Whether this machine can run <paramref name="kind"/>.</summary>
    public static bool IsSupported(HammingKernelKind kind) => kind switch
    {
        HammingKernelKind.Scalar => true,
        HammingKernelKind.BitSliced => BitSliced.BitSlicedStore.IsSupported,
        HammingKernelKind.Avx2 => Avx2.IsSupported,
        HammingKernelKind.Avx512 => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>Whether <paramref name="kind"/> has a vector loop for codes of <paramref name="wordsPerCode"/> words (else it runs scalar).</summary>
    public static bool HasVectorLoop(HammingKernelKind kind, int wordsPerCode) => kind switch
    {
        HammingKernelKind.Avx2 => wordsPerCode is 1 or 2 || wordsPerCode % 4 == 0,
        HammingKernelKind.Avx512 => wordsPerCode is 1 or 2 or 4 || wordsPerCode % 8 == 0,
        _ => false,
    };

    /// <summary>The kernels that scan row-major codes (all but <see cref="HammingKernelKind.BitSliced"/>).</summary>
    public static IEnumerable<HammingKernelKind> RowMajor { get; } = [HammingKernelKind.Scalar, HammingKernelKind.Avx2, HammingKernelKind.Avx512];

    /// <summary>The fastest row-major kernel this machine supports for <paramref name="codeLength"/>-bit codes (measured: see docs/performance.md).</summary>
    public static HammingKernelKind Best(int codeLength)
    {
        int words = (codeLength + 63) >> 6;
        if (IsSupported(HammingKernelKind.Avx512) && HasVectorLoop(HammingKernelKind.Avx512, words))
        {
            return HammingKernelKind.Avx512;
        }

        // AVX2 wins at 1 and 2 words; at 4 words and more its transpose-add loop measured slower than
        // scalar POPCNT (KernelBenchmarks, 256 bits: 190 us against 173 us for 100k codes).
        if (IsSupported(HammingKernelKind.Avx2) && words <= 2)
        {
            return HammingKernelKind.Avx2;
        }

        return HammingKernelKind.Scalar;
    }

    /// <summary>
    /// Scans codes <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 of
    /// <paramref name="codes"/> (rows of <paramref name="wordsPerCode"/> words) and reports to <paramref name="sink"/>.
    /// </summary>
    public static void Scan(HammingKernelKind kind, ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, int wordsPerCode, int start, int count, NeighborSink sink)
    {
        if (count <= 0)
        {
            return;
        }

        ReadOnlySpan<ulong> rows = codes.Slice(start * wordsPerCode, count * wordsPerCode);
        switch (kind)
        {
            case HammingKernelKind.Avx512 when IsSupported(HammingKernelKind.Avx512):
                ScanAvx512(query, rows, wordsPerCode, start, count, sink);
                return;
            case HammingKernelKind.Avx2 when IsSupported(HammingKernelKind.Avx2):
                ScanAvx2(query, rows, wordsPerCode, start, count, sink);
                return;
            case HammingKernelKind.Scalar:
                ScanScalar(query, rows, wordsPerCode, start, 0, count, sink);
                return;
            case HammingKernelKind.BitSliced:
                throw new ArgumentException("The bit-sliced kernel scans the transposed copy the indexes keep (FullScan), not row-major codes.", nameof(kind));
            default:
                throw new PlatformNotSupportedException($"The {kind} Hamming kernel needs instructions this CPU does not have.");
        }
    }

    /// <summary>The distance between two rows of equal length, scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++)
        {
            d += BitOperations.PopCount(a[i] ^ b[i]);
        }

        return d;
    }

    /// <summary>Scalar loop over rows <paramref name="from"/> .. <paramref name="to"/> - 1 of <paramref name="rows"/>.</summary>
    // Long-running loops: compiled fully optimised at once rather than through the tiers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanScalar(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> rows, int w, int slotBase, int from, int to, NeighborSink sink)
    {
        ref ulong c = ref MemoryMarshal.GetReference(rows);
        switch (w)
        {
            case 1:
            {
                ulong q0 = query[0];
                for (int i = from; i < to; i++)
                {
                    int d = BitOperations.PopCount(q0 ^ Unsafe.Add(ref c, i));
                    if (d <= sink.Threshold)
                    {
                        sink.Add(d, slotBase + i);
                    }
                }

                return;
            }

            case 2:
            {
                ulong q0 = query[0], q1 = query[1];
                for (int i = from; i < to; i++)
                {
                    ref ulong r = ref Unsafe.Add(ref c, i * 2);
                    int d = BitOperations.PopCount(q0 ^ r) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref r, 1));
                    if (d <= sink.Threshold)
                    {
                        sink.Add(d, slotBase + i);
                    }
                }

                return;
            }

            case 4:
            {
                ulong q0 = query[0], q1 = query[1], q2 = query[2], q3 = query[3];
                for (int i = from; i < to; i++)
                {
                    ref ulong r = ref Unsafe.Add(ref c, i * 4);
                    int d = BitOperations.PopCount(q0 ^ r) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref r, 1))
                          + BitOperations.PopCount(q2 ^ Unsafe.Add(ref r, 2)) + BitOperations.PopCount(q3 ^ Unsafe.Add(ref r, 3));
                    if (d <= sink.Threshold)
                    {
                        sink.Add(d, slotBase + i);
                    }
                }

                return;
            }

            default:
                for (int i = from; i < to; i++)
                {
                    int d = Distance(query, rows.Slice(i * w, w));
                    if (d <= sink.Threshold)
                    {
                        sink.Add(d, slotBase + i);
                    }
                }

                return;
        }
    }

    /// <summary>Reports the rows whose bit is set in <paramref name="mask"/>; lanes hold their distances.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Report(uint mask, ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> rows, int w, int slotBase, int first, NeighborSink sink)
    {
        while (mask != 0)
        {
            int lane = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            int row = first + lane;
            int d = Distance(query, rows.Slice(row * w, w));
            if (d <= sink.Threshold)
            {
                sink.Add(d, slotBase + row);
            }
        }
    }
}
