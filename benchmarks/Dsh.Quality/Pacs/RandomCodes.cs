using Dsh.Hashing;

namespace Dsh.Quality.Pacs;

/// <summary>The chance baseline: every item gets its own code of independent fair bits from a seeded generator.</summary>
internal static class RandomCodes
{
    /// <summary><paramref name="count"/> codes of <paramref name="bits"/> bits, each bit +1 or −1 with probability ½.</summary>
    public static BinaryCodeSet Draw(int count, int bits, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        var signs = new float[count * bits];
        for (int i = 0; i < signs.Length; i++)
        {
            signs[i] = random.Next(2) == 0 ? -1f : 1f;
        }
        return BinaryCodeSet.FromSigns(signs, bits);
    }
}
