using System.Globalization;
using Dsh.Training;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// What <c>quickdraw-cifar dsh [bits] [epochs] [profile] [lr=] [sketchFrozen=] [photoFrozen=] [schedule=constant|cosine] [variants=N] [dissimilar=paper|simplex|X] [tokenSize=N] [members=N] [trainSeed=N] [average=N] [sketchLr=X] [wd=X] [batch=N]</c> trains, parsed and
/// validated before any data is read, so that a bad argument fails at once. Defaults: 64 bits, the profile's epochs and
/// learning rate (<see cref="DshProfile"/>: 6 epochs, <see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>), profile resnet18.
/// </summary>
internal sealed record QuickDrawDshSettings(int Bits, int Epochs, DshProfile Profile, DshArchitecture Architecture, double LearningRate,
    bool PhotoFrozenGiven = false, LearningRateSchedule Schedule = LearningRateSchedule.Constant, int CacheVariants = 1, string? Dissimilar = null, int? TrainSeed = null, int? AveragedEpochs = null,
    double? SketchTrunkLearningRateFactor = null, double? WeightDecay = null, int? BatchSize = null)
{
    /// <summary>Parses and validates the settings.</summary>
    /// <exception cref="FormatException">A number does not parse.</exception>
    /// <exception cref="ArgumentException">An unknown profile, or an architecture the trainer rejects.</exception>
    public static QuickDrawDshSettings Parse(string[] positional, IReadOnlyDictionary<string, string> keys)
    {
        var inv = CultureInfo.InvariantCulture;
        int bits = positional.Length > 0 ? int.Parse(positional[0], inv) : DshProfile.DefaultCodeLength;
        int? epochs = positional.Length > 1 ? int.Parse(positional[1], inv) : null;
        DshProfile profile = positional.Length > 2 ? DshProfile.Parse(positional[2]) : DshProfile.Default;
        int? Count(string key) => keys.TryGetValue(key, out string? text) ? int.Parse(text, inv) : null;
        DshArchitecture architecture = profile.Architecture(bits, photoFrozenStages: Count("photoFrozen"), sketchFrozenStages: Count("sketchFrozen"));
        if (Count("tokenSize") is { } tokenSize)
        {
            architecture = architecture with { TokenInputSize = tokenSize };
        }
        if (Count("members") is { } members)
        {
            architecture = architecture with { Members = members };
        }
        if (Count("mirrorPhotos") is { } mirrorPhotos)
        {
            architecture = architecture with { MirrorPhotos = mirrorPhotos != 0 };
        }
        if (Count("mirrorSketches") is { } mirrorSketches)
        {
            architecture = architecture with { MirrorSketches = mirrorSketches != 0 };
        }
        // CIFAR's 32 px photos always trigger the small-photo rule, which lets a frozen ResNet-18 photo trunk's last stage
        // learn; the default rate is that architecture's (DshTrainerOptions.LearningRate follows it the same way).
        DshArchitecture trained = Count("photoFrozen") is null ? SmallPhotoRule.WithLastPhotoStageLearning(architecture) ?? architecture : architecture;
        double lr = keys.TryGetValue("lr", out string? lrText) ? double.Parse(lrText, inv) : DshProfile.DefaultLearningRate(trained);
        LearningRateSchedule schedule = keys.TryGetValue("schedule", out string? scheduleText)
            ? Enum.Parse<LearningRateSchedule>(scheduleText, ignoreCase: true)
            : LearningRateSchedule.Constant;
        return new QuickDrawDshSettings(bits, epochs ?? profile.Epochs, profile, architecture.Validated(), lr, Count("photoFrozen") is not null, schedule,
            Count("variants") ?? 1, keys.TryGetValue("dissimilar", out string? dissimilar) ? Checked(dissimilar) : null,
            Count("trainSeed"), Count("average"), keys.TryGetValue("sketchLr", out string? sketchLr) ? double.Parse(sketchLr, inv) : null,
            keys.TryGetValue("wd", out string? wd) ? double.Parse(wd, inv) : null, Count("batch"));

        static string Checked(string target)
        {
            DissimilarTarget.Parse(target); // a bad value fails here, before any data is read
            return target;
        }
    }

    /// <summary>The trainer options: the profile's defaults with these settings, on 2 threads.</summary>
    public DshTrainerOptions TrainerOptions() => Profile.TrainerOptions(Bits) with
    {
        Architecture = Architecture,
        Epochs = Epochs,
        LearningRate = LearningRate,
        LearningRateSchedule = Schedule,
        FrozenStageCacheVariants = CacheVariants,
        Seed = TrainSeed ?? Profile.TrainerOptions(Bits).Seed, // the split keeps its own seed
        AveragedEpochs = AveragedEpochs, // null: the architecture decides
        SketchTrunkLearningRateFactor = SketchTrunkLearningRateFactor ?? 1,
        WeightDecay = WeightDecay ?? new DshTrainerOptions().WeightDecay,
        BatchSize = BatchSize ?? Profile.TrainerOptions(Bits).BatchSize,
        Threads = 2,
        SmallPhotoSide = PhotoFrozenGiven ? 0 : new DshTrainerOptions().SmallPhotoSide, // photoFrozen= is what trains
        Objective = Dissimilar is null
            ? Profile.TrainerOptions(Bits).Objective
            : Profile.TrainerOptions(Bits).Objective with { DissimilarPairTarget = DissimilarTarget.Parse(Dissimilar) },
    };
}
