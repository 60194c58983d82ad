using System.Text.Json;
using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>
/// <c>dsh train --members N</c>: the model is made of N members of bits/N bits (printed, in the JSON, in the file) and
/// every command reads it; counts that do not divide the bits into parts of 8 or more are usage errors.
/// </summary>
public sealed class MembersOptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_model_of_two_members_trains_saves_and_evaluates()
    {
        string data = Repo.SmallSubset(_temp);
        string model = _temp.Combine("pair.dshm");
        CliResult train = DshRun.Run("train", "--sketches", Path.Combine(data, "train", "sketch"), "--photos", Path.Combine(data, "train", "photo"),
            "--bits", "16", "--members", "2", "--out", model, "--profile", "compact", "--epochs", "1", "--class-vectors", "onehot", "--json").AssertSuccess();
        Assert.Contains("16 bits (2 members of 8 bits)", train.Err, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(train.Out))
        {
            Assert.Equal(2, json.RootElement.GetProperty("members").GetInt32());
            Assert.Equal(16, json.RootElement.GetProperty("bits").GetInt32());
        }
        using (DshModel loaded = DshModel.Load(model))
        {
            Assert.Equal(2, loaded.Architecture.Members);
            Assert.Equal(16, loaded.CodeLength);
        }
        CliResult eval = DshRun.Run("eval", "--model", model, "--sketches", Path.Combine(data, "test", "sketch"), "--photos", Path.Combine(data, "test", "photo"),
            "--json", "--no-report").AssertSuccess();
        using JsonDocument report = JsonDocument.Parse(eval.Out);
        Assert.Equal(9, report.RootElement.GetProperty("queries").GetInt32());
    }

    [Theory]
    [InlineData("64", "3")]
    [InlineData("16", "4")]
    public void Members_that_do_not_divide_the_bits_into_parts_of_8_are_usage_errors(string bits, string members) =>
        DshRun.Run("train", "--sketches", _temp.Folder("s", "cat"), "--photos", _temp.Folder("p", "cat"), "--out", _temp.Combine("m.dshm"),
            "--profile", "compact", "--bits", bits, "--members", members).AssertOneError(ExitCodes.Usage, $"--members {members} must divide --bits {bits}");

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("two")]
    public void Member_counts_out_of_range_are_usage_errors(string members) =>
        DshRun.Run("train", "--sketches", _temp.Folder("s", "cat"), "--photos", _temp.Folder("p", "cat"), "--out", _temp.Combine("m.dshm"),
            "--profile", "compact", "--members", members).AssertOneError(ExitCodes.Usage, "--members");
}
