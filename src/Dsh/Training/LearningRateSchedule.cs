namespace Dsh.Training;

/// <summary>How the θ-step's learning rate changes over a run (<see cref="DshTrainerOptions.LearningRateSchedule"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary>
    /// <see cref="DshTrainerOptions.LearningRate"/> times <see cref="DshTrainerOptions.LearningRateDecay"/> to the power of
    /// the epoch's index (a constant rate with the default decay of 1).
    /// </summary>
    Constant,

    /// <summary>
    /// Cosine annealing over the run's steps: step t of T gets rate · ½ (1 + cos(π t / T)), from the full rate at the first
    /// step down to nearly 0 at the last, whatever the number of epochs (<see cref="DshTrainerOptions.LearningRateDecay"/>
    /// still multiplies it per epoch).
    /// </summary>
    Cosine,
}
