using Dsh.Hashing;

namespace Dsh.Quality.Tests;

public class EnsembleProbeTests
{
    [Fact]
    public void Codes_side_by_side_are_at_the_sum_of_the_members_distances()
    {
        var random = new Random(3);
        float[][] Outputs(int count, int bits) =>
            [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, bits).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray())];
        float[][] a = Outputs(6, 32), b = Outputs(6, 64);
        List<float[]> both = EnsembleProbe.SideBySide(a, b);
        BinaryCodeSet codesA = ImageViews.Codes(a, 32), codesB = ImageViews.Codes(b, 64), codesBoth = ImageViews.Codes(both, 96);
        Assert.Equal(96, both[0].Length);
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(BinaryCode.Distance(codesA[i], codesA[j]) + BinaryCode.Distance(codesB[i], codesB[j]),
                    BinaryCode.Distance(codesBoth[i], codesBoth[j]));
            }
        }
        Assert.Contains(Enumerable.Range(1, 5), j => BinaryCode.Distance(codesBoth[0], codesBoth[j]) > 0);
    }

    [Fact]
    public void Members_with_different_item_counts_are_refused()
    {
        float[][] a = [[1f, -1f]], b = [[1f], [-1f]];
        Assert.Throws<ArgumentException>(() => EnsembleProbe.SideBySide(a, b));
    }
}
