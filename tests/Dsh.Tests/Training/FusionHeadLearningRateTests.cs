using Dsh.Tests.Support;
using Dsh.Training;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

public sealed class FusionHeadLearningRateTests : IDisposable
{
    private readonly TempFolder _dir = new("dsh-fusion-lr-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheDefault_IsTheFullRate_ForEveryProfile()
    {
        Assert.All(DshProfile.All, p => Assert.Equal(1, p.TrainerOptions().FusionHeadLearningRateFactor));
        Assert.Equal(1, new DshTrainerOptions().FusionHeadLearningRateFactor);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(10.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadFactors_AreRejectedByName(double factor)
    {
        var e = Assert.Throws<ArgumentException>(() => (TrainingFixtures.Options() with { FusionHeadLearningRateFactor = factor }).Validated());
        Assert.Contains(nameof(DshTrainerOptions.FusionHeadLearningRateFactor), e.Message);
    }

    [Fact]
    public void Training_AppliesTheFactor_ToTheFusionHeadOnly()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(epochs: 1) with { LearningRate = 1e-2 };
        Dictionary<string, double[]> Train(double factor, double learningRate = 1e-2)
        {
            using DshModel model = TrainingFixtures.Fit(options with { FusionHeadLearningRateFactor = factor, LearningRate = learningRate }, data);
            Assert.Equal(factor, model.TrainingOptions!.FusionHeadLearningRateFactor);
            return TrainingFixtures.Weights(model);
        }
        var full = Train(1);
        var tiny = Train(1e-6);
        var tinier = Train(1e-9);
        var untrained = Train(1e-9, learningRate: 1e-12);
        static double MaxDifference(Dictionary<string, double[]> a, Dictionary<string, double[]> b, string prefix) =>
            a.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.EndsWith(".weight", StringComparison.Ordinal))
                .Max(kv => kv.Value.Zip(b[kv.Key], (x, y) => Math.Abs(x - y)).Max());
        double headMoves = MaxDifference(full, tiny, "fusion.");
        Assert.True(headMoves > 1e-4, $"the full rate moves the fusion head ({headMoves})");
        // with factors of 1e-6 and 1e-9 the fusion head stays at its (same, seeded) initial weights
        Assert.True(MaxDifference(tiny, tinier, "fusion.") < 1e-3 * headMoves);
        // while the sketch side and the photo trunk learn at the full rate either way
        Assert.True(MaxDifference(tiny, untrained, "sketch_head.") > 1e-4);
        Assert.True(MaxDifference(tiny, untrained, "photo_trunk.") > 1e-4);
    }

    [Fact]
    public void AResumeUnderAnotherFactor_IsRefused_AndOlderCheckpointsReadAsTheFullRate()
    {
        var data = TrainingFixtures.Data();
        using (TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 1), data))
        {
        }
        Assert.Contains(nameof(DshTrainerOptions.FusionHeadLearningRateFactor), Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 2) with { FusionHeadLearningRateFactor = 0.5 }, data)).Message);

        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var full = TrainingRunSettings.From(TrainingFixtures.Options(), classVectors, "contour");
        var slower = TrainingRunSettings.From(TrainingFixtures.Options() with { FusionHeadLearningRateFactor = 0.5 }, classVectors, "contour");
        Assert.Equal(new[] { nameof(TrainingRunSettings.FusionHeadLearningRateFactor) }, full.Differences(slower));
        // a checkpoint written before the factor existed trained at the full rate
        Assert.Empty(full.Differences(TrainingFixtures.WithoutField(full, nameof(TrainingRunSettings.FusionHeadLearningRateFactor))));
        Assert.NotEmpty(slower.Differences(TrainingFixtures.WithoutField(slower, nameof(TrainingRunSettings.FusionHeadLearningRateFactor))));
    }
}
