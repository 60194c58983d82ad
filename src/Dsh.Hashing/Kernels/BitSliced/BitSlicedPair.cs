namespace Dsh.Hashing.Kernels.BitSliced;

/// <summary>
/// Two queries prepared to share each plane load (<see cref="BitSlicedStore"/>'s pair kernel). Immutable.
/// </summary>
/// <remarks>
/// Plane j has class (a_j, b_j) = 2 a_j + b_j. The order lists the class-00 planes, then padding (the
/// block's zero plane, plain for both, so adding 0 to both counts), then classes 01, 10 and 11. A chunk
/// lying in one class reads every plane with the same control bytes for both queries (kinds 0 .. 3, the
/// class); a chunk across a class boundary (at most three) is <see cref="Mixed"/> and takes, for each of
/// its 8 plane pairs, a code from <see cref="Codes"/>: bits 0-1 for the first query, 2-3 for the second,
/// each "x inverted" | "y inverted" &lt;&lt; 1 for the pair's planes x, y.
/// </remarks>
internal sealed class BitSlicedPair
{
    /// <summary>A chunk across a class boundary.</summary>
    internal const byte Mixed = 4;

    internal BitSlicedPair(BitSlicedQuery first, BitSlicedQuery second)
    {
        if (first.CodeLength != second.CodeLength)
        {
            throw new ArgumentException("Both queries must be prepared for the same store.", nameof(second));
        }

        Second = second;
        int codeLength = first.CodeLength;
        Chunks = first.Chunks;
        HighLevels = first.HighLevels;
        Order = new int[Chunks * BitSlicedQuery.ChunkPlanes];
        Kinds = new byte[Chunks];
        Codes = new byte[Chunks * (BitSlicedQuery.ChunkPlanes / 2)];
        var classes = new byte[Order.Length];

        const int planeWords = BitSlicedStore.BlockRows / 64;
        ulong[] a = first.Words, b = second.Words;
        int at = 0;
        for (int cls = 0; cls < 4; cls++)
        {
            for (int j = 0; j < codeLength; j++)
            {
                int bitA = (int)((a[j >> 6] >> (j & 63)) & 1);
                int bitB = (int)((b[j >> 6] >> (j & 63)) & 1);
                if (((bitA << 1) | bitB) == cls)
                {
                    classes[at] = (byte)cls;
                    Order[at++] = j * planeWords;
                }
            }

            if (cls == 0)
            {
                for (int p = codeLength; p < Order.Length; p++)
                {
                    classes[at] = 0;
                    Order[at++] = codeLength * planeWords; // the block's zero plane
                }
            }
        }

        for (int c = 0; c < Chunks; c++)
        {
            int first16 = c * BitSlicedQuery.ChunkPlanes;
            byte kind = classes[first16];
            for (int i = 1; i < BitSlicedQuery.ChunkPlanes; i++)
            {
                if (classes[first16 + i] != kind)
                {
                    kind = Mixed;
                }
            }

            Kinds[c] = kind;
            for (int p = 0; p < BitSlicedQuery.ChunkPlanes / 2; p++)
            {
                int x = classes[first16 + (2 * p)], y = classes[first16 + (2 * p) + 1];
                int codeA = (x >> 1) | ((y >> 1) << 1);
                int codeB = (x & 1) | ((y & 1) << 1);
                Codes[(c * (BitSlicedQuery.ChunkPlanes / 2)) + p] = (byte)(codeA | (codeB << 2));
            }
        }
    }

    /// <summary>The second query (the first caches this plan).</summary>
    internal BitSlicedQuery Second { get; }

    /// <summary>Chunks of 16 planes a block.</summary>
    internal int Chunks { get; }

    /// <summary>Counter bits above weight 16 (as for each query alone).</summary>
    internal int HighLevels { get; }

    /// <summary>Word offset of each plane from the block start, in reading order.</summary>
    internal int[] Order { get; }

    /// <summary>The class (0 .. 3) of each chunk's planes, or <see cref="Mixed"/>.</summary>
    internal byte[] Kinds { get; }

    /// <summary>Per chunk, per plane pair: both queries' inversion codes (used in mixed chunks).</summary>
    internal byte[] Codes { get; }
}
