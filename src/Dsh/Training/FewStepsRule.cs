using Dsh.Data;
using Dsh.Pretrained;

namespace Dsh.Training;

/// <summary>
/// The ResNet18 profile's rule for very short runs: its rate with the photo trunk frozen (2.5e-3 up to 128 bits,
/// <see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>) trains too little in a few dozen network steps. A run
/// planned for fewer than <see cref="ShortRunSteps"/> steps (possible only with <see cref="DshTrainerOptions.MinimumSteps"/>
/// set below the profile's, as <c>dsh train --epochs N</c> does) whose learning rate was not set trains at the code
/// length's rate instead (1e-2 up to 64 bits, 1e-2 · 32 / K above, so 128 bits and more keep theirs). Measured on the
/// bundled pacs-mini (64 bits, mAP@all, 2.5e-3 against 1e-2): 42 steps 0.686 / 0.871, 63 steps 0.804 / 0.855, 84 steps
/// 0.844 / 0.814, 126 steps 0.859 / 0.829 (docs/training.md).
/// </summary>
internal static class FewStepsRule
{
    /// <summary>Runs planned for fewer network steps than this (80: between the measured 63, where 1e-2 won, and 84, where 2.5e-3 did) get the code length's rate.</summary>
    internal const int ShortRunSteps = 80;

    /// <summary>
    /// <paramref name="options"/> with the short-run rate when the rule applies to a run over
    /// <paramref name="dataset"/>, else <paramref name="options"/> itself; <paramref name="plannedSteps"/> is the run's
    /// network steps (epochs × steps an epoch, from the dataset's counts).
    /// </summary>
    public static DshTrainerOptions Apply(DshTrainerOptions options, SbirDataset dataset, out long plannedSteps)
    {
        int stepsPerEpoch = Math.Max(1, options.StepsPerEpoch(dataset.Photos.Count, dataset.TrainingSketches.Count()));
        plannedSteps = (long)options.EpochsFor(stepsPerEpoch) * stepsPerEpoch;
        double rate = DshProfile.LearningRateAt(options.Architecture.CodeLength);
        return Applies(options, plannedSteps) && rate != options.LearningRate ? options with { LearningRate = rate } : options;
    }

    /// <summary>
    /// Whether a run of <paramref name="plannedSteps"/> steps with <paramref name="options"/> gets the short-run rate: the
    /// rate is the default's, the trunks are ImageNet ResNet-18s with the photo trunk frozen, and the run is shorter than
    /// <see cref="ShortRunSteps"/>.
    /// </summary>
    internal static bool Applies(DshTrainerOptions options, long plannedSteps) =>
        !options.LearningRateIsSet
        && options.Architecture is { SketchTrunk: ResNet18TrunkSpec, PhotoTrunk: ResNet18TrunkSpec }
        && !SmallPhotoRule.PhotoTrunkLearns(options.Architecture)
        && plannedSteps < ShortRunSteps;
}
