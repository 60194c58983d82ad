using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>
/// A bias-free 2-d convolution whose padding may be asymmetric or computed from the input size, as ONNX allows
/// (CNTK's export pads the stride-2 layers of ResNet more at the beginning than at the end). Its only state is
/// <c>weight</c> [out, in, kh, kw], so a trunk's keys read <c>conv1.weight</c> like torchvision's.
/// </summary>
internal sealed class PaddedConv2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Parameter weight;
#pragma warning restore IDE1006

    public PaddedConv2d(long inChannels, long outChannels, long kernel, long stride, SpatialPadding padding) : base(nameof(PaddedConv2d))
    {
        weight = new Parameter(empty(outChannels, inChannels, kernel, kernel));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        Stride = [stride, stride];
        Dilation = [1, 1];
        Padding = padding;
        RegisterComponents();
    }

    /// <summary>The kernel weights.</summary>
    public Parameter Weight => weight;

    /// <summary>Vertical and horizontal stride.</summary>
    public long[] Stride { get; set; }

    /// <summary>Vertical and horizontal dilation.</summary>
    public long[] Dilation { get; set; }

    /// <summary>The padding rule.</summary>
    public SpatialPadding Padding { get; set; }

    /// <summary>The kernel's height and width.</summary>
    public long[] Kernel => [weight.shape[2], weight.shape[3]];

    public override Tensor forward(Tensor input)
    {
        long[] kernel = Kernel;
        var pads = SpatialPadding.Symmetrized(
            Padding.Resolve(input.shape[2], input.shape[3], kernel, Stride, Dilation), input.shape[2], input.shape[3], kernel, Stride, Dilation, ceil: false);
        if (SpatialPadding.IsSymmetric(pads))
        {
            return nn.functional.conv2d(input, weight, null, Stride, [pads.Top, pads.Left], Dilation);
        }
        using Tensor padded = nn.functional.pad(input, [pads.Left, pads.Right, pads.Top, pads.Bottom]);
        return nn.functional.conv2d(padded, weight, null, Stride, [0, 0], Dilation);
    }
}
