using System.Text.Json;
using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>
/// <c>dsh train --balance-photo-classes [true|false]</c> (default true): the choice reaches the objective (printed at the start and in
/// <c>--json</c>); what it does to the code updates is tested in the library (<c>BalancedPhotoClassesTests</c>).
/// </summary>
public sealed class BalancePhotoClassesOptionTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void The_choice_is_printed_and_reported(string value, bool balanced)
    {
        CliResult train = Train(_temp.Combine($"{value}.dshm"), "--balance-photo-classes", value);
        Assert.Contains(balanced ? "; photo classes balanced" : "; photo classes not balanced", train.Err, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(train.Out);
        Assert.Equal(balanced, json.RootElement.GetProperty("balancePhotoClasses").GetBoolean());
    }

    [Fact]
    public void Balanced_is_the_default()
    {
        CliResult train = Train(_temp.Combine("default.dshm"));
        Assert.Contains("; photo classes balanced", train.Err, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(train.Out);
        Assert.True(json.RootElement.GetProperty("balancePhotoClasses").GetBoolean());
    }

    [Fact]
    public void A_value_other_than_true_or_false_is_a_usage_error() =>
        DshRun.Run("train", "--sketches", Path.Combine(model.Data, "train", "sketch"), "--photos", Path.Combine(model.Data, "train", "photo"),
            "--out", _temp.Combine("m.dshm"), "--balance-photo-classes", "maybe").AssertOneError(ExitCodes.Usage, "maybe");

    private CliResult Train(string path, params string[] extra) =>
        DshRun.Run(["train", "--sketches", Path.Combine(model.Data, "train", "sketch"), "--photos", Path.Combine(model.Data, "train", "photo"),
            "--bits", "16", "--profile", "compact", "--epochs", "1", "--class-vectors", "onehot", "--out", path, "--json", .. extra]).AssertSuccess();
}
