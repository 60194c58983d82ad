using Dsh.Data;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Training;

namespace Dsh.Tests.Training;

/// <summary>
/// <see cref="FewStepsRule"/>: a run of the ResNet18 profile planned for fewer than <see cref="FewStepsRule.ShortRunSteps"/>
/// steps, at the default rate, trains at the code length's rate; any other run keeps its options.
/// </summary>
public sealed class FewStepsRuleTests
{
    /// <summary>One category, <paramref name="sketches"/> training sketches and <paramref name="photos"/> photos (not read: only counted).</summary>
    private static SbirDataset Dataset(int sketches, int photos)
    {
        SbirItem Item(SbirSplit split) => SbirItem.FromImage(new RgbImage(8, 8, new byte[8 * 8 * 3]), 0, split);
        return SbirDataset.FromItems(["cat"], [.. Enumerable.Range(0, sketches).Select(_ => Item(SbirSplit.Train))],
            [.. Enumerable.Range(0, photos).Select(_ => Item(SbirSplit.Gallery))]);
    }

    private static DshTrainerOptions Options(int bits = 64) => new() { Architecture = DshArchitecture.ResNet18(bits), MinimumSteps = 0 };

    [Fact]
    public void A_short_run_at_the_default_rate_takes_the_code_lengths_rate()
    {
        // 100 sketches, 40 photos, batch 32: 4 steps an epoch × 6 epochs = 24 planned steps, under 80
        DshTrainerOptions options = Options();
        Assert.Equal(2.5e-3, options.LearningRate, 15);
        DshTrainerOptions adapted = FewStepsRule.Apply(options, Dataset(100, 40), out long planned);
        Assert.Equal(24, planned);
        Assert.Equal(1e-2, adapted.LearningRate, 15);
        Assert.Equal(options with { LearningRate = 1e-2 }, adapted); // nothing else changes
        Assert.Equal(1e-2, FewStepsRule.Apply(Options(bits: 32), Dataset(100, 40), out _).LearningRate, 15);
    }

    [Fact]
    public void Runs_of_the_profiles_minimum_a_set_rate_long_codes_and_other_networks_keep_their_options()
    {
        SbirDataset data = Dataset(100, 40);
        DshTrainerOptions Same(DshTrainerOptions options) => FewStepsRule.Apply(options, data, out _);

        DshTrainerOptions minimum = Options() with { MinimumSteps = null }; // the profile's 250 steps: 63 epochs of 4
        Assert.Same(minimum, Same(minimum));
        DshTrainerOptions set = Options() with { LearningRate = 2.5e-3 };
        Assert.Same(set, Same(set));
        DshTrainerOptions longCodes = Options(bits: 128); // 1e-2 · 32 / 128 is the profile's rate already
        Assert.Same(longCodes, Same(longCodes));
        DshTrainerOptions compact = new() { Architecture = DshArchitecture.Compact(64), MinimumSteps = 0 };
        Assert.Same(compact, Same(compact));
        var learning = (ResNet18TrunkSpec)DshArchitecture.ResNet18(64).PhotoTrunk with { FrozenStages = 3 };
        DshTrainerOptions photoLearns = Options() with { Architecture = DshArchitecture.ResNet18(64) with { PhotoTrunk = learning } };
        Assert.Same(photoLearns, Same(photoLearns));
        // 8 steps an epoch (250 sketches): 10 epochs plan 80 steps, the first run the rule leaves alone; 9 plan 72
        DshTrainerOptions longRun = Options() with { Epochs = 10 };
        Assert.Same(longRun, FewStepsRule.Apply(longRun, Dataset(250, 40), out long planned));
        Assert.Equal(FewStepsRule.ShortRunSteps, planned);
        Assert.Equal(1e-2, FewStepsRule.Apply(longRun with { Epochs = 9 }, Dataset(250, 40), out planned).LearningRate, 15);
        Assert.Equal(72, planned);
    }
}
