using Dsh.Persistence;
using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Trunks;

namespace Dsh.Tests.Model;

public class DshArchitectureTests
{
    [Fact]
    public void Paper_HasTheDeployFileShapes()
    {
        var a = DshArchitecture.Paper(128);
        Assert.Equal((128, 200, 227), (a.CodeLength, a.SketchInputSize, a.PhotoInputSize));
        Assert.Equal(new[] { 200, 63, 31, 15, 7 }, a.CaffeSketch().Sizes());
        Assert.Equal(new[] { 227, 55, 27, 13, 7 }, a.AlexNetPhoto().Sizes());
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
        Assert.Equal(new[] { 64, 31, 15, 7, 3 }, a.CaffeSketch().Sizes());
        Assert.Equal(new[] { 64, 30, 14, 6, 3 }, a.AlexNetPhoto().Sizes());
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
        var e = Assert.Throws<ArgumentException>(() => DshArchitecture.Paper(64) with { PhotoTrunk = DshArchitecture.Paper(64).AlexNetPhoto() with { Pool5Padding = 0 } } is var a ? a.Validated() : null);
        Assert.Contains("7×7", e.Message);
        Assert.Contains("6×6", e.Message);
    }

    [Fact]
    public void BadFields_AreRejectedByName()
    {
        var compact = DshArchitecture.Compact(32);
        CaffeSketchTrunkSpec sketch = compact.CaffeSketch();
        AlexNetPhotoTrunkSpec photo = compact.AlexNetPhoto();
        static string Rejected(DshArchitecture a) => Assert.Throws<ArgumentException>(a.Validate).Message;
        Assert.Contains("PhotoTrunk (alexnet-photo): Groups", Rejected(compact with { PhotoTrunk = photo with { Groups = 5 } }));
        Assert.Contains("SketchTrunk (caffe-sketch): Channels", Rejected(compact with { SketchTrunk = sketch with { Channels = new[] { 8, 8 } } }));
        Assert.Contains("Channels[2]", Rejected(compact with { SketchTrunk = sketch with { Channels = new[] { 8, 8, 0, 8, 8 } } }));
        Assert.Contains("FusionHeadSpec.DropoutB", Rejected(compact with { FusionHead = compact.FusionHead with { DropoutB = new[] { 0.5, 1.0 } } }));
        Assert.Contains("SketchHeadSpec.Dropout", Rejected(compact with { SketchHead = compact.SketchHead with { Dropout = new[] { double.NaN, 0.1 } } }));
        Assert.Contains("SketchTrunk (caffe-sketch): InputSize", Rejected(compact.WithSizes(12, 64)));
        Assert.Contains("Pool5Padding", Rejected(compact with { PhotoTrunk = photo with { Pool5Padding = 2 } }));
        Assert.Contains("BatchNormMomentum", Rejected(compact with { SketchTrunk = sketch with { BatchNormMomentum = 0 } }));
        Assert.Contains("paper's fillers", Rejected(DshArchitecture.Paper(32) with { PhotoTrunk = new ResNet18TrunkSpec() }));
        Assert.Contains("TokenBatchNorm", Assert.Throws<ArgumentException>(() => (compact with { TokenBatchNorm = (TokenBatchNorm)7 }).Validate()).Message);
        Assert.Contains("Initialization", Assert.Throws<ArgumentException>(() => (compact with { Initialization = (DshInitialization)(-1) }).Validate()).Message);
    }

    [Fact]
    public void Equality_ComparesListsByValue()
    {
        Assert.Equal(DshArchitecture.Paper(128), DshArchitecture.Paper(128));
        Assert.Equal(DshArchitecture.Paper(128).GetHashCode(), DshArchitecture.Paper(128).GetHashCode());
        Assert.NotEqual(DshArchitecture.Paper(128), DshArchitecture.Paper(64));
        Assert.NotEqual(DshArchitecture.Compact(64), DshArchitecture.Compact(64) with { SketchTrunk = DshArchitecture.Compact(64).CaffeSketch() with { Channels = new[] { 32, 64, 64, 128, 96 } } });
        Assert.NotEqual(DshArchitecture.Compact(64), DshArchitecture.Compact(64) with { TokenBatchNorm = TokenBatchNorm.Shared });
    }

    [Fact]
    public void TokenInputSize_ChangesOnlyTheTokenInput_OnAPoolingTrunk()
    {
        DshArchitecture small = DshArchitecture.ResNet18(64); // the profile reads 128 px token maps
        DshArchitecture plain = small with { TokenInputSize = null };
        small.Validate();
        Assert.Equal(128, small.TokenInputSize);
        Assert.Equal((224, 224, 224), (plain.SketchTokenInputSize, plain.SketchTokenInput.Size, plain.SketchInputSize));
        Assert.Equal((128, 128, 224, 224), (small.SketchTokenInputSize, small.SketchTokenInput.Size, small.SketchInputSize, small.PhotoInputSize));
        Assert.Equal((plain.SketchInput.PadColor, plain.SketchInput.Normalization), (small.SketchTokenInput.PadColor, small.SketchTokenInput.Normalization)); // a sketch's
        Assert.Equal(plain.FusionInputLength, small.FusionInputLength);
        Assert.NotEqual(plain, small);
        Assert.Equal(plain, plain with { TokenInputSize = 224 } with { TokenInputSize = null });

        // A side the ResNet-18 trunk cannot take, and a trunk whose features change with its input, are refused by name.
        Assert.Contains("TokenInputSize", Assert.Throws<ArgumentException>(() => (plain with { TokenInputSize = 112 }).Validate()).Message);
        Assert.Contains("TokenInputSize", Assert.Throws<ArgumentException>(() => (plain with { TokenInputSize = 16 }).Validate()).Message);
        var e = Assert.Throws<ArgumentException>(() => (DshArchitecture.Compact(32) with { TokenInputSize = 96 }).Validate());
        Assert.Contains("only a trunk that pools its features", e.Message);
        Assert.Equal("TokenInputSize", e.ParamName);
    }

    [Fact]
    public void TokenInputSize_IsStored_AndOlderFilesReadWithoutIt()
    {
        DshArchitecture small = DshArchitecture.ResNet18(64);
        string json = DshJson.Serialize(small);
        Assert.Contains("\"TokenInputSize\": 128", json, StringComparison.Ordinal);
        Assert.Equal(small, DshJson.Deserialize<DshArchitecture>(json, "small"));

        string plain = DshJson.Serialize(small with { TokenInputSize = null });
        Assert.DoesNotContain("TokenInputSize", plain, StringComparison.Ordinal); // files as earlier versions wrote them
        Assert.Null(DshJson.Deserialize<DshArchitecture>(plain, "plain").TokenInputSize); // their token maps: the sketch side
    }
}
