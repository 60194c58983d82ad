namespace Dsh.Training;

/// <summary>Where the codes B start before the first code update (<see cref="DshTrainerOptions.InitialCodes"/>).</summary>
public enum CodeInitialization
{
    /// <summary>Every bit of every item drawn at random (seeded): the paper's start.</summary>
    Random,

    /// <summary>
    /// Every item starts at its category's code: one ±1 code a category, the seeded draw (of 64) whose closest pair is
    /// farthest apart — the targets the linear supervised hash regresses onto.
    /// </summary>
    CategoryCodes,
}
