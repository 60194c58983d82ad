using Dsh.Imaging.Augmentation;
using Dsh.Training;

namespace Dsh.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void KilledMidEpochAndResumed_EndsExactlyLikeAnUninterruptedRun()
    {
        var data = TrainingFixtures.Data();
        using var uninterrupted = TrainingFixtures.Fit(TrainingFixtures.Options(Path.Combine(_dir, "a")) with { CheckpointInterval = 3 }, data);

        string resumedDir = Path.Combine(_dir, "b");
        var options = TrainingFixtures.Options(resumedDir) with { CheckpointInterval = 3 };
        using (var kill = new CancellationTokenSource())
        {
            // "Kill" after step 7: mid-way through the second epoch (steps 5–8); the newest checkpoint is step 6.
            var progress = new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep && p.Step == 7) { kill.Cancel(); } });
            Assert.Throws<OperationCanceledException>(() => TrainingFixtures.Fit(options, data, progress, kill.Token));
        }
        Assert.EndsWith("checkpoint-000000006.dshckpt", TrainingCheckpoint.List(resumedDir)[0]);

        var messages = new List<string>();
        using var resumed = TrainingFixtures.Fit(options, data, new SyncProgress<DshProgress>(p => messages.Add(p.Message)));

        Assert.NotNull(resumed.Summary.ResumedFrom);
        Assert.Contains(messages, m => m.StartsWith("resumed from", StringComparison.Ordinal));
        Assert.Equal(uninterrupted.Summary.FinalBatchLoss, resumed.Summary.FinalBatchLoss);
        Assert.Equal(uninterrupted.Summary.FinalTerms, resumed.Summary.FinalTerms);
        Assert.Equal(uninterrupted.Summary.Steps, resumed.Summary.Steps);
        var expected = TrainingFixtures.Weights(uninterrupted);
        Assert.All(TrainingFixtures.Weights(resumed), kv => Assert.Equal(expected[kv.Key], kv.Value));
    }

    [Fact]
    public void FinishedRun_ResumesToTheEndWithoutTraining()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(_dir, epochs: 2);
        using var first = TrainingFixtures.Fit(options, data);
        int steps = 0;
        using var again = TrainingFixtures.Fit(options, data, new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep) { steps++; } }));
        Assert.Equal(0, steps);
        Assert.Equal(first.Summary.FinalBatchLoss, again.Summary.FinalBatchLoss);
        Assert.Equal(2, TrainingCheckpoint.List(_dir).Count); // CheckpointsToKeep
    }

    [Fact]
    public void DamagedNewestCheckpoint_IsSkippedForTheOneBefore()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(_dir, epochs: 2);
        using (TrainingFixtures.Fit(options with { Epochs = 1 }, data))
        {
        }
        using (TrainingFixtures.Fit(options, data))
        {
        }
        string newest = TrainingCheckpoint.List(_dir)[0];
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(newest, bytes);

        var messages = new List<string>();
        int steps = 0;
        using var resumed = TrainingFixtures.Fit(options, data, new SyncProgress<DshProgress>(p =>
        {
            messages.Add(p.Message);
            if (p.Phase == TrainingPhase.NetworkStep)
            {
                steps++;
            }
        }));
        Assert.Contains(messages, m => m.Contains("skipped damaged checkpoint", StringComparison.Ordinal));
        Assert.True(File.Exists(newest + ".damaged")); // set aside, no longer counted as a checkpoint
        Assert.Equal(4, steps); // the second epoch again, from the end-of-epoch-1 checkpoint
    }

    [Fact]
    public void CheckpointOfAnotherRun_IsRefusedWithAReason()
    {
        var data = TrainingFixtures.Data();
        using (TrainingFixtures.Fit(TrainingFixtures.Options(_dir, epochs: 1), data))
        {
        }
        var e = Assert.Throws<InvalidOperationException>(() => TrainingFixtures.Fit(TrainingFixtures.Options(_dir, epochs: 2, seed: 9), data));
        Assert.Contains("seed", e.Message);
        Assert.Contains("LearningRate", Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(TrainingFixtures.Options(_dir, epochs: 2) with { LearningRate = 5e-4 }, data)).Message);
        Assert.Contains("Augmentation", Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(TrainingFixtures.Options(_dir, epochs: 2) with { Augmentation = AugmentationOptions.None }, data)).Message);
        var other = new SyntheticTrainingData(TrainingFixtures.TinyArchitecture, 3, 9, 10);
        Assert.Contains("training data", Assert.Throws<InvalidOperationException>(() => TrainingFixtures.Fit(TrainingFixtures.Options(_dir, epochs: 2), other)).Message);
    }

    [Fact]
    public void CheckpointOfTheDefaultLearningRate_ResumesWhenTheSameRateIsSet_NotAnother()
    {
        var data = TrainingFixtures.Data();
        // No LearningRate set: it follows the code length (16 bits: 1e-2), as in `dsh train` without --lr.
        var followsRule = new DshTrainerOptions
        {
            Architecture = TrainingFixtures.TinyArchitecture,
            Epochs = 1,
            BatchSize = 8,
            Seed = 1,
            Threads = 2,
            CheckpointDirectory = _dir,
        };
        using (TrainingFixtures.Fit(followsRule, data))
        {
        }
        using (var resumed = TrainingFixtures.Fit(followsRule with { Epochs = 2, LearningRate = 1e-2 }, data))
        {
            Assert.NotNull(resumed.Summary.ResumedFrom);
        }
        Assert.Contains("LearningRate", Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(followsRule with { Epochs = 3, LearningRate = 1e-3 }, data)).Message);
    }
}
