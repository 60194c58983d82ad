using Dsh.Cli.Running;
using Dsh.Pretrained;
using Dsh.Training;

namespace Dsh.Cli.Tests;

/// <summary>
/// Trainer options of the training commands: the library's profile (<see cref="DshProfile"/>, tested in Dsh.Tests) with
/// the command's values; --photo-frozen-stages / --sketch-frozen-stages only for resnet18; trainer options the library
/// rejects become usage errors.
/// </summary>
public class TrainingSetupTests
{
    [Fact]
    public void OptionsAreTheProfilesWithTheCommandsValues()
    {
        DshTrainerOptions options = TrainingSetup.Options(DshProfile.Compact, 128, o => o with { Epochs = 2, Threads = 1 });
        Assert.Equal(DshArchitecture.Compact(128), options.Architecture);
        Assert.Equal((2, 1, 1), (options.Epochs, options.Seed, options.Threads));
        Assert.Equal(2.5e-3, options.LearningRate, 15); // the long-code rule, as before with no --lr
        Assert.Equal(0.5, TrainingSetup.Options(DshProfile.Compact, 128, o => o with { LearningRate = 0.5 }).LearningRate);
    }

    [Fact]
    public void FrozenStageCountsReplaceTheResNet18ProfilesOwn()
    {
        DshArchitecture architecture = TrainingSetup.Options(DshProfile.ResNet18, 64, o => o, photoFrozenStages: 3).Architecture;
        Assert.Equal(DshArchitecture.ResNet18(64) with { PhotoTrunk = new ResNet18TrunkSpec { FrozenStages = 3 } }, architecture);
        Assert.Equal(DshArchitecture.ResNet18(64), TrainingSetup.Options(DshProfile.ResNet18, 64, o => o).Architecture);
    }

    [Fact]
    public void A_photo_stage_count_given_turns_the_small_photo_rule_off_and_none_given_keeps_it()
    {
        Assert.Equal(new DshTrainerOptions().SmallPhotoSide, TrainingSetup.Options(DshProfile.ResNet18, 64, o => o).SmallPhotoSide);
        Assert.Equal(0, TrainingSetup.Options(DshProfile.ResNet18, 64, o => o, photoFrozenStages: 4).SmallPhotoSide);
        Assert.Equal(new DshTrainerOptions().SmallPhotoSide, TrainingSetup.Options(DshProfile.ResNet18, 64, o => o, sketchFrozenStages: 2).SmallPhotoSide);
    }

    [Fact]
    public void OtherProfilesRefuseFrozenStageCounts()
    {
        var e = Assert.Throws<UsageException>(() => TrainingSetup.Options(DshProfile.Compact, 32, o => o, photoFrozenStages: 3));
        Assert.Equal("--photo-frozen-stages and --sketch-frozen-stages apply to --profile resnet18 only, not compact", e.Message);
        Assert.Throws<UsageException>(() => TrainingSetup.Options(DshProfile.Paper, 32, o => o, sketchFrozenStages: 1));
    }

    [Fact]
    public void BitsTheLibraryRejectsAreAUsageErrorNamingBits() =>
        Assert.StartsWith("--bits 4: ", Assert.Throws<UsageException>(() => TrainingSetup.Options(DshProfile.Compact, 4, o => o)).Message, StringComparison.Ordinal);

    [Fact]
    public void ProfileNamesAreTheLibrarys()
    {
        Assert.Same(DshProfile.Paper, TrainingSetup.Profile("paper"));
        Assert.Equal("unknown profile 'vgg' (use resnet18, compact, paper)", Assert.Throws<UsageException>(() => TrainingSetup.Profile("vgg")).Message);
    }

    [Fact]
    public void ValidatedOptionsReturnsTheBuiltOptionsValidated()
    {
        DshTrainerOptions options = TrainingSetup.ValidatedOptions(() => new DshTrainerOptions
        {
            Architecture = DshProfile.Compact.Architecture(32),
            Epochs = 3,
        });
        Assert.Equal(3, options.Epochs);
        Assert.Equal(32, options.Architecture.CodeLength);
    }

    [Fact]
    public void ValidatedOptionsTurnsRejectedValuesIntoUsageErrors()
    {
        var e = Assert.Throws<UsageException>(() => TrainingSetup.ValidatedOptions(() => new DshTrainerOptions
        {
            Architecture = DshProfile.Compact.Architecture(32),
            Epochs = 0,
        }));
        Assert.Contains("Epochs", e.Message, StringComparison.Ordinal);
        Assert.Contains("must be at least 1, not 0", e.Message, StringComparison.Ordinal);
        Assert.Equal("bad", Assert.Throws<UsageException>(() => TrainingSetup.ValidatedOptions(() => throw new ArgumentOutOfRangeException(null, "bad"))).Message);
    }
}
