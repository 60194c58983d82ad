using Dsh.Tests.Support;
using Dsh.Training;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// The profiles (<see cref="DshProfile"/>): names, networks, trainer defaults, the learning-rate rule for long codes, and
/// that <see cref="DshTrainerOptions"/>' own defaults are the default profile's (those of <c>dsh train</c>).
/// </summary>
public class DshProfileTests
{
    [Fact]
    public void NamesMapToTheirNetworks()
    {
        Assert.Equal(new[] { "resnet18", "compact", "paper" }, DshProfile.Names);
        Assert.Equal(new[] { DshProfile.ResNet18, DshProfile.Compact, DshProfile.Paper }, DshProfile.All);
        Assert.Same(DshProfile.ResNet18, DshProfile.Default);
        Assert.Equal(DshArchitecture.ResNet18(32), DshProfile.ResNet18.Architecture(32));
        Assert.Equal(DshArchitecture.Compact(128), DshProfile.Compact.Architecture(128));
        Assert.Equal(DshArchitecture.Paper(64), DshProfile.Paper.Architecture(64));
        Assert.Equal("compact", DshProfile.Compact.ToString());
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("ResNet18")]
    [InlineData("COMPACT")]
    [InlineData("Paper")]
    public void ParseIgnoresCase(string name)
    {
        DshProfile profile = DshProfile.Parse(name);
        Assert.Equal(name.ToLowerInvariant(), profile.Name);
        Assert.True(DshProfile.TryParse(name, out DshProfile? again));
        Assert.Same(profile, again);
    }

