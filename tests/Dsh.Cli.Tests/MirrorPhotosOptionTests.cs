using System.Text.Json;
using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>
/// <c>dsh train --mirror-photos [true|false]</c>: the resnet18 profile mirrors photos unless told not to (its default is
/// the profile's architecture, tested in <see cref="TrainingSetupTests"/>); the choice reaches the saved model.
/// </summary>
public sealed class MirrorPhotosOptionTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void False_turns_the_resnet18_profiles_photo_mirroring_off()
    {
        string path = _temp.Combine("once.dshm");
        CliResult train = DshRun.Run("train", "--sketches", Path.Combine(model.Data, "train", "sketch"), "--photos", Path.Combine(model.Data, "train", "photo"),
            "--bits", "16", "--profile", "resnet18", "--epochs", "1", "--mirror-photos", "false", "--out", path, "--json").AssertSuccess();
        Assert.DoesNotContain("photos encoded mirrored too", train.Err, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(train.Out))
        {
            Assert.False(json.RootElement.GetProperty("mirrorPhotos").GetBoolean());
        }
        using DshModel saved = DshModel.Load(path);
        Assert.False(saved.MirrorsPhotos);
        Assert.Equal(DshArchitecture.ResNet18(16) with { MirrorPhotos = false }, saved.Architecture);
    }

    [Fact]
    public void A_value_other_than_true_or_false_is_a_usage_error() =>
        DshRun.Run("train", "--sketches", Path.Combine(model.Data, "train", "sketch"), "--photos", Path.Combine(model.Data, "train", "photo"),
            "--out", _temp.Combine("m.dshm"), "--mirror-photos", "maybe").AssertOneError(ExitCodes.Usage, "maybe");
}
