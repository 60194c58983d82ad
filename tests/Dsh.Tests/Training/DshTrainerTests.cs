using Dsh.Training;
using TorchSharp;

namespace Dsh.Tests.Training;

public class DshTrainerTests
{
    [Fact]
    public void SameSeed_GivesBitEqualLossesAndWeights()
    {
        var data = TrainingFixtures.Data();
        var lossesA = new List<double>();
        var lossesB = new List<double>();
        using var a = TrainingFixtures.Fit(TrainingFixtures.Options(), data, new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep) { lossesA.Add(p.BatchLoss); } }));
        using var b = TrainingFixtures.Fit(TrainingFixtures.Options(), data, new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep) { lossesB.Add(p.BatchLoss); } }));

        Assert.Equal(12, lossesA.Count); // 3 epochs × ceil(30 / 8) steps
        Assert.Equal(lossesA, lossesB);
        Assert.Equal(a.Summary.FinalTerms, b.Summary.FinalTerms);
        var wa = TrainingFixtures.Weights(a);
        var wb = TrainingFixtures.Weights(b);
        Assert.All(wa, kv => Assert.Equal(kv.Value, wb[kv.Key]));

        using var c = TrainingFixtures.Fit(TrainingFixtures.Options(seed: 2), data);
        Assert.NotEqual(a.Summary.FinalBatchLoss, c.Summary.FinalBatchLoss);
    }

    [Fact]
    public void Training_LowersTheRegressionLoss_AndTheObjective()
    {
        var data = TrainingFixtures.Data();
        var steps = new List<DshProgress>();
        using var model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 4) with { LearningRate = 3e-3 }, data,
            new SyncProgress<DshProgress>(p => steps.Add(p)));
        var losses = steps.Where(p => p.Phase == TrainingPhase.NetworkStep).Select(p => p.BatchLoss).ToArray();
        Assert.True(losses[^4..].Average() < losses[..4].Average(), $"loss {losses[..4].Average():F2} → {losses[^4..].Average():F2}");
        var codeUpdates = steps.Where(p => p.Phase == TrainingPhase.CodeUpdate).Select(p => p.Terms!.Value.Total).ToArray();
        Assert.Equal(4, codeUpdates.Length);
        Assert.True(codeUpdates[^1] < codeUpdates[0]);
        Assert.Equal(TrainingPhase.Done, steps[^1].Phase);
        Assert.All(steps.Where(p => p.Phase == TrainingPhase.NetworkStep), p =>
        {
            Assert.True(p.ItemsPerSecond > 0);
            Assert.NotNull(p.Eta);
            Assert.Equal(16, p.TotalSteps);
        });
        Assert.Equal(16, model.Summary.Steps);
    }

    [Fact]
    public void TheCodeUpdate_EncodesTheTrainingSet_OnlyWhenGammaWeighsTheOutputs()
    {
        var data = TrainingFixtures.Data();
        List<DshProgress> Run(double gamma)
        {
            var steps = new List<DshProgress>();
            var options = TrainingFixtures.Options(epochs: 2);
            using var model = TrainingFixtures.Fit(options with { Objective = options.Objective with { Gamma = gamma } }, data,
                new SyncProgress<DshProgress>(steps.Add));
            return steps;
        }

        List<DshProgress> skipped = Run(0), encoded = Run(1e-5);
        Assert.DoesNotContain(skipped, p => p.Phase == TrainingPhase.Encoding);
        Assert.Equal(2, encoded.Count(p => p.Phase == TrainingPhase.Encoding));
        var skippedTerms = skipped.Where(p => p.Phase == TrainingPhase.CodeUpdate).Select(p => p.Terms!.Value).ToArray();
        var encodedTerms = encoded.Where(p => p.Phase == TrainingPhase.CodeUpdate).Select(p => p.Terms!.Value).ToArray();
        Assert.Equal(2, skippedTerms.Length);
        Assert.All(skippedTerms, t => Assert.True(double.IsNaN(t.QuantizationPhoto) && double.IsNaN(t.QuantizationSketch) && double.IsFinite(t.Total)));
        Assert.All(encodedTerms, t => Assert.True(t.QuantizationPhoto > 0 && t.QuantizationSketch > 0));
        // γ = 1e-5 tips no bit here: both runs learn the same codes, so the network steps' losses agree.
        Assert.Equal(
            encoded.Where(p => p.Phase == TrainingPhase.NetworkStep).Select(p => p.BatchLoss),
            skipped.Where(p => p.Phase == TrainingPhase.NetworkStep).Select(p => p.BatchLoss));
    }

    [Fact]
    public void LiveTensors_DoNotGrowAcrossSteps()
    {
        var data = TrainingFixtures.Data();
        var live = new List<long>();
        using var model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 4), data, new SyncProgress<DshProgress>(p =>
        {
            if (p.Phase == TrainingPhase.NetworkStep)
            {
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
        }));
        Assert.Equal(16, live.Count);
        // After the first epoch every step ends with the same number of live tensors.
        Assert.True(live[4..].Distinct().Count() == 1, "live tensors per step: " + string.Join(", ", live));
    }

    [Fact]
    public void Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => TrainingFixtures.Fit(TrainingFixtures.Options(), TrainingFixtures.Data(), null, cts.Token));
    }
}
