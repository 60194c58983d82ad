using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Model;

/// <summary>Bad batches fail before reaching native code, with a message that says what is wrong.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly DshNetwork _network = new(DshArchitecture.Compact(16));
    private readonly DisposeScope _scope = NewDisposeScope();

    private int S => _network.Architecture.SketchInputSize;
    private int P => _network.Architecture.PhotoInputSize;

    public void Dispose()
    {
        _scope.Dispose();
        _network.Dispose();
    }

    [Fact]
    public void WrongRank_Throws() =>
        Assert.Contains("4-d", Assert.Throws<ArgumentException>(() => _network.EncodeSketch(torch.zeros(3, S, S))).Message);

    [Fact]
    public void WrongChannels_Throws() =>
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => _network.EncodeSketch(torch.zeros(2, 1, S, S))).Message);

    [Fact]
    public void WrongSize_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => _network.EncodePhoto(torch.zeros(2, 3, P + 1, P + 1), torch.zeros(2, 3, S, S)));
        Assert.Contains($"{P}×{P}", e.Message);
        Assert.Equal("photos", e.ParamName);
    }

    [Fact]
    public void EmptyBatch_Throws()
    {
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => _network.EncodeSketch(torch.zeros(0, 3, S, S))).Message);
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => _network.ForwardSketch(torch.zeros(0, 3, S, S))).Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteValues_Throw(float bad)
    {
        Tensor tokens = torch.zeros(2, 3, S, S);
        tokens[1, 2, 3, 4] = torch.tensor(bad);
        var e = Assert.Throws<ArgumentException>(() => _network.ForwardPhoto(torch.zeros(2, 3, P, P), tokens));
        Assert.Contains("NaN", e.Message);
        Assert.Equal("sketchTokens", e.ParamName);
    }

    [Fact]
    public void MismatchedPhotoAndTokenCounts_Throw() =>
        Assert.Contains("sketch-token", Assert.Throws<ArgumentException>(() => _network.EncodePhoto(torch.zeros(3, 3, P, P), torch.zeros(2, 3, S, S))).Message);

    [Fact]
    public void WrongElementType_Throws() =>
        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => _network.EncodeSketch(torch.zeros(new long[] { 1, 3, S, S }, ScalarType.Float64))).Message);

    [Fact]
    public void Null_Throws() => Assert.Throws<ArgumentNullException>(() => _network.EncodeSketch(null!));

    [Fact]
    public void BadBatchSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _network.EncodeSketch(torch.zeros(1, 3, S, S), 0));

    [Fact]
    public void CodeLengthBelowEight_Throws() =>
        Assert.Throws<ArgumentException>(() => new DshNetwork(DshArchitecture.Compact(8) with { CodeLength = 4 }));

    [Fact]
    public void NaNOutputs_CannotBecomeCodes() =>
        Assert.Throws<ArgumentException>(() => DshNetwork.ToCodes(torch.tensor(new[] { 1f, float.NaN }).reshape(1, 2)));
}
