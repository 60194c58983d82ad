namespace Dsh.Training;

/// <summary>What <see cref="DshTrainer"/> is doing when it reports progress.</summary>
public enum TrainingPhase
{
    /// <summary>Loading images, class vectors, building the network, resuming.</summary>
    Preparing,

    /// <summary>Computing the network outputs F over the training set (eval mode); only when γ (the quantisation weight) is above 0.</summary>
    Encoding,

    /// <summary>Closed-form D and the discrete updates of B_I and B_S.</summary>
    CodeUpdate,

    /// <summary>One mini-batch step of the networks onto the fixed codes.</summary>
    NetworkStep,

    /// <summary>A checkpoint was written.</summary>
    Checkpoint,

    /// <summary>Training finished.</summary>
    Done,
}
