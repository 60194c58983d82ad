using Dsh.Baselines;
using static TorchSharp.torch;

namespace Dsh.Tests.Baselines;

public class LshHasherTests
{
    [Fact]
    public void Codes_AreTheSignsOfCenteredProjections_AndDeterministic()
    {
        using var scope = NewDisposeScope();
        var (x, _) = new SyntheticDomains { ClassCount = 3, Dimensions = 10 }.Photos(5, seed: 1);
        var lsh = LshHasher.Fit(x, 20, new LshOptions { Seed = 9 });   // K > d is allowed
        Tensor expected = x.to(ScalarType.Float64).sub(lsh.GetMean()).matmul(lsh.GetHyperplanes()).gt(0);
        var codes = lsh.Encode(x);
        for (int i = 0; i < codes.Count; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                Assert.Equal(expected[i, j].item<bool>(), codes[i][j]);
            }
        }
        Assert.True(LshHasher.Fit(x, 20, new LshOptions { Seed = 9 }).GetHyperplanes().equal(lsh.GetHyperplanes()).all().item<bool>());
        Assert.False(LshHasher.Fit(x, 20, new LshOptions { Seed = 10 }).GetHyperplanes().allclose(lsh.GetHyperplanes()));
    }

    [Fact]
    public void BadInput_Throws()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(5, 4);
        var lsh = LshHasher.Fit(x, 8);
        Assert.Throws<ArgumentException>(() => LshHasher.Fit(x, 0));
        Assert.Throws<ArgumentException>(() => LshHasher.Fit(zeros(0, 4), 8));
        Assert.Throws<ArgumentException>(() => LshHasher.Fit(x, randn(3, 5), 8));
        Assert.Throws<ArgumentException>(() => lsh.Encode(randn(2, 5)));
        Assert.Throws<ArgumentException>(() => lsh.Encode(full(2, 4, float.PositiveInfinity)));
    }
}
