using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>2-d max pooling with possibly asymmetric or size-dependent padding (padded cells never win).</summary>
internal sealed class PaddedMaxPool2d : nn.Module<Tensor, Tensor>
{
    public PaddedMaxPool2d(long kernel, long stride, SpatialPadding padding) : base(nameof(PaddedMaxPool2d))
    {
        Kernel = [kernel, kernel];
        Stride = [stride, stride];
        Dilation = [1, 1];
        Padding = padding;
    }

    /// <summary>Window height and width.</summary>
    public long[] Kernel { get; set; }

    /// <summary>Vertical and horizontal stride.</summary>
    public long[] Stride { get; set; }

    /// <summary>Vertical and horizontal dilation.</summary>
    public long[] Dilation { get; set; }

    /// <summary>The padding rule.</summary>
    public SpatialPadding Padding { get; set; }

    /// <summary>Ceiling instead of floor division for the output size (ONNX <c>ceil_mode</c>).</summary>
    public bool CeilMode { get; set; }

    public override Tensor forward(Tensor input)
    {
        var pads = SpatialPadding.Symmetrized(
            Padding.Resolve(input.shape[2], input.shape[3], Kernel, Stride, Dilation), input.shape[2], input.shape[3], Kernel, Stride, Dilation, CeilMode);
        bool fits = 2 * Math.Max(pads.Top, pads.Left) <= Math.Min(Kernel[0], Kernel[1]);
        if (SpatialPadding.IsSymmetric(pads) && fits)
        {
            return nn.functional.max_pool2d(input, Kernel, Stride, [pads.Top, pads.Left], Dilation, CeilMode);
        }
        using Tensor padded = nn.functional.pad(input, [pads.Left, pads.Right, pads.Top, pads.Bottom], value: double.NegativeInfinity);
        return nn.functional.max_pool2d(padded, Kernel, Stride, [0, 0], Dilation, CeilMode);
    }
}
