using Dsh.Tests.Support;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

public sealed class WeightAverageTests : IDisposable
{
    private readonly TempFolder _dir = new("dsh-average-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CopyTo_WritesTheMeanOfTheAddedStates_IntoLearningTensorsOnly()
    {
        using var network = new DshNetwork(TrainingFixtures.TinyArchitecture);
        var named = network.named_parameters().ToArray();
        var (frozenName, frozen) = named[0];
        frozen.requires_grad = false;
        var (learningName, learning) = named[^1];
        var (bufferName, buffer) = network.named_buffers().First(b => b.buffer.is_floating_point());
        var counter = network.named_buffers().First(b => !b.buffer.is_floating_point()).buffer;
        using var average = new WeightAverage(network);

        double[][] learningStates = new double[3][], bufferStates = new double[3][];
        for (int i = 0; i < 3; i++)
        {
            using (no_grad())
            {
                learning.copy_(rand_like(learning));
                buffer.copy_(rand_like(buffer));
                frozen.add_(1.0);
                counter.add_(5);
            }
            learningStates[i] = Values(learning);
            bufferStates[i] = Values(buffer);
            average.Add();
        }
        double[] frozenBefore = Values(frozen);
        long counterBefore = counter.item<long>();
        average.CopyTo();

        Assert.Equal(3, average.Count);
        double[] mean = Values(learning);
        for (int j = 0; j < mean.Length; j++)
        {
            Assert.Equal((learningStates[0][j] + learningStates[1][j] + learningStates[2][j]) / 3, mean[j], 1e-6); // a tolerance: rounding both to 5 places failed on values 1e-8 apart
        }
        double[] bufferMean = Values(buffer);
        for (int j = 0; j < bufferMean.Length; j++)
        {
            Assert.Equal((bufferStates[0][j] + bufferStates[1][j] + bufferStates[2][j]) / 3, bufferMean[j], 1e-6);
        }
        Assert.Equal(frozenBefore, Values(frozen)); // frozen {frozenName} is not averaged
        Assert.Equal(counterBefore, counter.item<long>()); // nor integer buffers (batch counts)
        Assert.NotEqual(frozenName, learningName);
        Assert.NotEmpty(bufferName);
    }

    [Fact]
    public void CopyTo_WithNoStateAdded_LeavesTheNetwork()
    {
        using var network = new DshNetwork(TrainingFixtures.TinyArchitecture);
        var before = network.state_dict().ToDictionary(kv => kv.Key, kv => Values(kv.Value));
        using var average = new WeightAverage(network);
        average.CopyTo();
        Assert.All(network.state_dict(), kv => Assert.Equal(before[kv.Key], Values(kv.Value)));
    }

    [Fact]
    public void AveragedRun_FollowsTheSameSteps_AndReturnsDifferentWeights()
    {
        var data = TrainingFixtures.Data();
        using var plain = TrainingFixtures.Fit(TrainingFixtures.Options(), data);
        var messages = new List<string>();
        using var averaged = TrainingFixtures.Fit(TrainingFixtures.Options() with { AveragedEpochs = 1 }, data,
            new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.Done) { messages.Add(p.Message); } }));

        Assert.Equal(plain.Summary.FinalBatchLoss, averaged.Summary.FinalBatchLoss); // the trajectory is the same
        Assert.Equal(plain.Summary.Steps, averaged.Summary.Steps);
        Assert.Equal(new[] { "done; the weights are the average of the last 4 steps" }, messages); // one epoch: 4 steps
        var plainWeights = TrainingFixtures.Weights(plain);
        Assert.Contains(TrainingFixtures.Weights(averaged), kv => !kv.Value.SequenceEqual(plainWeights[kv.Key]));
    }

    [Fact]
    public void MoreEpochsThanTheRun_AverageEveryStep()
    {
        var messages = new List<string>();
        using var model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 2) with { AveragedEpochs = 5 }, TrainingFixtures.Data(),
            new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.Done) { messages.Add(p.Message); } }));
        Assert.Equal(new[] { "done; the weights are the average of the last 8 steps" }, messages);
    }

    [Fact]
    public void KilledWhileAveragingAndResumed_EndsExactlyLikeAnUninterruptedRun()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(_dir.File("a")) with { CheckpointInterval = 3, AveragedEpochs = 2 };
        using var uninterrupted = TrainingFixtures.Fit(options, data);

        var resumedOptions = options with { CheckpointDirectory = _dir.File("b") };
        using (var kill = new CancellationTokenSource())
        {
            // Steps 5–8 are the second epoch, the first averaged one; the newest checkpoint before the kill is step 6.
            var progress = new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep && p.Step == 7) { kill.Cancel(); } });
            Assert.Throws<OperationCanceledException>(() => TrainingFixtures.Fit(resumedOptions, data, progress, kill.Token));
        }
        using var resumed = TrainingFixtures.Fit(resumedOptions, data);

        Assert.NotNull(resumed.Summary.ResumedFrom);
        var expected = TrainingFixtures.Weights(uninterrupted);
        Assert.All(TrainingFixtures.Weights(resumed), kv => Assert.Equal(expected[kv.Key], kv.Value));
    }

    [Fact]
    public void TheOption_IsValidated_AndAResumeUnderAnotherCountIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => (TrainingFixtures.Options() with { AveragedEpochs = -1 }).Validated());
        Assert.Contains(nameof(DshTrainerOptions.AveragedEpochs), e.Message);

        var data = TrainingFixtures.Data();
        using (TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 1), data))
        {
        }
        Assert.Contains(nameof(DshTrainerOptions.AveragedEpochs), Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 2) with { AveragedEpochs = 1 }, data)).Message);

        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var settings = TrainingRunSettings.From(TrainingFixtures.Options(), classVectors, "contour");
        // the count in effect is what a checkpoint records: null resolves through the architecture
        var learningPhotoTrunk = new DshTrainerOptions { Architecture = DshProfile.ResNet18.Architecture(64, photoFrozenStages: 3, sketchFrozenStages: null) };
        Assert.Equal(2, TrainingRunSettings.From(learningPhotoTrunk, classVectors, "contour").AveragedEpochs);
        Assert.Empty(TrainingRunSettings.From(learningPhotoTrunk, classVectors, "contour")
            .Differences(TrainingRunSettings.From(learningPhotoTrunk with { AveragedEpochs = 2 }, classVectors, "contour")));
        Assert.NotEmpty(TrainingRunSettings.From(learningPhotoTrunk, classVectors, "contour")
            .Differences(TrainingRunSettings.From(learningPhotoTrunk with { AveragedEpochs = 1 }, classVectors, "contour")));
        Assert.Equal(0, TrainingRunSettings.From(new DshTrainerOptions(), classVectors, "contour").AveragedEpochs);
        Assert.Empty(settings.Differences(TrainingFixtures.WithoutField(settings, nameof(TrainingRunSettings.AveragedEpochs))));
    }

    private static double[] Values(Tensor t) => t.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
}
