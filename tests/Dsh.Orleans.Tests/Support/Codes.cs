using Dsh.Hashing;

namespace Dsh.Orleans.Tests.Support;

/// <summary>Seeded random codes; few distinct bits per code in <see cref="Clustered"/> so distances tie often.</summary>
public static class Codes
{
    public static BinaryCode Random(Random random, int bits)
    {
        var words = new ulong[BinaryCode.WordsFor(bits)];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63); // all 64 bits, the top one too
        }

        if (bits % 64 != 0)
        {
            words[^1] &= (1UL << (bits % 64)) - 1;
        }

        return BinaryCode.FromWords(words, bits);
    }

    /// <summary>A code near one of a few centres (a handful of flipped bits), so many codes tie at the same distance.</summary>
    public static BinaryCode Clustered(Random random, int bits, IReadOnlyList<BinaryCode> centres)
    {
        bool[] values = centres[random.Next(centres.Count)].ToBools();
        int flips = random.Next(0, 4);
        for (int f = 0; f < flips; f++)
        {
            int bit = random.Next(bits);
            values[bit] = !values[bit];
        }

        return BinaryCode.FromBools(values);
    }
}
