using Dsh.Pretrained;
using Dsh.Quality.QuickDraw;
using Dsh.Training;

namespace Dsh.Quality.Tests;

/// <summary>The settings of <c>quickdraw-cifar dsh</c> come from the library's profiles (<see cref="DshProfile"/>).</summary>
public class QuickDrawDshSettingsTests
{
    private static readonly Dictionary<string, string> NoKeys = new(StringComparer.Ordinal);

    [Fact]
    public void DefaultsAreTheResNet18ProfilesAtSixtyFourBits()
    {
        QuickDrawDshSettings settings = QuickDrawDshSettings.Parse([], NoKeys);
        Assert.Equal((64, 6, 1e-2), (settings.Bits, settings.Epochs, settings.LearningRate));
        Assert.Same(DshProfile.ResNet18, settings.Profile);
        Assert.Equal(DshArchitecture.ResNet18(64), settings.Architecture);
        DshTrainerOptions options = settings.TrainerOptions();
        Assert.Equal((1, 2, 6), (options.Seed, options.Threads, options.Epochs));
    }

    [Fact]
    public void LongCodesTakeTheProfilesLearningRate_UnlessOneIsGiven()
    {
        Assert.Equal(2.5e-3, QuickDrawDshSettings.Parse(["128", "6", "Compact"], NoKeys).LearningRate, 15);
        // the small-photo rule lets the ResNet-18 photo trunk's last stage learn: the rate of that architecture
        Assert.Equal(5e-3, QuickDrawDshSettings.Parse(["128"], NoKeys).LearningRate, 15);
        Assert.Equal(2.5e-3, QuickDrawDshSettings.Parse(["128"], new Dictionary<string, string> { ["photoFrozen"] = "4" }).LearningRate, 15);
        Assert.Equal(0.02, QuickDrawDshSettings.Parse(["128"], new Dictionary<string, string> { ["lr"] = "0.02" }).LearningRate);
    }

    [Fact]
    public void MirroringKeysSetTheArchitecturesChoices()
    {
        var keys = new Dictionary<string, string> { ["mirrorPhotos"] = "0", ["mirrorSketches"] = "0" };
        DshArchitecture architecture = QuickDrawDshSettings.Parse([], keys).Architecture;
        Assert.Equal(DshArchitecture.ResNet18(64) with { MirrorPhotos = false, MirrorSketches = false }, architecture);
        Assert.True(QuickDrawDshSettings.Parse([], NoKeys).Architecture.MirrorSketches);
    }

    [Fact]
    public void FrozenStagesGoThroughTheProfile()
    {
        var keys = new Dictionary<string, string> { ["photoFrozen"] = "3" };
        Assert.Equal(DshArchitecture.ResNet18(32) with { PhotoTrunk = new ResNet18TrunkSpec { FrozenStages = 3 } }, QuickDrawDshSettings.Parse(["32", "6", "resnet18"], keys).Architecture);
        Assert.Throws<ArgumentException>(() => QuickDrawDshSettings.Parse(["32", "6", "compact"], keys));
    }

    [Fact]
    public void TrainSeedChangesTheTrainersSeedOnly()
    {
        QuickDrawDshSettings settings = QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["trainSeed"] = "2" });
        Assert.Equal(2, settings.TrainSeed);
        Assert.Equal(2, settings.TrainerOptions().Seed);
        Assert.Equal(QuickDrawDshSettings.Parse([], NoKeys).Architecture, settings.Architecture);
        Assert.Throws<FormatException>(() => QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["trainSeed"] = "two" }));
    }

    [Fact]
    public void AverageSetsTheAveragedEpochsOnly()
    {
        QuickDrawDshSettings settings = QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["average"] = "2" });
        Assert.Equal(2, settings.TrainerOptions().AveragedEpochs);
        Assert.Null(QuickDrawDshSettings.Parse([], NoKeys).TrainerOptions().AveragedEpochs); // the architecture decides
        Assert.Equal(QuickDrawDshSettings.Parse([], NoKeys).TrainerOptions() with { AveragedEpochs = 2 }, settings.TrainerOptions());
    }

    [Fact]
    public void WdSetsTheWeightDecayOnly()
    {
        QuickDrawDshSettings settings = QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["wd"] = "5e-3" });
        Assert.Equal(5e-3, settings.TrainerOptions().WeightDecay);
        Assert.Equal(new DshTrainerOptions().WeightDecay, QuickDrawDshSettings.Parse([], NoKeys).TrainerOptions().WeightDecay);
        Assert.Equal(QuickDrawDshSettings.Parse([], NoKeys).TrainerOptions() with { WeightDecay = 5e-3 }, settings.TrainerOptions());
        Assert.Throws<FormatException>(() => QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["wd"] = "much" }));
    }

    [Fact]
    public void BatchSetsTheBatchSizeOnly()
    {
        QuickDrawDshSettings settings = QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["batch"] = "64" });
        Assert.Equal(64, settings.TrainerOptions().BatchSize);
        Assert.Equal(new DshTrainerOptions().BatchSize, QuickDrawDshSettings.Parse([], NoKeys).TrainerOptions().BatchSize);
        Assert.Equal(QuickDrawDshSettings.Parse([], NoKeys).TrainerOptions() with { BatchSize = 64 }, settings.TrainerOptions());
        Assert.Throws<FormatException>(() => QuickDrawDshSettings.Parse([], new Dictionary<string, string> { ["batch"] = "many" }));
    }
}