    [Theory]
    [InlineData("alexnet")]
    [InlineData("")]
    [InlineData(" compact")]
    public void ParseOfAnUnknownNameNamesItAndListsTheNames(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => DshProfile.Parse(name));
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("resnet18, compact, paper", e.Message, StringComparison.Ordinal);
        Assert.Equal("name", e.ParamName);
        Assert.False(DshProfile.TryParse(name, out DshProfile? none));
        Assert.Null(none);
    }

    [Fact]
    public void ParseOfNullThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => DshProfile.Parse(null!));
        Assert.False(DshProfile.TryParse(null, out _));
    }

    [Theory]
    [InlineData(8, 1e-2)]
    [InlineData(32, 1e-2)]
    [InlineData(64, 1e-2)]
    [InlineData(65, 1e-2 * 32 / 65)]
    [InlineData(128, 2.5e-3)]
    [InlineData(256, 1.25e-3)]
    public void LearningRateShrinksAboveSixtyFourBits(int bits, double expected) =>
        Assert.Equal(expected, DshProfile.DefaultLearningRate(bits), 15);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-64)]
    public void LearningRateOfAnImpossibleCodeLengthIsRefused(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DshProfile.DefaultLearningRate(bits));

    [Theory]
    [InlineData(4, 32, 2.5e-3)]   // photo trunk frozen: 2.5e-3 up to 128 bits
    [InlineData(4, 64, 2.5e-3)]
    [InlineData(4, 128, 2.5e-3)]
    [InlineData(4, 256, 1.25e-3)] // and 32 / K above
    [InlineData(3, 64, 1e-2)]
    [InlineData(3, 128, 5e-3)]    // its last stage learning: 64 / K
    [InlineData(2, 256, 2.5e-3)]
    public void LearningRateOfAnArchitectureShrinksLessWhenThePhotoTrunkLearns(int photoFrozen, int bits, double expected)
    {
        DshArchitecture architecture = DshProfile.ResNet18.Architecture(bits, photoFrozenStages: photoFrozen, sketchFrozenStages: null);
        Assert.Equal(expected, DshProfile.DefaultLearningRate(architecture), 15);
        Assert.Equal(expected, new DshTrainerOptions { Architecture = architecture }.LearningRate, 15);
    }

    [Fact]
    public void LearningRateOfAnArchitectureWithoutResNetTrunksIsTheCodeLengths()
    {
        Assert.Equal(1e-2, DshProfile.DefaultLearningRate(DshProfile.Compact.Architecture(64)), 15);
        Assert.Equal(1e-2, DshProfile.DefaultLearningRate(DshProfile.Paper.Architecture(32)), 15);
        Assert.Equal(DshProfile.DefaultLearningRate(128), DshProfile.DefaultLearningRate(DshProfile.Compact.Architecture(128)), 15);
        Assert.Throws<ArgumentNullException>(() => DshProfile.DefaultLearningRate((DshArchitecture)null!));
    }

    [Fact]
    public void OptionDefaultsAreTheDefaultProfilesAtSixtyFourBits_AsInTheCli()
    {
        var defaults = new DshTrainerOptions();
        DshTrainerOptions profile = DshProfile.ResNet18.TrainerOptions(64);

        Assert.Equal(DshArchitecture.ResNet18(64), defaults.Architecture);
        Assert.Equal(6, defaults.Epochs);
        Assert.Equal(1, defaults.Seed);
        Assert.Equal(2.5e-3, defaults.LearningRate, 15);
        Assert.Equal(profile.Architecture, defaults.Architecture);
        Assert.Equal(profile.Epochs, defaults.Epochs);
        Assert.Equal(profile.Seed, defaults.Seed);
        Assert.Equal(profile.LearningRate, defaults.LearningRate);
        Assert.Equal(profile.BatchSize, defaults.BatchSize);
        Assert.Equal(DshProfile.Default.TrainerOptions(), profile); // default code length 64, and nothing else set
        Assert.Equal(profile, defaults);                              // both leave the learning rate to the rule
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("compact")]
    [InlineData("paper")]
    public void TrainerOptionsCarryTheProfilesNetworkEpochsSeedAndRate(string name)
    {
        DshProfile profile = DshProfile.Parse(name);
        foreach (int bits in new[] { 32, 64, 128, 256 })
        {
            DshTrainerOptions options = profile.TrainerOptions(bits);
            Assert.Equal(profile.Architecture(bits), options.Architecture);
            Assert.Equal(profile.Epochs, options.Epochs);
            Assert.Equal(profile.Seed, options.Seed);
            Assert.Equal(DshProfile.DefaultLearningRate(profile.Architecture(bits)), options.LearningRate);
        }
        Assert.Throws<ArgumentException>(() => profile.TrainerOptions(4));
    }

    [Fact]
    public void AnUnsetLearningRateFollowsTheArchitecture_ASetOneIsKept()
    {
        var followsRule = new DshTrainerOptions { Architecture = DshArchitecture.Compact(128) };
        Assert.Equal(2.5e-3, followsRule.LearningRate, 15);
        Assert.Equal(1.25e-3, (followsRule with { Architecture = DshArchitecture.Compact(256) }).LearningRate, 15);
        Assert.Equal(1e-2, (followsRule with { Architecture = DshArchitecture.Compact(32) }).LearningRate);
        Assert.Equal(2.5e-3, DshProfile.Compact.TrainerOptions(128).Validated().LearningRate, 15);

        var set = new DshTrainerOptions { LearningRate = 0.05, Architecture = DshArchitecture.Compact(128) };
        Assert.Equal(0.05, set.LearningRate);
        Assert.Equal(0.05, (set with { Architecture = DshArchitecture.Compact(256) }).LearningRate);
        Assert.Equal(0.05, (DshProfile.Compact.TrainerOptions(128) with { LearningRate = 0.05 }).LearningRate);
        Assert.Equal(1e-2, (followsRule with { LearningRate = 1e-2 }).LearningRate); // explicitly the 64-bit rate at 128 bits
    }

    [Fact]
    public void ResumingComparesTheEffectiveLearningRate()
    {
        using var classVectors = eye(3, dtype: ScalarType.Float64);
        TrainingRunSettings Settings(DshTrainerOptions o) => TrainingRunSettings.From(o, classVectors, "contour");

        var followsRule = DshProfile.Compact.TrainerOptions(128);
        Assert.Empty(Settings(followsRule).Differences(Settings(followsRule with { LearningRate = 2.5e-3 })));
        Assert.Equal(new[] { "LearningRate" }, Settings(followsRule).Differences(Settings(followsRule with { LearningRate = 1e-2 })));
    }

    [Fact]
    public void ResumingComparesTheDissimilarPairTarget_AndOldCheckpointsOfThePapersTargetStillMatch()
    {
        using var classVectors = eye(3, dtype: ScalarType.Float64);
        TrainingRunSettings Settings(DshTrainerOptions o) => TrainingRunSettings.From(o, classVectors, "contour");
        var paper = DshProfile.Compact.TrainerOptions(64);
        paper = paper with { Objective = paper.Objective with { Gamma = 1e-5, BalancePhotoClasses = false } }; // the γ and the unweighted pairs of those versions
        var simplex = paper with { Objective = paper.Objective with { DissimilarPairTarget = null } };
        var zero = paper with { Objective = paper.Objective with { DissimilarPairTarget = 0 } };

        Assert.Equal(new[] { "Objective" }, Settings(paper).Differences(Settings(simplex)));
        Assert.Equal(new[] { "Objective" }, Settings(simplex).Differences(Settings(zero)));
        Assert.Empty(Settings(simplex).Differences(Settings(paper with { Objective = paper.Objective with { DissimilarPairTarget = null } })));
        // The text checkpoints stored before the target existed (the record's own ToString of that version).
        string before = $"DshObjectiveOptions {{ Lambda = {0.01}, Gamma = {1e-5}, DRegularization = {0.01}, MaxCodeSweeps = {3} }}";
        Assert.Equal(before, Settings(paper).Objective);
        // Balanced photo classes (the default) never resume from those: they trained another objective.
        var balanced = paper with { Objective = paper.Objective with { BalancePhotoClasses = true } };
        Assert.Equal(new[] { "Objective" }, Settings(paper).Differences(Settings(balanced)));
        Assert.True(DshProfile.Compact.TrainerOptions(64).Objective.BalancePhotoClasses);
    }

    [Fact]
    public void FrozenStageCountsReplaceTheResNet18ProfilesOwn()
    {
        DshArchitecture profile = DshProfile.ResNet18.Architecture(64);
        Assert.Equal((3, 4), profile.Frozen());
        DshArchitecture changed = DshProfile.ResNet18.Architecture(64, photoFrozenStages: 3, sketchFrozenStages: null);
        Assert.Equal((3, 3), changed.Frozen());
        Assert.Equal(profile.WithFrozen(3, 3), changed);
        Assert.Equal(profile, DshProfile.ResNet18.Architecture(64, null, null));
        DshArchitecture sketchOnly = DshProfile.ResNet18.Architecture(64, null, 1);
        Assert.Equal((1, 4), sketchOnly.Frozen());
        Assert.True(DshProfile.ResNet18.HasFrozenStages);
    }

    [Theory]
    [InlineData("compact")]
    [InlineData("paper")]
    public void OtherProfilesRefuseFrozenStageCounts(string name)
    {
        DshProfile profile = DshProfile.Parse(name);
        Assert.False(profile.HasFrozenStages);
        Assert.Equal(profile.Architecture(32), profile.Architecture(32, null, null));
        var e = Assert.Throws<ArgumentException>(() => profile.Architecture(32, 3, null));
        Assert.Contains("resnet18 profile only", e.Message, StringComparison.Ordinal);
        Assert.Equal("sketchFrozenStages", Assert.Throws<ArgumentException>(() => profile.Architecture(32, null, 2)).ParamName);
    }

    [Fact]
    public void OutOfRangeFrozenStageCountsAreRefused() =>
        Assert.Throws<ArgumentException>(() => DshProfile.ResNet18.Architecture(64, photoFrozenStages: 5, sketchFrozenStages: null));
}
