using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary>
/// Which input sides the ResNet-18 trunk takes. With the shipped model's begin-heavy padding a stride-2 stage that gets
/// an odd-sized map makes its main path one pixel smaller than its 1×1 projection shortcut, so only sides of 32·n to
/// 32·n + 3 go through; the ResNet18 profile must reject the others up front instead of failing inside libtorch.
/// </summary>
public class ResNet18InputSizeTests
{
    [Theory]
    [InlineData(36)]
    [InlineData(48)]
    [InlineData(100)]
    [InlineData(112)]
    [InlineData(200)]
    [InlineData(228)]
    public void SizesTheTrunkCannotTake_AreRejectedByValidate(int size)
    {
        var sketch = Assert.Throws<ArgumentException>(() => DshArchitecture.ResNet18(16).WithSizes(size, 224).Validate());
        Assert.Equal("SketchTrunk.InputSize", sketch.ParamName);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), sketch.Message);
        int below = size / 32 * 32;
        Assert.Contains($"{below} or {below + 32}", sketch.Message);
        var photo = Assert.Throws<ArgumentException>(() => DshArchitecture.ResNet18(16).WithSizes(224, size).Validate());
        Assert.Equal("PhotoTrunk.InputSize", photo.ParamName);
    }

    [Fact]
    public void Validate_AcceptsExactlyTheSizesTheTrunkForwards()
    {
        torch.manual_seed(1);
        using var trunk = new ResNet18Trunk([1, 1, 1, 1], tokenBranch: true);
        trunk.eval();
        using var noGrad = no_grad();
        var accepted = new List<int>();
        for (int size = 32; size <= 103; size++)
        {
            using var scope = NewDisposeScope();
            bool valid = Accepts(size);
            Tensor x = torch.rand(1, 3, size, size);
            if (valid)
            {
                accepted.Add(size);
                Assert.Equal(new long[] { 1, 512 }, trunk.forward(x, SketchBranch.Token).shape);
            }
            else
            {
                var e = Assert.Throws<ArgumentException>(() => trunk.forward(x));
                Assert.Contains("shortcut", e.Message);
            }
        }
        Assert.Equal(new[] { 32, 33, 34, 35, 64, 65, 66, 67, 96, 97, 98, 99 }, accepted);
        Assert.True(Accepts(224) && Accepts(227) && Accepts(193));
        Assert.False(Accepts(200) || Accepts(228) || Accepts(160 + 4));
    }

    private static bool Accepts(int size)
    {
        try
        {
            (DshArchitecture.ResNet18(16).WithSizes(size, size)).Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public void ANetworkWithAnUnsupportedSize_CannotBeBuilt() =>
        Assert.Throws<ArgumentException>(() => new DshNetwork(DshArchitecture.ResNet18(16).WithSizes(80, 80)));
}
