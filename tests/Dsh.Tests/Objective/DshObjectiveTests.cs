using Dsh.Objective;
using Dsh.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Objective;

public class DshObjectiveTests
{
    private static Tensor M(double[,] values) => torch.tensor(values, ScalarType.Float64);

    /// <summary>
    /// m = 2, two photos (classes 0, 1), one sketch (class 0), d = 1, v₀ = 1, v₁ = 2, by hand:
    /// BᵢᵀBₛ = [0, −2], m·W = [2, −2] → pairwise 4; D·Bᵢ = [0.75, −0.25] against Φᵢ = [1, 2] → 5.125;
    /// D·Bₛ = 0.25 against 1 → 0.5625; ‖D‖² = 0.3125; ‖Fᵢ − Bᵢ‖² = 2.25; ‖Fₛ − Bₛ‖² = 1;
    /// total (λ 0.1, ρ 0.2, γ 0.01) = 4 + 0.56875 + 0.0625 + 0.0325 = 4.66375.
    /// </summary>
    [Fact]
    public void EveryTerm_MatchesAHandComputedExample()
    {
        using var scope = NewDisposeScope();
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 1 }), torch.tensor(new long[] { 0 }), M(new double[,] { { 1, 2 } }));
        Tensor bi = M(new double[,] { { 1, -1 }, { 1, 1 } });
        Tensor bs = M(new double[,] { { 1 }, { -1 } });
        Tensor d = M(new double[,] { { 0.5, 0.25 } });
        Tensor fi = M(new double[,] { { 0.5, -2 }, { 1, 0 } });
        Tensor fs = M(new double[,] { { 0 }, { -1 } });
        var options = new DshObjectiveOptions { Lambda = 0.1, Gamma = 0.01, DRegularization = 0.2 };

        DshLossTerms t = DshObjective.Evaluate(problem, bi, bs, d, fi, fs, options);

        Assert.Equal(4, t.Pairwise, 12);
        Assert.Equal(2, t.PairwisePerPair, 12);
        Assert.Equal(5.125, t.SemanticPhoto, 12);
        Assert.Equal(0.5625, t.SemanticSketch, 12);
        Assert.Equal(0.3125, t.DNorm, 12);
        Assert.Equal(2.25, t.QuantizationPhoto, 12);
        Assert.Equal(1, t.QuantizationSketch, 12);
        Assert.Equal(4.66375, t.Total, 12);
    }

    /// <summary>
    /// The example above with other targets for the pair of different classes (photo 1, sketch 0): BᵢᵀBₛ = [0, −2]
    /// against m·W = [2, 2w]: pairwise 4 + (2w + 2)².
    /// </summary>
    [Theory]
    [InlineData(-1.0, 4.0)]
    [InlineData(-0.5, 5.0)]
    [InlineData(0.0, 8.0)]
    public void Pairwise_UsesTheDissimilarPairTarget(double target, double pairwise)
    {
        using var scope = NewDisposeScope();
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 1 }), torch.tensor(new long[] { 0 }), M(new double[,] { { 1, 2 } }));
        Tensor bi = M(new double[,] { { 1, -1 }, { 1, 1 } });
        Tensor bs = M(new double[,] { { 1 }, { -1 } });
        Tensor d = M(new double[,] { { 0.5, 0.25 } });
        var options = new DshObjectiveOptions { DissimilarPairTarget = target };

        DshLossTerms t = DshObjective.Evaluate(problem, bi, bs, d, bi, bs, options);

        Assert.Equal(pairwise, t.Pairwise, 12);
        Assert.Equal(pairwise / 2, t.PairwisePerPair, 12);
    }

    [Theory]
    [InlineData(1, -1.0)]
    [InlineData(2, -1.0)]
    [InlineData(3, -0.5)]
    [InlineData(7, -1.0 / 6)]
    public void SimplexTarget_IsMinusOneOverClassesMinusOne(int classes, double expected)
    {
        Assert.Equal(expected, new DshObjectiveOptions { DissimilarPairTarget = null }.DissimilarTargetFor(classes), 15);
        Assert.Equal(-0.25, new DshObjectiveOptions { DissimilarPairTarget = -0.25 }.DissimilarTargetFor(classes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void Evaluate_EqualsTheDenseComputation(int seed)
    {
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(seed);
        DshLossTerms fast = p.Evaluate();
        DshLossTerms dense = p.DenseReference();
        Assert.Equal(dense.Pairwise, fast.Pairwise, 1e-9 * Math.Max(1, dense.Pairwise)); // integers with the paper's W: exact
        Assert.Equal(dense.SemanticPhoto, fast.SemanticPhoto, 1e-9);
        Assert.Equal(dense.SemanticSketch, fast.SemanticSketch, 1e-9);
        Assert.Equal(dense.DNorm, fast.DNorm, 1e-9);
        Assert.Equal(dense.QuantizationPhoto, fast.QuantizationPhoto, 1e-9);
        Assert.Equal(dense.QuantizationSketch, fast.QuantizationSketch, 1e-9);
        Assert.Equal(dense.Total, fast.Total, 1e-7);
    }

    [Fact]
    public void Pairwise_AtPaperScale_IsExactWithoutTheSimilarityMatrix()
    {
        // 128 bits, 20,000 photos × 15,000 sketches (W would hold 3e8 entries). Two classes with opposite codes
        // make BᵢᵀBₛ = m·W exactly, so the term is 0; the values reach 10¹² and must stay exact.
        using var scope = NewDisposeScope();
        const int m = 128;
        var g = new torch.Generator(3);
        Tensor labelsI = torch.randint(0, 2, new long[] { 20_000 }, generator: g);
        Tensor labelsS = torch.randint(0, 2, new long[] { 15_000 }, generator: g);
        using var problem = new DshCodeProblem(labelsI, labelsS, torch.ones(4, 2, ScalarType.Float64));
        Tensor classCode = DshSolvers.RandomCodes(m, 1, g).to(ScalarType.Float64); // class 0: c, class 1: −c
        Tensor bi = classCode.mul(labelsI.mul(-2).add(1).to(ScalarType.Float64).unsqueeze(0));
        Tensor bs = classCode.mul(labelsS.mul(-2).add(1).to(ScalarType.Float64).unsqueeze(0));
        Tensor d = torch.zeros(4, m, ScalarType.Float64);

        var everyPairOne = new DshObjectiveOptions { BalancePhotoClasses = false };
        var t = DshObjective.Evaluate(problem, bi, bs, d, bi, bs, everyPairOne);
        Assert.Equal(0, t.Pairwise);

        // Flip one photo's code: its 15,000 products change from ±m to ∓m, each off by 2m.
        bi[TensorIndex.Colon, 0] = bi[TensorIndex.Colon, 0].neg();
        t = DshObjective.Evaluate(problem, bi, bs, d, bi, bs, everyPairOne);
        Assert.Equal(15_000.0 * (2 * m) * (2 * m), t.Pairwise);

        // The default weighs that photo's pairs by 20,000 / (2 · the photos of its class).
        long sameClass = labelsI.eq(labelsI[0]).sum().item<long>();
        double expected = 20_000.0 / (2 * sameClass) * 15_000.0 * (2 * m) * (2 * m);
        Assert.Equal(expected, DshObjective.Evaluate(problem, bi, bs, d, bi, bs).Pairwise, 1e-9 * expected);
    }

    [Fact]
    public void Quantization_GradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var g = new torch.Generator(9);
        Tensor f = torch.randn(new long[] { 5, 12 }, ScalarType.Float64, generator: g).requires_grad_();
        Tensor b = DshSolvers.RandomCodes(5, 12, g).to(ScalarType.Float64);

        DshObjective.Quantization(f, b).backward();
        Tensor analytic = f.grad!.clone();

        const double h = 1e-6;
        using var noGrad = torch.no_grad();
        Tensor x = f.detach().clone();
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 12; j++)
            {
                double original = x[i, j].item<double>();
                x[i, j] = original + h;
                double plus = DshObjective.Quantization(x, b).item<double>();
                x[i, j] = original - h;
                double minus = DshObjective.Quantization(x, b).item<double>();
                x[i, j] = original;
                Assert.Equal((plus - minus) / (2 * h), analytic[i, j].item<double>(), 1e-6);
            }
        }
        Assert.Equal(DshObjective.Quantization(x, b).item<double>() / 5, DshObjective.RegressionLoss(x, b).item<double>(), 12);
    }

    [Fact]
    public void RegressionLoss_ThroughTheNetwork_GradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(21);
        var tiny = DshArchitecture.Compact(8).WithChannels([6, 6, 6, 6, 6], [6, 6, 6, 6, 6]).WithHeadWidths([8, 8], [8, 8]);
        using var network = new DshNetwork(tiny);
        network.to(ScalarType.Float64);
        network.eval(); // deterministic: no dropout, batch norm from running statistics
        var g = new torch.Generator(22);
        Tensor sketches = torch.rand(new long[] { 3, 3, 64, 64 }, ScalarType.Float64, generator: g);
        Tensor tokens = torch.rand(new long[] { 3, 3, 64, 64 }, ScalarType.Float64, generator: g);
        Tensor photos = torch.rand(new long[] { 3, 3, 64, 64 }, ScalarType.Float64, generator: g);
        Tensor targetsS = DshSolvers.RandomCodes(3, 8, g).to(ScalarType.Float64);
        Tensor targetsI = DshSolvers.RandomCodes(3, 8, g).to(ScalarType.Float64);
        double Loss() =>
            DshObjective.RegressionLoss(network.ForwardSketch(sketches), targetsS)
                .add(DshObjective.RegressionLoss(network.ForwardPhoto(photos, tokens), targetsI)).item<double>();

        DshObjective.RegressionLoss(network.ForwardSketch(sketches), targetsS)
            .add(DshObjective.RegressionLoss(network.ForwardPhoto(photos, tokens), targetsI)).backward();

        var named = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        string[] probes =
        {
            "sketch_trunk.conv1.weight", "sketch_trunk.conv3_2.bias", "sketch_trunk.sketch_bn.1.weight",
            "sketch_trunk.token_bn.3.bias", "sketch_head.fc_a.weight", "sketch_head.fc_code.bias",
            "photo_trunk.conv1.weight", "photo_trunk.conv4.weight", "fusion.fc6.weight", "fusion.fc_b.weight", "fusion.fc_code.weight",
        };
        const double h = 1e-6;
        foreach (string name in probes)
        {
            Tensor p = named[name];
            Tensor flat = p.grad!.flatten();
            long index = flat.abs().argmax().item<long>(); // the most sensitive entry
            double analytic = flat[index].item<double>();
            double numeric;
            using (torch.no_grad())
            {
                Tensor view = p.view(-1);
                double original = view[index].item<double>();
                view[index] = original + h;
                double plus = Loss();
                view[index] = original - h;
                double minus = Loss();
                view[index] = original;
                numeric = (plus - minus) / (2 * h);
            }
            Assert.True(Math.Abs(analytic - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                $"{name}[{index}]: autograd {analytic:G10}, finite difference {numeric:G10}");
            Assert.True(analytic != 0, $"{name}: no gradient reaches it");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void AtGammaZero_TheNetworkOutputsMayBeLeftOut_AndNothingElseChanges(int seed)
    {
        using var scope = NewDisposeScope();
        using var random = new RandomProblem(seed);
        using var p = new RandomProblem(seed) { Options = random.Options with { Gamma = 0 } };
        var options = p.Options;

        DshLossTerms with = DshObjective.Evaluate(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, p.SketchOutputs, options);
        DshLossTerms without = DshObjective.Evaluate(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, null, null, options);
        Assert.True(double.IsNaN(without.QuantizationPhoto) && double.IsNaN(without.QuantizationSketch));
        Assert.True(with.QuantizationPhoto > 0 && with.QuantizationSketch > 0);
        Assert.Equal(with with { QuantizationPhoto = double.NaN, QuantizationSketch = double.NaN }, without);
        Assert.Equal(p.DenseReference().Total, without.Total, 1e-6 * Math.Max(1, Math.Abs(without.Total)));

        var photosWith = DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, options);
        var photosWithout = DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, null, options);
        Assert.True(photosWith.Codes.eq(photosWithout.Codes).all().item<bool>());
        var sketchesWith = DshSolvers.UpdateSketchCodes(p.Problem, p.SketchCodes, photosWith.Codes, p.D, p.SketchOutputs, options);
        var sketchesWithout = DshSolvers.UpdateSketchCodes(p.Problem, p.SketchCodes, photosWith.Codes, p.D, null, options);
        Assert.True(sketchesWith.Codes.eq(sketchesWithout.Codes).all().item<bool>());

        // With γ above 0 the outputs are part of the problem and cannot be left out.
        var weighted = options with { Gamma = 0.5 };
        Assert.Contains("Gamma", Assert.Throws<ArgumentException>(() =>
            DshObjective.Evaluate(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, null, weighted)).Message);
        Assert.Contains("photoOutputs", Assert.Throws<ArgumentException>(() =>
            DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, null, weighted)).Message);
        Assert.Contains("sketchOutputs", Assert.Throws<ArgumentException>(() =>
            DshSolvers.UpdateSketchCodes(p.Problem, p.SketchCodes, p.PhotoCodes, p.D, null, weighted)).Message);
    }
}
