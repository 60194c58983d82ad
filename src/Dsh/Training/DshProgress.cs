using Dsh.Training;

namespace Dsh;

/// <summary>A progress report from <see cref="DshTrainer.Fit(SbirDataset, IProgress{DshProgress}?, CancellationToken)"/>.</summary>
public sealed record DshProgress
{
    /// <summary>What the trainer is doing.</summary>
    public required TrainingPhase Phase { get; init; }

    /// <summary>Current epoch, 1-based (0 while preparing).</summary>
    public int Epoch { get; init; }

    /// <summary>Epochs in the run.</summary>
    public int Epochs { get; init; }

    /// <summary>θ-steps done so far in the whole run.</summary>
    public long Step { get; init; }

    /// <summary>θ-steps in the whole run.</summary>
    public long TotalSteps { get; init; }

    /// <summary>The latest mini-batch loss of the θ-step (‖F_S − B_S‖²/B + ‖F_I − B_I‖²/B), or NaN before the first step.</summary>
    public double BatchLoss { get; init; } = double.NaN;

    /// <summary>Every term of the objective, evaluated after the latest code update (null before the first one).</summary>
    public DshLossTerms? Terms { get; init; }

    /// <summary>Bits of B_I and B_S that changed in the latest code update.</summary>
    public long BitsChanged { get; init; }

    /// <summary>Training items (sketches + photos) per second over the θ-steps of this run.</summary>
    public double ItemsPerSecond { get; init; }

    /// <summary>Time since <c>Fit</c> started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Estimated time to the end (null until known): the steps left at this run's mean step time (each epoch's code
    /// update included), plus, while the first epoch fills the frozen-stage cache, the items it has still to take at the
    /// mean fill time per item, which later epochs do not pay again.
    /// </summary>
    public TimeSpan? Eta { get; init; }

    /// <summary>A line for people (what happened, resumed from where, which class vectors, …).</summary>
    public string Message { get; init; } = "";
}
