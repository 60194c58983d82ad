using Dsh.Hashing;

namespace Dsh.Benchmarks.Hashing;

/// <summary>Seeded benchmark codes: uniform random, or clustered near a few hundred centres like learned codes.</summary>
public enum CodeDistribution
{
    /// <summary>Every bit a fair coin.</summary>
    Uniform,

    /// <summary>300 random centres; each code a centre with every bit flipped with probability 0.1.</summary>
    Clustered,
}

internal static class CodeData
{
    public static BinaryCodeSet Generate(int count, int bits, CodeDistribution distribution, int seed)
    {
        var rng = new Random(seed);
        int w = (bits + 63) / 64;
        var words = new ulong[count * w];
        if (distribution == CodeDistribution.Uniform)
        {
            for (int i = 0; i < words.Length; i++)
            {
                words[i] = Next(rng);
            }
        }
        else
        {
            const int centres = 300;
            var centre = new ulong[centres * w];
            for (int i = 0; i < centre.Length; i++)
            {
                centre[i] = Next(rng);
            }

            for (int row = 0; row < count; row++)
            {
                int c = rng.Next(centres);
                for (int j = 0; j < w; j++)
                {
                    ulong flips = 0;
                    for (int b = 0; b < 64; b++)
                    {
                        if (rng.NextDouble() < 0.1)
                        {
                            flips |= 1UL << b;
                        }
                    }

                    words[(row * w) + j] = centre[(c * w) + j] ^ flips;
                }
            }
        }

        int rem = bits % 64;
        if (rem != 0)
        {
            for (int row = 0; row < count; row++)
            {
                words[(row * w) + w - 1] &= (1UL << rem) - 1;
            }
        }

        return BinaryCodeSet.FromWords(words, bits);
    }

    public static long[] Ids(int count) => Enumerable.Range(0, count).Select(i => (long)i).ToArray();

    private static ulong Next(Random rng) => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
}
