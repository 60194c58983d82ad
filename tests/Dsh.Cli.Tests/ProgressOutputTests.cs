using Dsh.Cli.Progress;
using Dsh.Cli.Running;
using Dsh.Training;

namespace Dsh.Cli.Tests;

/// <summary>The plain (redirected) progress output and the training detail line.</summary>
public sealed class ProgressOutputTests
{
    [Fact]
    public void PlainLinesHaveCountsPercentAndNoAnsi()
    {
        using var writer = new StringWriter();
        var sink = new PlainProgressSink(writer);
        IProgressTask task = sink.AddTask("encode photos", 40);
        task.Update(10, "5.0 img/s");
        task.Update(20, "skipped: too soon after the last line");
        task.Complete("done");
        sink.Message("a message");
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["encode photos: 10/40 (25%) 5.0 img/s", "encode photos: 40/40 (100%) done", "a message"], lines);
        Assert.DoesNotContain('\u001b', writer.ToString());
    }

    [Fact]
    public void TrainingDetailHasEpochLossTermsSpeedAndEta()
    {
        var progress = new DshProgress
        {
            Phase = TrainingPhase.NetworkStep,
            Epoch = 2,
            Epochs = 6,
            Step = 9,
            TotalSteps = 30,
            BatchLoss = 1.23456,
            Terms = new DshLossTerms(10, 0.5, 3, 4, 5, 6, 7, 100),
            ItemsPerSecond = 71.9,
            Eta = TimeSpan.FromSeconds(83),
        };
        string detail = TrainingRunner.Detail(progress);
        Assert.Equal("epoch 2/6, loss 1.235, pairwise/pair 0.50 semantic 3.0/4.0 quant 6.0/7.0 total 100, 71.9 items/s, ETA 1:23", detail);

        // γ = 0 (the default): the quantisation terms were not computed, and the line leaves them out.
        string withoutQuantisation = TrainingRunner.Detail(progress with { Terms = new DshLossTerms(10, 0.5, 3, 4, 5, double.NaN, double.NaN, 100) });
        Assert.Equal("epoch 2/6, loss 1.235, pairwise/pair 0.50 semantic 3.0/4.0 total 100, 71.9 items/s, ETA 1:23", withoutQuantisation);
    }
}
