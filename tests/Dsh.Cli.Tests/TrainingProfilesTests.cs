using Dsh.Cli.Running;

namespace Dsh.Cli.Tests;

/// <summary>
/// --photo-frozen-stages / --sketch-frozen-stages change only the resnet18 profile's frozen stages; trainer options the
/// library rejects become usage errors.
/// </summary>
public class TrainingProfilesTests
{
    [Fact]
    public void FrozenStageCountsReplaceTheProfilesOwn()
    {
        DshArchitecture profile = TrainingProfiles.Architecture("resnet18", 64);
        Assert.Equal((4, 3), Frozen(profile));
        DshArchitecture changed = TrainingProfiles.WithFrozenStages(profile, "resnet18", photo: 3, sketch: null);
        Assert.Equal((3, 3), Frozen(changed));
        Assert.Equal(profile with { PhotoTrunk = new ResNet18TrunkSpec { FrozenStages = 3 } }, changed);
        Assert.Equal(profile, TrainingProfiles.WithFrozenStages(profile, "resnet18", null, null));
        Assert.Equal((4, 1), Frozen(TrainingProfiles.WithFrozenStages(profile, "resnet18", null, 1)));
    }

    [Fact]
    public void OtherProfilesRefuseFrozenStageCounts() =>
        Assert.Throws<UsageException>(() => TrainingProfiles.WithFrozenStages(TrainingProfiles.Architecture("compact", 32), "compact", 3, null));

    [Fact]
    public void ValidatedOptionsReturnsTheBuiltOptionsValidated()
    {
        DshTrainerOptions options = TrainingProfiles.ValidatedOptions(() => new DshTrainerOptions
        {
            Architecture = TrainingProfiles.Architecture("compact", 32),
            Epochs = 3,
        });
        Assert.Equal(3, options.Epochs);
        Assert.Equal(32, options.Architecture.CodeLength);
    }

    [Fact]
    public void ValidatedOptionsTurnsRejectedValuesIntoUsageErrors()
    {
        var e = Assert.Throws<UsageException>(() => TrainingProfiles.ValidatedOptions(() => new DshTrainerOptions
        {
            Architecture = TrainingProfiles.Architecture("compact", 32),
            Epochs = 0,
        }));
        Assert.Contains("Epochs", e.Message, StringComparison.Ordinal);
        Assert.Contains("must be at least 1, not 0", e.Message, StringComparison.Ordinal);
        Assert.Equal("bad", Assert.Throws<UsageException>(() => TrainingProfiles.ValidatedOptions(() => throw new ArgumentOutOfRangeException(null, "bad"))).Message);
    }

    private static (int Photo, int Sketch) Frozen(DshArchitecture a) =>
        (((ResNet18TrunkSpec)a.PhotoTrunk).FrozenStages, ((ResNet18TrunkSpec)a.SketchTrunk).FrozenStages);
}
