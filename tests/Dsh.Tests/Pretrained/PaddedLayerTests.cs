using Dsh.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary>Asymmetric and automatic padding compute what explicit padding followed by an unpadded layer computes.</summary>
public sealed class PaddedLayerTests
{
    [Theory]
    [InlineData(224)]
    [InlineData(225)]
    [InlineData(17)]
    public void Begin_heavy_convolution_padding_matches_explicit_padding(int size)
    {
        using var scope = NewDisposeScope();
        using var conv = new PaddedConv2d(3, 4, 7, 2, SpatialPadding.Explicit(3, 3, 2, 2));
        Tensor x = randn(2, 3, size, size);
        Tensor expected = nn.functional.conv2d(nn.functional.pad(x, [3, 2, 3, 2]), conv.Weight, strides: [2, 2]);
        Tensor actual = conv.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Theory]
    [InlineData(112)]
    [InlineData(113)]
    public void Begin_heavy_max_pool_padding_never_lets_padding_win(int size)
    {
        using var scope = NewDisposeScope();
        using var pool = new PaddedMaxPool2d(3, 2, SpatialPadding.Explicit(1, 1, 0, 0));
        Tensor x = randn(1, 2, size, size) - 10; // all negative: zero padding would win
        Tensor expected = nn.functional.max_pool2d(nn.functional.pad(x, [1, 0, 1, 0], value: double.NegativeInfinity), [3, 3], [2, 2]);
        Tensor actual = pool.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.eq(expected).all().item<bool>());
        Assert.True(actual.lt(0).all().item<bool>());
    }

    [Theory]
    [InlineData((int)PaddingMode.SameUpper, 10, 0, 1)]
    [InlineData((int)PaddingMode.SameLower, 10, 1, 0)]
    [InlineData((int)PaddingMode.SameUpper, 11, 1, 1)]
    [InlineData((int)PaddingMode.Valid, 10, 0, 0)]
    public void Auto_pad_follows_the_onnx_rule(int mode, long size, long begin, long end)
    {
        var padding = new SpatialPadding((PaddingMode)mode, 0, 0, 0, 0);
        var p = padding.Resolve(size, size, [3, 3], [2, 2], [1, 1]);
        Assert.Equal((begin, begin, end, end), p);
    }
}
