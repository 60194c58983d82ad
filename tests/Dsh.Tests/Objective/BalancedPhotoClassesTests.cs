using Dsh.Persistence;
using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Objective;

/// <summary><see cref="DshObjectiveOptions.BalancePhotoClasses"/>: the pairwise term with each pair weighted by its photo's class weight.</summary>
public class BalancedPhotoClassesTests
{
    [Fact]
    public void PhotoWeights_ArePhotosOverClassesPresentTimesClassSize()
    {
        // Photos: three of class 0, one of class 2 (class 1 has none): 4 / (2 · 3) and 4 / (2 · 1).
        using var scope = NewDisposeScope();
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 2, 0, 0 }), torch.tensor(new long[] { 2, 1, 0, 0 }), torch.ones(1, 3, ScalarType.Float64));

        double[] weights = problem.PhotoWeights(balance: true).data<double>().ToArray();
        Assert.Equal(4, weights.Length);
        foreach (var (expected, actual) in new[] { 2 / 3.0, 2.0, 2 / 3.0, 2 / 3.0 }.Zip(weights))
        {
            Assert.Equal(expected, actual, 12);
        }
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 1.0 }, problem.PhotoWeights(balance: false).data<double>().ToArray());
        // Same-class pairs: class 0: 3 photos × 2 sketches, class 2: 1 × 1 → 7 unweighted; weighted 3 · 2/3 · 2 + 2 · 1 = 6.
        Assert.Equal(7, problem.SameClassPairs);
        Assert.Equal(6, problem.SameClassPairWeight(balance: true), 12);
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
    public void Evaluate_EqualsTheDenseWeightedSum(int seed)
    {
        using var scope = NewDisposeScope();
        using var plain = new RandomProblem(seed, balancePhotoClasses: false);
        using var p = new RandomProblem(seed, balancePhotoClasses: true);
        DshLossTerms fast = p.Evaluate();
        DshLossTerms dense = p.DenseReference();

        Assert.Equal(dense.Pairwise, fast.Pairwise, 1e-9 * Math.Max(1, dense.Pairwise));
        Assert.Equal(dense.Total, fast.Total, 1e-7 * Math.Max(1, Math.Abs(dense.Total)));
        Assert.Equal(dense.PairwisePerPair, fast.PairwisePerPair, 1e-9 * Math.Max(1, dense.PairwisePerPair));
        // Photo classes of unequal sizes: the weights change the term (a test that would pass with them ignored proves nothing).
        long[] photoLabels = p.Problem.PhotoLabels.data<long>().ToArray();
        if (photoLabels.GroupBy(l => l).Select(g => g.Count()).Distinct().Count() > 1)
        {
            Assert.NotEqual(plain.Evaluate().Pairwise, fast.Pairwise, 6);
        }
    }

    [Fact]
    public void CodeUpdates_NeverIncreaseTheBalancedObjective_OverManySeeds()
    {
        int improved = 0;
        for (int seed = 200; seed < 240; seed++)
        {
            using var scope = NewDisposeScope();
            using var plain = new RandomProblem(seed, balancePhotoClasses: false);
            using var p = new RandomProblem(seed, balancePhotoClasses: true);
            double before = p.DenseReference().Total;

            var photo = DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, p.Options);
            p.PhotoCodes = photo.Codes;
            double afterPhoto = p.DenseReference().Total;
            var sketch = DshSolvers.UpdateSketchCodes(p.Problem, p.SketchCodes, photo.Codes, p.D, p.SketchOutputs, p.Options);
            p.SketchCodes = sketch.Codes;
            double afterSketch = p.DenseReference().Total;

            double tolerance = 1e-9 * Math.Max(1, Math.Abs(before));
            Assert.True(afterPhoto <= before + tolerance, $"seed {seed}: B_I step raised {before} to {afterPhoto}");
            Assert.True(afterSketch <= afterPhoto + tolerance, $"seed {seed}: B_S step raised {afterPhoto} to {afterSketch}");
            improved += afterSketch < before - tolerance ? 1 : 0;
        }
        Assert.True(improved > 35, $"only {improved} of 40 problems improved: the updates do nothing");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void ConvergedCodes_NoSingleBitFlipLowersTheDenseWeightedObjective(int seed)
    {
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(seed, m: 6, nI: 10, nS: 9, classes: 3)
        {
            Options = new DshObjectiveOptions { Lambda = 0.7, Gamma = 0.9, MaxCodeSweeps = 50, BalancePhotoClasses = true, DissimilarPairTarget = seed switch { 8 => null, 9 => 0.0, _ => -1.0 } },
        };
        foreach (bool photos in new[] { true, false })
        {
            var update = photos
                ? DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, p.PhotoOutputs, p.Options)
                : DshSolvers.UpdateSketchCodes(p.Problem, p.SketchCodes, p.PhotoCodes, p.D, p.SketchOutputs, p.Options);
            Assert.True(update.Sweeps < 50, "did not converge");
            if (photos)
            {
                p.PhotoCodes = update.Codes;
            }
            else
            {
                p.SketchCodes = update.Codes;
            }
            double best = p.DenseReference().Total;
            Tensor codes = update.Codes;
            for (int k = 0; k < 6; k++)
            {
                for (int i = 0; i < codes.shape[1]; i++)
                {
                    Tensor flipped = codes.clone();
                    flipped[k, i] = flipped[k, i].neg();
                    if (photos)
                    {
                        p.PhotoCodes = flipped;
                    }
                    else
                    {
                        p.SketchCodes = flipped;
                    }
                    Assert.True(p.DenseReference().Total >= best - 1e-9 * Math.Abs(best), $"flipping {(photos ? "photo" : "sketch")} bit ({k}, {i}) lowers the objective");
                }
            }
            if (photos)
            {
                p.PhotoCodes = codes;
            }
            else
            {
                p.SketchCodes = codes;
            }
        }
    }

    [Fact]
    public void EqualClassSizes_GiveThePapersUpdate()
    {
        // Two photos of each class (and sketches of unequal classes): every weight is 1, so the updates are the unweighted ones, bit for bit.
        using var scope = NewDisposeScope();
        var g = new torch.Generator(5);
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 1, 2, 2, 1, 0 }), torch.tensor(new long[] { 2, 0, 1, 1, 0, 2, 0, 1, 1 }),
            torch.randn(new long[] { 4, 3 }, ScalarType.Float64, generator: g));
        Tensor bi = DshSolvers.RandomCodes(8, 6, g).to(ScalarType.Float64);
        Tensor bs = DshSolvers.RandomCodes(8, 9, g).to(ScalarType.Float64);
        Tensor d = torch.randn(new long[] { 4, 8 }, ScalarType.Float64, generator: g);
        var plain = new DshObjectiveOptions { Lambda = 0.3, BalancePhotoClasses = false };
        var balanced = plain with { BalancePhotoClasses = true };

        Tensor a = DshSolvers.UpdatePhotoCodes(problem, bi, bs, d, null, plain).Codes;
        Tensor b = DshSolvers.UpdatePhotoCodes(problem, bi, bs, d, null, balanced).Codes;
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(DshSolvers.UpdateSketchCodes(problem, bs, a, d, null, plain).Codes.eq(DshSolvers.UpdateSketchCodes(problem, bs, a, d, null, balanced).Codes).all().item<bool>());
        Assert.Equal(DshObjective.Evaluate(problem, bi, bs, d, null, null, plain).Total, DshObjective.Evaluate(problem, bi, bs, d, null, null, balanced).Total, 1e-9);
    }

    [Fact]
    public void UnequalPhotoClasses_BalanceChangesTheSketchUpdate()
    {
        // Nine photos of class 0, one of class 1: unweighted, the one class-1 photo barely counts in a sketch's update;
        // balanced it weighs as much as the nine, and the sketches' codes come out otherwise.
        using var scope = NewDisposeScope();
        var g = new torch.Generator(11);
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }), torch.tensor(new long[] { 0, 0, 0, 0, 0, 0, 1, 1 }),
            torch.randn(new long[] { 2, 2 }, ScalarType.Float64, generator: g));
        Tensor bi = DshSolvers.RandomCodes(6, 10, g).to(ScalarType.Float64);
        Tensor bs = DshSolvers.RandomCodes(6, 8, g).to(ScalarType.Float64);
        Tensor d = torch.zeros(2, 6, ScalarType.Float64);
        var plain = new DshObjectiveOptions { BalancePhotoClasses = false };
        var balanced = plain with { BalancePhotoClasses = true };

        Tensor a = DshSolvers.UpdateSketchCodes(problem, bs, bi, d, null, plain).Codes;
        Tensor b = DshSolvers.UpdateSketchCodes(problem, bs, bi, d, null, balanced).Codes;
        Assert.False(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void StoredOptions_ReadBackAsWritten_AndOptionsStoredWithoutTheField_WeighEveryPairOne()
    {
        Assert.True(new DshObjectiveOptions().BalancePhotoClasses);
        foreach (bool balanced in new[] { true, false })
        {
            var written = new DshObjectiveOptions { Lambda = 0.3, BalancePhotoClasses = balanced };
            Assert.Equal(written, DshJson.Deserialize<DshObjectiveOptions>(DshJson.Serialize(written), "test"));
        }
        // What model files stored before the option existed: every pair weighed 1 then.
        var old = DshJson.Deserialize<DshObjectiveOptions>("""{ "Lambda": 0.3, "Gamma": 0, "DRegularization": 0.01, "MaxCodeSweeps": 3 }""", "old");
        Assert.Equal(new DshObjectiveOptions { Lambda = 0.3, BalancePhotoClasses = false }, old);
    }
}
