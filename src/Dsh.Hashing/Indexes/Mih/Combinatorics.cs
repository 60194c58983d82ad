using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dsh.Hashing.Indexes.Mih;

/// <summary>Binomial coefficients up to 64 and the next bit mask of equal popcount (Gosper's hack).</summary>
internal static class Combinatorics
{
    private static readonly long[,] Table = BuildTable();

    /// <summary>C(<paramref name="n"/>, <paramref name="k"/>) for 0 ≤ n ≤ 64 (0 when k &lt; 0 or k &gt; n). Exact: C(64, 32) fits a long.</summary>
    public static long Binomial(int n, int k) => k < 0 || k > n ? 0 : Table[n, k];

    /// <summary>
    /// The next larger mask with the same number of set bits (Gosper's hack). The caller stops after
    /// C(s, ρ) masks, so it never asks for the successor of the last one (whose sum would overflow at s = 64);
    /// <paramref name="mask"/> must be nonzero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NextSamePopCount(ulong mask)
    {
        ulong lowest = mask & (0UL - mask);
        ulong ripple = mask + lowest;
        return (((ripple ^ mask) >> 2) >> BitOperations.TrailingZeroCount(lowest)) | ripple;
    }

    /// <summary>The smallest mask with <paramref name="ones"/> set bits (0 to 64).</summary>
    public static ulong FirstMask(int ones) => ones >= 64 ? ulong.MaxValue : (1UL << ones) - 1;

    private static long[,] BuildTable()
    {
        var t = new long[65, 65];
        for (int n = 0; n <= 64; n++)
        {
            t[n, 0] = 1;
            for (int k = 1; k <= n; k++)
            {
                t[n, k] = t[n - 1, k - 1] + (k <= n - 1 ? t[n - 1, k] : 0);
            }
        }

        return t;
    }
}
