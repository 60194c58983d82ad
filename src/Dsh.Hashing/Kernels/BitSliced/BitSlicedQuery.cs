using System.Numerics;

namespace Dsh.Hashing.Kernels.BitSliced;

/// <summary>
/// One query prepared for <see cref="BitSlicedStore"/> scans: the store's planes put in the order the
/// counters read them. Its plan is fixed once built, so one instance may serve scans on several threads (the cached pair
/// plan is replaced by a single reference write of another fixed plan, which is a harmless race).
/// </summary>
/// <remarks>
/// distance(row) = Σ_j (row_j XOR q_j) = Σ_{q_j=0} plane_j + Σ_{q_j=1} NOT plane_j. The order lists the
/// planes with q_j = 0 first, then padding (the block's all-zero plane, counted plain) up to a multiple of
/// 16, then the planes with q_j = 1, read inverted. The kernel folds the inversion into the
/// <c>vpternlog</c> control byte, so no plane is XORed and the counters end holding the distance itself.
/// </remarks>
internal sealed class BitSlicedQuery
{
    /// <summary>Planes a chunk (one Harley–Seal step yields one carry of weight 16).</summary>
    internal const int ChunkPlanes = 16;

    /// <summary>Every plane of the chunk is read as stored (q_j = 0 or padding).</summary>
    internal const byte Plain = 0;

    /// <summary>Every plane of the chunk is read inverted (q_j = 1).</summary>
    internal const byte Inverted = 1;

    /// <summary>Positions below <see cref="MixedSplit"/> plain, the rest inverted.</summary>
    internal const byte Mixed = 2;

    internal BitSlicedQuery(int codeLength, ReadOnlySpan<ulong> query)
    {
        int words = (codeLength + 63) >> 6;
        if (query.Length < words)
        {
            throw new ArgumentException($"A {codeLength}-bit query needs {words} words.", nameof(query));
        }

        CodeLength = codeLength;
        Words = query[..words].ToArray();
        Chunks = (codeLength + ChunkPlanes - 1) / ChunkPlanes;
        Order = new int[Chunks * ChunkPlanes];
        Kinds = new byte[Chunks];

        // Counter bits beyond the 5 the chunk tree keeps (ones .. sixteens): enough for a sum of `bits`;
        // past 4 (codes over 511 bits) all 8 run, the unneeded top ones staying zero.
        int width = 32 - BitOperations.LeadingZeroCount((uint)codeLength);
        HighLevels = width - 5 <= 4 ? Math.Max(0, width - 5) : 8;

        const int planeWords = BitSlicedStore.BlockRows / 64;
        int at = 0;
        for (int j = 0; j < codeLength; j++)
        {
            if (((query[j >> 6] >> (j & 63)) & 1) == 0)
            {
                Order[at++] = j * planeWords;
            }
        }

        int split = at + (Order.Length - codeLength); // first inverted position: after the padding
        while (at < split)
        {
            Order[at++] = codeLength * planeWords; // the block's zero plane
        }

        for (int j = 0; j < codeLength; j++)
        {
            if (((query[j >> 6] >> (j & 63)) & 1) != 0)
            {
                Order[at++] = j * planeWords;
            }
        }

        for (int c = 0; c < Chunks; c++)
        {
            int first = c * ChunkPlanes;
            if (first + ChunkPlanes <= split)
            {
                Kinds[c] = Plain;
            }
            else if (first >= split)
            {
                Kinds[c] = Inverted;
            }
            else
            {
                Kinds[c] = Mixed;
                MixedSplit = split - first;
            }
        }
    }

    /// <summary>The code length.</summary>
    public int CodeLength { get; }

    /// <summary>Chunks of <see cref="ChunkPlanes"/> planes a block.</summary>
    internal int Chunks { get; }

    /// <summary>Counter bits above weight 16: 0 .. 4, or 8.</summary>
    internal int HighLevels { get; }

    /// <summary>Word offset of each plane from the block start, in reading order.</summary>
    internal int[] Order { get; }

    /// <summary><see cref="Plain"/>, <see cref="Inverted"/> or <see cref="Mixed"/> for each chunk.</summary>
    internal byte[] Kinds { get; }

    /// <summary>In the (at most one) mixed chunk, the position of its first inverted plane (1 .. 15).</summary>
    internal int MixedSplit { get; }

    /// <summary>The query's code words.</summary>
    internal ulong[] Words { get; }

    /// <summary>The last pair plan built with this query first (see <see cref="PairWith"/>).</summary>
    private BitSlicedPair? _pair;

    /// <summary>
    /// The two-query plan of this query (first) and <paramref name="second"/>, cached here for the
    /// partner last asked for (a batch pairs the same queries for all its block ranges).
    /// </summary>
    internal BitSlicedPair PairWith(BitSlicedQuery second)
    {
        BitSlicedPair? pair = _pair;
        if (pair is null || !ReferenceEquals(pair.Second, second))
        {
            pair = new BitSlicedPair(this, second);
            _pair = pair;
        }

        return pair;
    }
}
