using Dsh.Training;

namespace Dsh.Cli.Running;

/// <summary>
/// Trainer options from a training command's values (<c>dsh train</c>, <c>dsh demo</c>): the library's profile
/// (<see cref="DshProfile"/>, which also gives the defaults of <c>--profile</c>, <c>--bits</c>, <c>--epochs</c>,
/// <c>--seed</c> and the learning rate) with the command's values, and what the library rejects as a usage error.
/// </summary>
internal static class TrainingSetup
{
    /// <summary>The profile of <c>--profile</c> (the parser accepts only <see cref="DshProfile.Names"/>).</summary>
    /// <exception cref="UsageException">No profile has that name.</exception>
    public static DshProfile Profile(string name) =>
        DshProfile.TryParse(name, out DshProfile? profile)
            ? profile
            : throw new UsageException($"unknown profile '{name}' (use {string.Join(", ", DshProfile.Names)})");

    /// <summary>
    /// <paramref name="profile"/>'s trainer options at <paramref name="codeLength"/> bits with other frozen-stage counts
    /// (<c>--photo-frozen-stages</c>, <c>--sketch-frozen-stages</c>; null keeps the profile's) and the command's values
    /// (<paramref name="configure"/>), validated. The learning rate follows <see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>
    /// unless <paramref name="configure"/> sets it.
    /// </summary>
    /// <exception cref="UsageException">
    /// Bits the library rejects, a frozen-stage count for a profile without frozen stages, or options that are not valid.
    /// </exception>
    public static DshTrainerOptions Options(DshProfile profile, int codeLength, Func<DshTrainerOptions, DshTrainerOptions> configure,
        int? photoFrozenStages = null, int? sketchFrozenStages = null)
    {
        DshTrainerOptions defaults;
        try
        {
            defaults = profile.TrainerOptions(codeLength);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--bits {codeLength}: {e.Message}");
        }
        if ((photoFrozenStages is not null || sketchFrozenStages is not null) && !profile.HasFrozenStages)
        {
            throw new UsageException($"--photo-frozen-stages and --sketch-frozen-stages apply to --profile {DshProfile.ResNet18.Name} only, not {profile.Name}");
        }
        return ValidatedOptions(() => configure(defaults with
        {
            Architecture = profile.Architecture(codeLength, photoFrozenStages, sketchFrozenStages),
            SmallPhotoSide = photoFrozenStages is null ? defaults.SmallPhotoSide : 0, // a count given is the count trained
        }));
    }

    /// <summary>
    /// Builds trainer options and validates them: a value the library rejects (an <see cref="ArgumentException"/> from the
    /// builder or from <see cref="DshTrainerOptions.Validated"/>) becomes a one-line usage error (exit code 2) instead of a
    /// stack trace.
    /// </summary>
    /// <exception cref="UsageException">The options are not valid.</exception>
    public static DshTrainerOptions ValidatedOptions(Func<DshTrainerOptions> build)
    {
        try
        {
            return build().Validated();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>"6 epochs", or "6 epochs (more on small data: at least 250 steps)" while <see cref="DshTrainerOptions.EffectiveMinimumSteps"/> is on.</summary>
    public static string EpochsText(DshTrainerOptions options) =>
        options.EffectiveMinimumSteps > 0 ? $"{options.Epochs} epochs (more on small data: at least {options.EffectiveMinimumSteps} steps)" : $"{options.Epochs} epochs";
}
