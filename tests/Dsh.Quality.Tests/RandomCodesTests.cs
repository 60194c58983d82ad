using Dsh.Quality.Pacs;

namespace Dsh.Quality.Tests;

public class RandomCodesTests
{
    [Fact]
    public void The_same_seed_draws_the_same_codes_and_another_seed_other_codes()
    {
        var a = RandomCodes.Draw(50, 64, new Random(1));
        var b = RandomCodes.Draw(50, 64, new Random(1));
        var c = RandomCodes.Draw(50, 64, new Random(2));
        Assert.True(a.Words.SequenceEqual(b.Words));
        Assert.False(a.Words.SequenceEqual(c.Words));
        Assert.Equal(50, a.Count);
        Assert.Equal(64, a.CodeLength);
    }

    [Fact]
    public void Bits_are_fair_and_items_independent()
    {
        var codes = RandomCodes.Draw(400, 32, new Random(7));
        long ones = 0;
        for (int i = 0; i < codes.Count; i++)
        {
            ones += codes.GetWords(i).ToArray().Sum(w => System.Numerics.BitOperations.PopCount(w));
        }
        double fraction = ones / (400.0 * 32);
        Assert.InRange(fraction, 0.47, 0.53);
        // Independent items: the mean Hamming distance between consecutive codes is about K / 2.
        double meanDistance = Enumerable.Range(0, codes.Count - 1).Average(i => Dsh.Hashing.BinaryCode.Distance(codes[i], codes[i + 1]));
        Assert.InRange(meanDistance, 14.5, 17.5);
    }
}
