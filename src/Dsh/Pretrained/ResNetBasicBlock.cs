using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// ResNet's basic block: conv1 (3×3, stride s) → bn1 → ReLU → conv2 (3×3) → bn2, plus the shortcut (the input, or
/// <c>downsample</c> = 1×1 conv stride s → bn when the shape changes), then ReLU. Keys as torchvision's.
/// </summary>
internal sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly PaddedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly PaddedConv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    public ResNetBasicBlock(long inChannels, long outChannels, long stride) : base(nameof(ResNetBasicBlock))
    {
        // The shipped CNTK export pads stride-2 3×3 convolutions [1,1,0,0] (begin-heavy); stride 1 is symmetric.
        SpatialPadding first = stride == 1 ? SpatialPadding.Symmetric(1) : SpatialPadding.Explicit(1, 1, 0, 0);
        conv1 = new PaddedConv2d(inChannels, outChannels, 3, stride, first);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = new PaddedConv2d(outChannels, outChannels, 3, 1, SpatialPadding.Symmetric(1));
        bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            DownsampleConv = new PaddedConv2d(inChannels, outChannels, 1, stride, SpatialPadding.Symmetric(0));
            DownsampleNorm = nn.BatchNorm2d(outChannels);
            downsample = nn.Sequential(DownsampleConv, DownsampleNorm);
        }
        RegisterComponents();
    }

    public PaddedConv2d Conv1 => conv1;

    public BatchNorm2d Bn1 => bn1;

    public PaddedConv2d Conv2 => conv2;

    public BatchNorm2d Bn2 => bn2;

    /// <summary>The projection shortcut's convolution, or null for an identity shortcut.</summary>
    public PaddedConv2d? DownsampleConv { get; }

    /// <summary>The projection shortcut's batch norm, or null.</summary>
    public BatchNorm2d? DownsampleNorm { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(bn1.forward(conv1.forward(input)));
        x = bn2.forward(conv2.forward(x));
        Tensor shortcut = downsample is null ? input : downsample.forward(input);
        return nn.functional.relu(x.add_(shortcut)).MoveToOuterDisposeScope();
    }
}
