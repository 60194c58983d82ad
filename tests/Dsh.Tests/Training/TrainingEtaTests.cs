using Dsh.Training;

namespace Dsh.Tests.Training;

/// <summary><see cref="TrainingEta"/> against hand-computed cases.</summary>
public sealed class TrainingEtaTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void WithoutACache_ExtrapolatesWallTimePerStep()
    {
        // 10 steps in 50 s: 5 s a step, 90 steps left.
        Assert.Equal(S(450), TrainingEta.Estimate(S(50), 10, 90, TimeSpan.Zero, 0, 0));
    }

    [Fact]
    public void WhileTheCacheFills_StepsAndTheRestOfTheFillAreEstimatedApart()
    {
        // 10 steps in 100 s, of which 80 s filled 640 items (0.125 s an item) and 1,360 items are still to fill:
        // 20 s / 10 steps = 2 s a step × 90 steps = 180 s, plus 1,360 × 0.125 s = 170 s.
        Assert.Equal(S(350), TrainingEta.Estimate(S(100), 10, 90, S(80), 640, 1_360));
        // Wall time per step alone would say 900 s.
    }

    [Fact]
    public void OnceTheCacheIsFull_OnlyTheStepsCount()
    {
        // 100 steps in 400 s, 200 s of it the fill, now complete: 2 s a step × 50.
        Assert.Equal(S(100), TrainingEta.Estimate(S(400), 100, 50, S(200), 2_000, 0));
    }

    [Fact]
    public void LastStep_LeavesOnlyWhatTheCacheStillTakes()
    {
        Assert.Equal(TimeSpan.Zero, TrainingEta.Estimate(S(30), 3, 0, S(10), 10, 0));
        Assert.Equal(S(5), TrainingEta.Estimate(S(30), 3, 0, S(10), 10, 5));
    }

    [Fact]
    public void FillTimeAboveTheElapsedTime_NeverGivesANegativeStepTime()
    {
        // Clock readings taken at different moments can cross by a tick.
        Assert.Equal(TimeSpan.Zero, TrainingEta.Estimate(S(10), 2, 8, S(10.001), 4, 0));
    }

    [Fact]
    public void NoStepYetOrNegativeCounts_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingEta.Estimate(S(1), 0, 5, TimeSpan.Zero, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingEta.Estimate(S(1), 1, -1, TimeSpan.Zero, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingEta.Estimate(S(1), 1, 1, TimeSpan.Zero, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingEta.Estimate(S(1), 1, 1, TimeSpan.Zero, 0, -1));
    }
}
