using Dsh.Data;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Training;

namespace Dsh.Tests.Training;

/// <summary>
/// <see cref="DshTrainerOptions.SmallPhotoSide"/>: the photo trunk's last stage learns when the training photos are small
/// (median shorter side under the threshold) and the trunk is fully frozen, and only then.
/// </summary>
public sealed class SmallPhotoRuleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SbirItem Photo(int width, int height) =>
        SbirItem.FromImage(new RgbImage(width, height, new byte[width * height * 3]), label: 0, SbirSplit.Gallery);

    private static SbirDataset Dataset(params SbirItem[] photos) =>
        SbirDataset.FromItems(["cat"], [SbirItem.FromImage(new RgbImage(8, 8, new byte[8 * 8 * 3]), 0)], photos);

    private static DshTrainerOptions Defaults => new() { Architecture = DshArchitecture.ResNet18(64) };

    [Fact]
    public void The_median_is_of_the_shorter_sides_and_leaves_unreadable_files_out()
    {
        string png = _folder.File("wide.png");
        new RgbImage(300, 40, new byte[300 * 40 * 3]).SavePng(png);
        string broken = _folder.File("broken.png");
        File.WriteAllText(broken, "not an image");
        SbirItem[] photos =
        [
            Photo(32, 32), Photo(500, 20), SbirItem.FromFile(png, 0, SbirSplit.Gallery), SbirItem.FromFile(broken, 0, SbirSplit.Gallery),
            SbirItem.FromFile(_folder.File("missing.png"), 0, SbirSplit.Gallery), Photo(90, 200),
        ];
        // shorter sides of the readable ones: 32, 20, 40, 90 → sorted 20, 32, 40, 90; the upper median is 40
        Assert.Equal(40, SmallPhotoRule.MedianShorterSide(photos, ImageDecodingOptions.Default));
        Assert.Equal(0, SmallPhotoRule.MedianShorterSide([SbirItem.FromFile(broken, 0, SbirSplit.Gallery)], ImageDecodingOptions.Default));
    }

    [Fact]
    public void Small_photos_let_the_last_photo_stage_learn_are_encoded_once_and_nothing_else_changes()
    {
        DshTrainerOptions options = Defaults;
        DshTrainerOptions adapted = SmallPhotoRule.Apply(options, Dataset(Photo(32, 32), Photo(32, 32), Photo(300, 300)), out int median);
        Assert.Equal(32, median);
        Assert.Equal(3, ((ResNet18TrunkSpec)adapted.Architecture.PhotoTrunk).FrozenStages);
        Assert.True(options.Architecture.MirrorPhotos); // the profile mirrors photos; the rule encodes small ones once
        Assert.Equal(options.Architecture with { PhotoTrunk = adapted.Architecture.PhotoTrunk, MirrorPhotos = false }, adapted.Architecture);
        Assert.Equal(options with { Architecture = adapted.Architecture }, adapted);
        // with the photo trunk learning, the last two epochs' weights are averaged unless the count was set
        Assert.Equal(0, options.EffectiveAveragedEpochs);
        Assert.Equal(2, adapted.EffectiveAveragedEpochs);
        Assert.Equal(1, (adapted with { AveragedEpochs = 1 }).EffectiveAveragedEpochs);
        Assert.Equal(0, (adapted with { AveragedEpochs = 0 }).EffectiveAveragedEpochs);
        Assert.Equal(3, (adapted with { AveragedEpochs = 3 }).EffectiveAveragedEpochs);
    }

    [Fact]
    public void Above_sixty_four_bits_the_learning_rate_follows_the_learning_photo_trunk_unless_it_was_set()
    {
        DshTrainerOptions options = new() { Architecture = DshArchitecture.ResNet18(128) };
        SbirDataset small = Dataset(Photo(32, 32));
        Assert.Equal(2.5e-3, options.LearningRate, 15);
        Assert.Equal(5e-3, SmallPhotoRule.Apply(options, small, out _).LearningRate, 15);
        Assert.Equal(1e-3, SmallPhotoRule.Apply(options with { LearningRate = 1e-3 }, small, out _).LearningRate, 15);
        Assert.Equal(1e-2, SmallPhotoRule.Apply(Defaults, small, out _).LearningRate, 15); // 64 bits: 1e-2 instead of 2.5e-3
    }

    [Theory]
    [InlineData(96, 96, 4, 96)]   // at the threshold: large enough
    [InlineData(32, 32, 4, 0)]    // the rule is off
    [InlineData(32, 32, 2, 96)]   // the photo trunk already learns more
    [InlineData(32, 32, 3, 96)]
    public void Otherwise_the_options_are_kept(int width, int height, int photoFrozen, int threshold)
    {
        DshTrainerOptions options = Defaults with
        {
            Architecture = DshProfile.ResNet18.Architecture(64, photoFrozenStages: photoFrozen, sketchFrozenStages: null),
            SmallPhotoSide = threshold,
        };
        Assert.Same(options, SmallPhotoRule.Apply(options, Dataset(Photo(width, height)), out _));
    }

    [Fact]
    public void Profiles_without_ImageNet_trunks_are_kept()
    {
        DshTrainerOptions options = new() { Architecture = DshArchitecture.Compact(64) };
        Assert.Same(options, SmallPhotoRule.Apply(options, Dataset(Photo(32, 32)), out int median));
        Assert.Equal(0, median);
    }
}
