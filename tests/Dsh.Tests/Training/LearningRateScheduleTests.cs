using Dsh.Training;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

public class LearningRateScheduleTests
{
    private static readonly DshTrainerOptions Compact = new() { Architecture = DshArchitecture.Compact(64), LearningRate = 0.01 };

    [Theory]
    [InlineData(0, 0L)]
    [InlineData(3, 57L)]
    [InlineData(5, 99L)]
    public void Constant_KeepsTheRate_AndDecayMultipliesItPerEpoch(int epoch, long step)
    {
        Assert.Equal(0.01, Compact.LearningRateAt(epoch, step, 100));
        Assert.Equal(0.01 * Math.Pow(0.5, epoch), (Compact with { LearningRateDecay = 0.5 }).LearningRateAt(epoch, step, 100), 15);
    }

    [Fact]
    public void Cosine_FallsFromTheFullRateToNothing_HalfwayAtHalfTheRate()
    {
        var cosine = Compact with { LearningRateSchedule = LearningRateSchedule.Cosine };
        Assert.Equal(0.01, cosine.LearningRateAt(0, 0, 200), 15);
        Assert.Equal(0.005, cosine.LearningRateAt(3, 100, 200), 15);
        Assert.Equal(0.01 * 0.5 * (1 + Math.Cos(Math.PI / 4)), cosine.LearningRateAt(1, 50, 200), 15); // by hand: 0.008536
        Assert.Equal(0.0, cosine.LearningRateAt(5, 200, 200), 15);
        double previous = double.MaxValue;
        for (long step = 0; step < 200; step++)
        {
            double rate = cosine.LearningRateAt(0, step, 200);
            Assert.True(rate < previous && rate > 0, $"step {step}: {rate}");
            previous = rate;
        }
        // the per-epoch decay still applies on top
        Assert.Equal(0.005 * 0.25, (cosine with { LearningRateDecay = 0.5 }).LearningRateAt(2, 100, 200), 15);
    }

    [Fact]
    public void AnUndefinedSchedule_IsRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => (Compact with { LearningRateSchedule = (LearningRateSchedule)7 }).Validated());
        Assert.Contains(nameof(DshTrainerOptions.LearningRateSchedule), e.Message);
    }

    [Fact]
    public void ResumingUnderAnotherSchedule_IsRefused_AndOlderCheckpointsReadAsConstant()
    {
        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var constant = TrainingRunSettings.From(Compact, classVectors, "contour");
        var cosine = TrainingRunSettings.From(Compact with { LearningRateSchedule = LearningRateSchedule.Cosine }, classVectors, "contour");
        Assert.Equal(new[] { "LearningRateSchedule" }, constant.Differences(cosine));
        // a header written before the schedule existed has no such field: it was a constant-rate run
        TrainingRunSettings old = TrainingFixtures.WithoutField(constant, nameof(TrainingRunSettings.LearningRateSchedule));
        Assert.Empty(constant.Differences(old));
        Assert.Equal(new[] { "LearningRateSchedule" }, cosine.Differences(old));
    }
}
