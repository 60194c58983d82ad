namespace Dsh.Tests.Model;

public class DshArchitectureTests
{
    [Fact]
    public void Paper_HasTheDeployFileShapes()
    {
        var a = DshArchitecture.Paper(128);
        Assert.Equal((128, 200, 227), (a.CodeLength, a.SketchInputSize, a.PhotoInputSize));
        Assert.Equal(new[] { 200, 63, 31, 15, 7 }, a.SketchTrunkSizes());
        Assert.Equal(new[] { 227, 55, 27, 13, 7 }, a.PhotoTrunkSizes());
        Assert.Equal(12_544, a.SketchFeatureLength);
        Assert.Equal(25_088, a.FusionInputLength);
        Assert.Equal(TokenBatchNorm.PerBranch, a.TokenBatchNorm);
        Assert.Equal(DshInitialization.PaperFillers, a.Initialization);
    }

    [Fact]
    public void Compact_IsTheSameDefinitionWithSmallerNumbers()
    {
        var a = DshArchitecture.Compact(64);
        Assert.Equal((64, 64, 64), (a.CodeLength, a.SketchInputSize, a.PhotoInputSize));
        Assert.Equal(new[] { 64, 31, 15, 7, 3 }, a.SketchTrunkSizes());
        Assert.Equal(new[] { 64, 30, 14, 6, 3 }, a.PhotoTrunkSizes());
        Assert.Equal(128 * 9, a.SketchFeatureLength);
        Assert.Equal(256 * 9, a.FusionInputLength);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(8)]
    [InlineData(48)]
    public void AnyCodeLengthFromEight_IsAccepted(int k)
    {
        Assert.Equal(k, DshArchitecture.Paper(k).CodeLength);
        Assert.Equal(k, DshArchitecture.Compact(k).CodeLength);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(-32)]
    [InlineData(4097)]
    public void BadCodeLength_Throws(int k)
    {
        var e = Assert.Throws<ArgumentException>(() => DshArchitecture.Compact(k));
        Assert.Contains("CodeLength", e.Message);
    }

    [Fact]
    public void TrunksThatEndOnDifferentSizes_AreRejectedWithBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => DshArchitecture.Paper(64) with { PhotoPool5Padding = 0 } is var a ? a.Validated() : null);
        Assert.Contains("7×7", e.Message);
        Assert.Contains("6×6", e.Message);
    }

    [Fact]
    public void BadFields_AreRejectedByName()
    {
        var compact = DshArchitecture.Compact(32);
        Assert.Contains("PhotoGroups", Assert.Throws<ArgumentException>(() => (compact with { PhotoGroups = 5 }).Validate()).Message);
        Assert.Contains("SketchChannels", Assert.Throws<ArgumentException>(() => (compact with { SketchChannels = new[] { 8, 8 } }).Validate()).Message);
        Assert.Contains("SketchChannels[2]", Assert.Throws<ArgumentException>(() => (compact with { SketchChannels = new[] { 8, 8, 0, 8, 8 } }).Validate()).Message);
        Assert.Contains("FusionDropoutB", Assert.Throws<ArgumentException>(() => (compact with { FusionDropoutB = new[] { 0.5, 1.0 } }).Validate()).Message);
        Assert.Contains("SketchHeadDropout", Assert.Throws<ArgumentException>(() => (compact with { SketchHeadDropout = new[] { double.NaN, 0.1 } }).Validate()).Message);
        Assert.Contains("SketchInputSize", Assert.Throws<ArgumentException>(() => (compact with { SketchInputSize = 12 }).Validate()).Message);
        Assert.Contains("PhotoPool5Padding", Assert.Throws<ArgumentException>(() => (compact with { PhotoPool5Padding = 2 }).Validate()).Message);
        Assert.Throws<ArgumentException>(() => (compact with { BatchNormMomentum = 0 }).Validate());
        Assert.Contains("TokenBatchNorm", Assert.Throws<ArgumentException>(() => (compact with { TokenBatchNorm = (TokenBatchNorm)7 }).Validate()).Message);
        Assert.Contains("Initialization", Assert.Throws<ArgumentException>(() => (compact with { Initialization = (DshInitialization)(-1) }).Validate()).Message);
    }

    [Fact]
    public void Equality_ComparesListsByValue()
    {
        Assert.Equal(DshArchitecture.Paper(128), DshArchitecture.Paper(128));
        Assert.Equal(DshArchitecture.Paper(128).GetHashCode(), DshArchitecture.Paper(128).GetHashCode());
        Assert.NotEqual(DshArchitecture.Paper(128), DshArchitecture.Paper(64));
        Assert.NotEqual(DshArchitecture.Compact(64), DshArchitecture.Compact(64) with { SketchChannels = new[] { 32, 64, 64, 128, 96 } });
        Assert.NotEqual(DshArchitecture.Compact(64), DshArchitecture.Compact(64) with { TokenBatchNorm = TokenBatchNorm.Shared });
    }
}
