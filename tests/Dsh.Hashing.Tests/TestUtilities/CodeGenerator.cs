using Dsh.Hashing;

namespace Dsh.Hashing.Tests.TestUtilities;

/// <summary>Seeded random codes: uniform, or clustered near a few centres as learned codes are.</summary>
internal static class CodeGenerator
{
    public static BinaryCode Random(Random rng, int bits)
    {
        var words = new ulong[(bits + 63) / 64];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
        }

        Mask(words, bits);
        return BinaryCode.FromWords(words, bits);
    }

    public static BinaryCode[] Uniform(int seed, int count, int bits)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Random(rng, bits)).ToArray();
    }

    /// <summary>Codes near <paramref name="centres"/> random centres, each bit flipped with <paramref name="flip"/>.</summary>
    public static BinaryCode[] Clustered(int seed, int count, int bits, int centres, double flip)
    {
        var rng = new Random(seed);
        BinaryCode[] c = Enumerable.Range(0, centres).Select(_ => Random(rng, bits)).ToArray();
        var result = new BinaryCode[count];
        for (int i = 0; i < count; i++)
        {
            bool[] b = c[rng.Next(centres)].ToBools();
            for (int j = 0; j < bits; j++)
            {
                if (rng.NextDouble() < flip)
                {
                    b[j] = !b[j];
                }
            }

            result[i] = BinaryCode.FromBools(b);
        }

        return result;
    }

    /// <summary>The naive reference: compare bit by bit.</summary>
    public static int NaiveDistance(BinaryCode a, BinaryCode b)
    {
        bool[] x = a.ToBools(), y = b.ToBools();
        int d = 0;
        for (int i = 0; i < x.Length; i++)
        {
            d += x[i] != y[i] ? 1 : 0;
        }

        return d;
    }

    /// <summary>Brute force top-k by (distance, id).</summary>
    public static Neighbor[] BruteForce(IReadOnlyList<(long Id, BinaryCode Code)> items, BinaryCode query, int k) =>
        items.Select(x => new Neighbor(x.Id, NaiveDistance(query, x.Code))).Order().Take(k).ToArray();

    private static void Mask(ulong[] words, int bits)
    {
        int rem = bits % 64;
        if (rem != 0)
        {
            words[^1] &= (1UL << rem) - 1;
        }
    }
}
