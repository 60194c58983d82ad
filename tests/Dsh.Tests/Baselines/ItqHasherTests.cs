using Dsh.Baselines;
using Dsh.Hashing;
using static TorchSharp.torch;

namespace Dsh.Tests.Baselines;

public class ItqHasherTests
{
    private static readonly SyntheticDomains Domains = new() { ClassCount = 6, Dimensions = 64 };

    private static Tensor Features(int seed) => Domains.Photos(15, seed).Features;

    [Fact]
    public void Loss_IsNonIncreasing_AndRotationStaysOrthogonal()
    {
        using var scope = NewDisposeScope();
        var itq = ItqHasher.Fit(Features(1), 16, new ItqOptions { Iterations = 30, Seed = 3 });

        Assert.Equal(31, itq.QuantizationLosses.Count);
        for (int t = 1; t < itq.QuantizationLosses.Count; t++)
        {
            Assert.True(itq.QuantizationLosses[t] <= itq.QuantizationLosses[t - 1] * (1 + 1e-12),
                $"loss rose at iteration {t}: {itq.QuantizationLosses[t - 1]} → {itq.QuantizationLosses[t]}");
        }
        Assert.True(itq.QuantizationLosses[^1] < 0.95 * itq.QuantizationLosses[0]);

        Tensor r = itq.GetRotation();
        Assert.Equal(new long[] { 16, 16 }, r.shape);
        Assert.True(r.T.matmul(r).sub(eye(16, dtype: ScalarType.Float64)).abs().max().item<double>() < 1e-9);
        Assert.True(r.matmul(r.T).sub(eye(16, dtype: ScalarType.Float64)).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void PcaDirections_MatchTheSvdOfTheCenteredData()
    {
        using var scope = NewDisposeScope();
        Tensor x = Features(2).to(ScalarType.Float64);
        var itq = ItqHasher.Fit(x, 8);

        Tensor centered = x.sub(x.mean(new long[] { 0 }, keepdim: true));
        var (_, s, vh) = linalg.svd(centered, fullMatrices: false);
        Tensor w = itq.GetPcaDirections();
        Assert.Equal(new long[] { 64, 8 }, w.shape);
        for (int i = 0; i < 8; i++)
        {
            double cosine = w[.., i].dot(vh[i]).abs().item<double>();
            Assert.True(Math.Abs(cosine - 1) < 1e-9, $"direction {i}: |cos| = {cosine}");
            double variance = s[i].square().item<double>() / (x.shape[0] - 1);
            Assert.Equal(variance, itq.PrincipalVariances[i], variance * 1e-9);
        }
        Assert.True(w.T.matmul(w).sub(eye(8, dtype: ScalarType.Float64)).abs().max().item<double>() < 1e-9);
        Assert.True(itq.GetMean().sub(x.mean(new long[] { 0 })).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void Codes_AreDeterministicWithTheSeed()
    {
        using var scope = NewDisposeScope();
        Tensor x = Features(3);
        BinaryCodeSet a = ItqHasher.Fit(x, 16, new ItqOptions { Seed = 5 }).Encode(x);
        BinaryCodeSet b = ItqHasher.Fit(x, 16, new ItqOptions { Seed = 5 }).Encode(x);
        Assert.True(a.Words.SequenceEqual(b.Words));

        Tensor r5 = ItqHasher.Fit(x, 16, new ItqOptions { Seed = 5 }).GetRotation();
        Tensor r6 = ItqHasher.Fit(x, 16, new ItqOptions { Seed = 6 }).GetRotation();
        Assert.False(r5.allclose(r6));
    }

    [Fact]
    public void OneDimension_IsTheSignOfTheCenteredValue()
    {
        using var scope = NewDisposeScope();
        // Mean 4: only 10 lies above it. W = R = 1 after the sign convention, so bit = x > 4.
        var itq = ItqHasher.Fit(tensor(new float[] { 1, 2, 3, 10 }, new long[] { 4, 1 }), 1);
        Assert.Equal(4.0, itq.GetMean().item<double>(), 12);
        BinaryCodeSet codes = itq.Encode(tensor(new double[] { 1, 2, 3, 10, 3.9, 4.1 }, new long[] { 6, 1 }));
        Assert.Equal(new[] { false, false, false, true, false, true }, codes.Select(c => c[0]).ToArray());
        // Loss: |v| − 1 summed squared for v = x − 4 = −3, −2, −1, 6 → 4 + 1 + 0 + 25.
        Assert.All(itq.QuantizationLosses, l => Assert.Equal(30.0, l, 9));
    }

    [Fact]
    public void CrossModalFit_IsTheFitOfBothDomainsStacked()
    {
        using var scope = NewDisposeScope();
        var (sketches, _) = Domains.Sketches(10, seed: 4);
        var (photos, _) = Domains.Photos(10, seed: 5);
        var joint = ItqHasher.Fit(sketches, photos, 12);
        var stacked = ItqHasher.Fit(cat(new[] { sketches, photos }, 0), 12);
        Assert.True(joint.GetRotation().allclose(stacked.GetRotation()));
        Assert.True(joint.Encode(sketches).Words.SequenceEqual(stacked.Encode(sketches).Words));
        Assert.Empty(joint.Encode(zeros(0, 64)));
    }

    [Fact]
    public void BadInput_Throws()
    {
        using var scope = NewDisposeScope();
        Tensor x = Features(6);
        Tensor nan = x.clone();
        nan[3, 5] = tensor(float.NaN);
        var itq = ItqHasher.Fit(x, 8);

        Assert.Contains("exceed", Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x, 65)).Message);
        Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x, 0));
        Assert.Contains("row 3, column 5", Assert.Throws<ArgumentException>(() => ItqHasher.Fit(nan, 8)).Message);
        Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x[..1], 1));
        Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x[0], 1));
        Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x.to(ScalarType.Int32), 8));
        Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x, 8, new ItqOptions { Iterations = -1 }));
        Assert.Throws<ArgumentException>(() => ItqHasher.Fit(x, x[.., ..10], 8));
        Assert.Contains("64", Assert.Throws<ArgumentException>(() => itq.Encode(x[.., ..63])).Message);
        Assert.Throws<ArgumentException>(() => itq.Encode(nan));
        Assert.Throws<ArgumentException>(() => itq.Encode(x[0].unsqueeze(0).unsqueeze(0)));
        Assert.Throws<ArgumentNullException>(() => itq.Encode(null!));
    }
}
