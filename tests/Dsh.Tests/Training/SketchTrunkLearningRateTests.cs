using Dsh.Tests.Support;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

public sealed class SketchTrunkLearningRateTests : IDisposable
{
    private readonly TempFolder _dir = new("dsh-sketch-lr-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheDefault_IsTheFullRate_ForEveryProfile()
    {
        Assert.All(DshProfile.All, p => Assert.Equal(1, p.TrainerOptions().SketchTrunkLearningRateFactor));
        Assert.Equal(1, new DshTrainerOptions().SketchTrunkLearningRateFactor);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.3)]
    [InlineData(10.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadFactors_AreRejectedByName(double factor)
    {
        var e = Assert.Throws<ArgumentException>(() => (TrainingFixtures.Options() with { SketchTrunkLearningRateFactor = factor }).Validated());
        Assert.Contains(nameof(DshTrainerOptions.SketchTrunkLearningRateFactor), e.Message);
    }

    [Fact]
    public void TheSgdStep_ScalesEachParametersRate_ByItsFactor()
    {
        using var scope = NewDisposeScope();
        var slow = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 2, 3 }));
        var fast = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 2, 3 }));
        using var sgd = new MomentumSgd([slow, fast], momentum: 0.9, weightDecay: 0, p => ReferenceEquals(p, slow) ? 0.25 : 1);
        Assert.Equal(new[] { 0.25, 1.0 }, sgd.RateFactors);
        for (int step = 0; step < 2; step++)
        {
            sgd.ZeroGrad();
            slow.sum().mul(2).backward(); // ∂/∂p = 2 for every element
            fast.sum().mul(2).backward();
            sgd.Step(0.1);
        }
        // v1 = 2, v2 = 0.9 · 2 + 2 = 3.8: p = p0 − lr · factor · (v1 + v2) = p0 − 0.58 · factor
        float[] s = slow.detach().data<float>().ToArray(), f = fast.detach().data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i + 1 - 0.58 * 0.25, s[i], 5);
            Assert.Equal(i + 1 - 0.58, f[i], 5);
        }
    }

    [Fact]
    public void Training_AppliesTheFactor_ToTheSketchTrunkOnly()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(epochs: 1) with { LearningRate = 1e-2 };
        Dictionary<string, double[]> Train(double factor)
        {
            using DshModel model = TrainingFixtures.Fit(options with { SketchTrunkLearningRateFactor = factor }, data);
            Assert.Equal(factor, model.TrainingOptions!.SketchTrunkLearningRateFactor);
            return TrainingFixtures.Weights(model);
        }
        var full = Train(1);
        var tiny = Train(1e-6);
        var tinier = Train(1e-9);
        Dictionary<string, double[]> untrained;
        using (DshModel barelyTrained = TrainingFixtures.Fit(options with { SketchTrunkLearningRateFactor = 1e-9, LearningRate = 1e-12 }, data))
        {
            untrained = TrainingFixtures.Weights(barelyTrained);
        }
        static double MaxDifference(Dictionary<string, double[]> a, Dictionary<string, double[]> b, string prefix) =>
            a.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.EndsWith(".weight", StringComparison.Ordinal))
                .Max(kv => kv.Value.Zip(b[kv.Key], (x, y) => Math.Abs(x - y)).Max());
        double trunkMoves = MaxDifference(full, tiny, "sketch_trunk.");
        Assert.True(trunkMoves > 1e-4, $"the full rate moves the sketch trunk ({trunkMoves})");
        // with factors of 1e-6 and 1e-9 the sketch trunk stays at its (same, seeded) initial weights
        Assert.True(MaxDifference(tiny, tinier, "sketch_trunk.") < 1e-3 * trunkMoves);
        // while the heads learn at the full rate either way
        Assert.True(MaxDifference(tiny, untrained, "sketch_head.") > 1e-4);
    }

    [Fact]
    public void AResumeUnderAnotherFactor_IsRefused_AndOlderCheckpointsReadAsTheFullRate()
    {
        var data = TrainingFixtures.Data();
        using (TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 1), data))
        {
        }
        Assert.Contains(nameof(DshTrainerOptions.SketchTrunkLearningRateFactor), Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 2) with { SketchTrunkLearningRateFactor = 0.5 }, data)).Message);

        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var full = TrainingRunSettings.From(TrainingFixtures.Options(), classVectors, "contour");
        var slower = TrainingRunSettings.From(TrainingFixtures.Options() with { SketchTrunkLearningRateFactor = 0.3 }, classVectors, "contour");
        Assert.Equal(new[] { nameof(TrainingRunSettings.SketchTrunkLearningRateFactor) }, full.Differences(slower));
        // a checkpoint written before the factor existed trained at the full rate
        Assert.Empty(full.Differences(TrainingFixtures.WithoutField(full, nameof(TrainingRunSettings.SketchTrunkLearningRateFactor))));
        Assert.NotEmpty(slower.Differences(TrainingFixtures.WithoutField(slower, nameof(TrainingRunSettings.SketchTrunkLearningRateFactor))));
    }
}
