using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Objective;

public class DshSolversTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void DStep_EqualsTheNormalEquationSolution(int seed)
    {
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(seed, m: 8, nI: 40, nS: 30);
        Tensor d = DshSolvers.UpdateD(p.Problem, p.PhotoCodes, p.SketchCodes, p.Options);

        // Normal equations of λ(‖Φᵢ − D Bᵢ‖² + ‖Φₛ − D Bₛ‖²) + ρ‖D‖², with Φ formed densely:
        // D (λ(BᵢBᵢᵀ + BₛBₛᵀ) + ρI) = λ(ΦᵢBᵢᵀ + ΦₛBₛᵀ).
        Tensor yi = nn.functional.one_hot(p.Problem.PhotoLabels, p.Problem.ClassCount).T.to(ScalarType.Float64);
        Tensor ys = nn.functional.one_hot(p.Problem.SketchLabels, p.Problem.ClassCount).T.to(ScalarType.Float64);
        Tensor phiI = p.Problem.ClassVectors.matmul(yi);
        Tensor phiS = p.Problem.ClassVectors.matmul(ys);
        double lambda = p.Options.Lambda, rho = p.Options.DRegularization;
        Tensor a = p.PhotoCodes.matmul(p.PhotoCodes.T).add(p.SketchCodes.matmul(p.SketchCodes.T)).mul(lambda)
            .add(torch.eye(8, dtype: ScalarType.Float64).mul(rho));
        Tensor r = phiI.matmul(p.PhotoCodes.T).add(phiS.matmul(p.SketchCodes.T)).mul(lambda);
        Tensor expected = torch.linalg.solve(a, r.T).T; // A symmetric

        Assert.Equal(new long[] { p.Problem.VectorDimension, 8 }, d.shape);
        Assert.True(d.allclose(expected, rtol: 1e-9, atol: 1e-10));

        // And it is the minimiser: the objective's gradient in D vanishes, so nudging D never helps.
        p.D = d;
        double best = p.Evaluate().Total;
        var g = new torch.Generator((ulong)seed);
        for (int i = 0; i < 5; i++)
        {
            p.D = d.add(torch.randn(d.shape, ScalarType.Float64, generator: g).mul(1e-3));
            Assert.True(p.Evaluate().Total >= best - 1e-9 * Math.Abs(best));
        }
    }

    [Fact]
    public void DStep_WithoutRegularisation_HandlesRepeatedCodes()
    {
        using var scope = NewDisposeScope();
        // Every item of a class has the same code: B·Bᵀ has rank ≤ 2 < m, so only the pseudo-inverse works.
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 1, 0, 1 }), torch.tensor(new long[] { 1, 0 }),
            torch.tensor(new double[,] { { 1, -1 }, { 2, 0.5 } }, ScalarType.Float64));
        var g = new torch.Generator(4);
        Tensor classCodes = DshSolvers.RandomCodes(6, 2, g).to(ScalarType.Float64);
        Tensor bi = classCodes.index_select(1, problem.PhotoLabels);
        Tensor bs = classCodes.index_select(1, problem.SketchLabels);
        var options = new DshObjectiveOptions { DRegularization = 0 };

        Tensor d = DshSolvers.UpdateD(problem, bi, bs, options);

        Assert.True(torch.isfinite(d).all().item<bool>());
        // Least squares: D Bᵢ reproduces Φᵢ as well as possible (exactly here, 2 distinct classes, m = 6).
        Tensor phiI = problem.ClassVectors.index_select(1, problem.PhotoLabels);
        Assert.True(d.matmul(bi).allclose(phiI, rtol: 1e-8, atol: 1e-8));
    }

    [Fact]
    public void CodeUpdates_NeverIncreaseTheObjective_OverManySeeds()
    {
        int improved = 0;
        for (int seed = 100; seed < 160; seed++)
        {
            using var scope = NewDisposeScope();
            using var p = new RandomProblem(seed);
            Tensor oldPhoto = p.PhotoCodes.clone();
            double before = p.Evaluate().Total;

            var photo = DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, p.Options);
            double afterPhoto = p.Total(photo.Codes, p.SketchCodes);
            var sketch = DshSolvers.UpdateSketchCodes(p.Problem, p.SketchCodes, photo.Codes, p.D, p.SketchOutputs, p.Options);
            double afterSketch = p.Total(photo.Codes, sketch.Codes);

            double tolerance = 1e-9 * Math.Max(1, Math.Abs(before));
            Assert.True(afterPhoto <= before + tolerance, $"seed {seed}: B_I step raised {before} to {afterPhoto}");
            Assert.True(afterSketch <= afterPhoto + tolerance, $"seed {seed}: B_S step raised {afterPhoto} to {afterSketch}");
            Assert.True(photo.Codes.abs().eq(1).all().item<bool>(), $"seed {seed}: a photo bit is not ±1");
            Assert.True(sketch.Codes.abs().eq(1).all().item<bool>(), $"seed {seed}: a sketch bit is not ±1");
            Assert.True(p.PhotoCodes.eq(oldPhoto).all().item<bool>(), "the input codes were modified");
            Assert.Equal(photo.BitsChanged, photo.Codes.ne(p.PhotoCodes).sum().item<long>());
            Assert.InRange(photo.Sweeps, 1, p.Options.MaxCodeSweeps);
            if (afterSketch < before - tolerance)
            {
                improved++;
            }
        }
        Assert.True(improved > 50, $"only {improved} of 60 problems improved: the updates do nothing");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void ConvergedCodes_AreRowWiseOptimal_NoSingleBitFlipHelps(int seed)
    {
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(seed, m: 6, nI: 10, nS: 9) 
        {
            Options = new DshObjectiveOptions { Lambda = 0.7, Gamma = 0.9, MaxCodeSweeps = 50, BalancePhotoClasses = false, DissimilarPairTarget = seed switch { 8 => null, 9 => 0.0, _ => -1.0 } },
        };
        var update = DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, p.Options);
        Assert.True(update.Sweeps < 50, "did not converge");
        Tensor b = update.Codes;
        double best = p.Total(b, p.SketchCodes);

        for (int k = 0; k < 6; k++)
        {
            for (int i = 0; i < 10; i++)
            {
                Tensor flipped = b.clone();
                flipped[k, i] = flipped[k, i].neg();
                Assert.True(p.Total(flipped, p.SketchCodes) >= best - 1e-9 * Math.Abs(best), $"flipping bit ({k}, {i}) lowers the objective");
            }
        }

        // Row-wise exactness: for one row, brute force over all 2^10 rows finds nothing better.
        for (int pattern = 0; pattern < 1 << 10; pattern++)
        {
            Tensor candidate = b.clone();
            for (int i = 0; i < 10; i++)
            {
                candidate[2, i] = (pattern >> i & 1) == 1 ? 1.0 : -1.0;
            }
            Assert.True(p.Total(candidate, p.SketchCodes) >= best - 1e-9 * Math.Abs(best));
        }
    }

    [Fact]
    public void Ties_KeepTheOldBit()
    {
        // m = 1, classes {0, 1} on both sides, D = 0, F = 0, sketch codes [1, 1]: every photo's argument is 0.
        using var scope = NewDisposeScope();
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 1 }), torch.tensor(new long[] { 0, 1 }), torch.ones(2, 2, ScalarType.Float64));
        Tensor bs = torch.tensor(new double[,] { { 1, 1 } }, ScalarType.Float64);
        Tensor d = torch.zeros(2, 1, ScalarType.Float64);
        Tensor f = torch.zeros(1, 2, ScalarType.Float64);
        foreach (var row in new[] { new double[] { 1, -1 }, new double[] { -1, -1 }, new double[] { 1, 1 } })
        {
            Tensor bi = torch.tensor(row, ScalarType.Float64).reshape(1, 2);
            var update = DshSolvers.UpdatePhotoCodes(problem, bi, bs, d, f);
            Assert.Equal(row, update.Codes.data<double>().ToArray());
            Assert.Equal(0, update.BitsChanged);
            Assert.Equal(1, update.Sweeps);
        }
    }

    [Fact]
    public void PairwiseTermDominates_SameClassCodesAgree()
    {
        // With the default weights the pairwise term dominates: after a few alternations same-class codes agree
        // and codes of different classes point away from each other.
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(31, m: 16, nI: 60, nS: 50, classes: 3, dim: 4) { Options = new DshObjectiveOptions() };
        Tensor bi = p.PhotoCodes, bs = p.SketchCodes;
        double initialPerPair = p.Evaluate().PairwisePerPair; // random codes: about m + m² = 272
        for (int round = 0; round < 5; round++)
        {
            Tensor d = DshSolvers.UpdateD(p.Problem, bi, bs, p.Options);
            p.D = d;
            bi = DshSolvers.UpdatePhotoCodes(p.Problem, bi, bs, d, p.PhotoOutputs, p.Options).Codes;
            bs = DshSolvers.UpdateSketchCodes(p.Problem, bs, bi, d, p.SketchOutputs, p.Options).Codes;
        }
        Tensor all = torch.cat(new[] { bi, bs }, 1);
        Tensor labels = torch.cat(new[] { p.Problem.PhotoLabels, p.Problem.SketchLabels }, 0);
        Tensor inner = all.T.matmul(all).div(16);                      // cosine of codes, 1 = identical
        Tensor same = labels.unsqueeze(0).eq(labels.unsqueeze(1));
        double sameMean = inner.masked_select(same).mean().item<double>();
        double otherMean = inner.masked_select(same.logical_not()).mean().item<double>();
        var terms = DshObjective.Evaluate(p.Problem, bi, bs, p.D, p.PhotoOutputs, p.SketchOutputs, p.Options);
        string state = $"same-class cosine {sameMean:F3}, other-class {otherMean:F3}, pairwise/pair {initialPerPair:F1} → {terms.PairwisePerPair:F1}";
        Assert.True(sameMean > 0.75 && otherMean < -0.2, state);
        Assert.True(terms.PairwisePerPair < initialPerPair / 3, state);
    }

    [Fact]
    public void ManyClasses_ThePapersTargetPullsSameClassCodesApart_TheSimplexTargetKeepsThemTogether()
    {
        // Seven classes: no seven codes can be pairwise opposite, and with W = −1 the pairs of different classes (six
        // in seven) outweigh the pairs of one class, so the codes settle where a sketch and a photo of one class are no
        // closer than unrelated codes (cosine about 0) and only other classes are farther. With the reachable target
        // −1/6 they agree, and the classes spread out evenly.
        const int m = 32, classes = 7;
        (double Same, double Other) Settle(double? target)
        {
            using var scope = NewDisposeScope();
            using var p = new RandomProblem(41, m: m, nI: 140, nS: 210, classes: classes, dim: 3)
            {
                Options = new DshObjectiveOptions { DissimilarPairTarget = target, BalancePhotoClasses = false },
            };
            Tensor bi = p.PhotoCodes, bs = p.SketchCodes;
            for (int round = 0; round < 6; round++)
            {
                Tensor d = DshSolvers.UpdateD(p.Problem, bi, bs, p.Options);
                bi = DshSolvers.UpdatePhotoCodes(p.Problem, bi, bs, d, p.PhotoOutputs, p.Options).Codes;
                bs = DshSolvers.UpdateSketchCodes(p.Problem, bs, bi, d, p.SketchOutputs, p.Options).Codes;
            }
            Tensor cross = bi.T.matmul(bs).div(m);                      // photo × sketch cosine of codes
            Tensor same = p.Problem.PhotoLabels.unsqueeze(1).eq(p.Problem.SketchLabels.unsqueeze(0));
            return (cross.masked_select(same).mean().item<double>(), cross.masked_select(same.logical_not()).mean().item<double>());
        }

        var paper = Settle(-1.0);
        var simplex = Settle(null);

        Assert.True(paper.Same < 0.2, $"paper's target: same-class cosine {paper.Same:F3} (other {paper.Other:F3})");
        Assert.True(simplex.Same > 0.9, $"simplex target: same-class cosine {simplex.Same:F3} (other {simplex.Other:F3})");
        Assert.InRange(simplex.Other, -1.0 / 6 - 0.1, -1.0 / 6 + 0.1);
    }

    [Fact]
    public void Cancellation_StopsTheUpdate()
    {
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(3);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, p.Options, cts.Token));
    }
}
