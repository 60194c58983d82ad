using Dsh.Native;
using Dsh.Trunks;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>
/// ResNet's basic block: conv1 (3×3, stride s) → bn1 → ReLU → conv2 (3×3) → bn2, plus the shortcut (the input, or
/// <c>downsample</c> = 1×1 conv stride s → bn when the shape changes), then ReLU. Keys as torchvision's. A block with
/// a token branch also holds <c>token_bn1</c>, <c>token_bn2</c> and <c>token_downsample_bn</c>: the same convolutions
/// normalised with their own batch norm when it runs on sketch-tokens (<see cref="SketchBranch.Token"/>).
/// </summary>
internal sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly PaddedConv2d conv1;
    private readonly HeldBatchNorm2d bn1;
    private readonly PaddedConv2d conv2;
    private readonly HeldBatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly HeldBatchNorm2d? token_bn1;
    private readonly HeldBatchNorm2d? token_bn2;
    private readonly HeldBatchNorm2d? token_downsample_bn;
#pragma warning restore IDE1006

    public ResNetBasicBlock(long inChannels, long outChannels, long stride, bool tokenBranch = false) : base(nameof(ResNetBasicBlock))
    {
        // The shipped CNTK export pads stride-2 3×3 convolutions [1,1,0,0] (begin-heavy); stride 1 is symmetric.
        SpatialPadding first = stride == 1 ? SpatialPadding.Symmetric(1) : ResNet18Trunk.StridedPadding;
        conv1 = new PaddedConv2d(inChannels, outChannels, 3, stride, first);
        bn1 = new HeldBatchNorm2d(outChannels);
        conv2 = new PaddedConv2d(outChannels, outChannels, 3, 1, SpatialPadding.Symmetric(1));
        bn2 = new HeldBatchNorm2d(outChannels);
        bool projects = stride != 1 || inChannels != outChannels;
        if (projects)
        {
            DownsampleConv = new PaddedConv2d(inChannels, outChannels, 1, stride, SpatialPadding.Symmetric(0));
            DownsampleNorm = new HeldBatchNorm2d(outChannels);
            downsample = nn.Sequential(DownsampleConv, DownsampleNorm);
        }
        if (tokenBranch)
        {
            token_bn1 = new HeldBatchNorm2d(outChannels);
            token_bn2 = new HeldBatchNorm2d(outChannels);
            token_downsample_bn = projects ? new HeldBatchNorm2d(outChannels) : null;
        }
        RegisterComponents();
    }

    public PaddedConv2d Conv1 => conv1;

    public HeldBatchNorm2d Bn1 => bn1;

    public PaddedConv2d Conv2 => conv2;

    public HeldBatchNorm2d Bn2 => bn2;

    /// <summary>The projection shortcut's convolution, or null for an identity shortcut.</summary>
    public PaddedConv2d? DownsampleConv { get; }

    /// <summary>The projection shortcut's batch norm, or null.</summary>
    public HeldBatchNorm2d? DownsampleNorm { get; }

    /// <summary>Whether the block has batch norm of its own for sketch-tokens.</summary>
    public bool HasTokenBranch => token_bn1 is not null;

    /// <summary>The batch norms <paramref name="branch"/> uses: bn1, bn2 and the shortcut's (null for an identity shortcut).</summary>
    public (HeldBatchNorm2d Bn1, HeldBatchNorm2d Bn2, HeldBatchNorm2d? Downsample) Norms(SketchBranch branch) =>
        branch == SketchBranch.Token && token_bn1 is not null
            ? (token_bn1, token_bn2!, token_downsample_bn)
            : (bn1, bn2, DownsampleNorm);

    public override Tensor forward(Tensor input) => forward(input, SketchBranch.Sketch);

    /// <summary>The block with the batch norms of <paramref name="branch"/> (a block without a token branch uses its only ones).</summary>
    public Tensor forward(Tensor input, SketchBranch branch)
    {
        var (n1, n2, nd) = Norms(branch);
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(n1.forward(conv1.forward(input)));
        x = n2.forward(conv2.forward(x));
        Tensor shortcut = DownsampleConv is null ? input : nd!.forward(DownsampleConv.forward(input));
        if (x.shape[2] != shortcut.shape[2] || x.shape[3] != shortcut.shape[3])
        {
            throw new ArgumentException(
                $"A {input.shape[2]}×{input.shape[3]} map becomes {x.shape[2]}×{x.shape[3]} on this block's main path but {shortcut.shape[2]}×{shortcut.shape[3]} " +
                "through its shortcut: the trunk's padding does not fit this input size (the shipped model's takes sides of 32·n to 32·n + 3 px).",
                nameof(input));
        }
        return nn.functional.relu(x.PlusInPlace(shortcut)).MoveToOuterDisposeScope();
    }
}
