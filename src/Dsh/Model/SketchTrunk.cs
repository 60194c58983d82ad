using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// The sketch convolution stack (C2-Net's trunk, deploy names <c>conv1-S</c> … <c>conv3_2-S</c>). One set of
/// convolutions serves both sketches and sketch-tokens (the deploy files share them by name); batch norm is per
/// branch (<c>sketch_bn</c>, <c>token_bn</c>) unless <see cref="TokenBatchNorm.Shared"/> is chosen, in which case
/// <c>token_bn</c> does not exist. Each convolution is registered once, so <c>parameters()</c> lists it once.
/// </summary>
public sealed class SketchTrunk : nn.Module
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Conv2d conv1;
    private readonly Conv2d conv2_1;
    private readonly Conv2d conv2_2;
    private readonly Conv2d conv3_1;
    private readonly Conv2d conv3_2;
    private readonly ModuleList<BatchNorm2d> sketch_bn;
    private readonly ModuleList<BatchNorm2d>? token_bn;
    private readonly MaxPool2d pool;
#pragma warning restore IDE1006

    /// <summary>Builds the trunk for <paramref name="architecture"/>.</summary>
    public SketchTrunk(DshArchitecture architecture) : base(nameof(SketchTrunk))
    {
        IReadOnlyList<int> c = architecture.SketchChannels;
        conv1 = nn.Conv2d(3, c[0], architecture.SketchConv1Kernel, stride: architecture.SketchConv1Stride);
        conv2_1 = nn.Conv2d(c[0], c[1], 3, padding: 1);
        conv2_2 = nn.Conv2d(c[1], c[2], 3, padding: 1);
        conv3_1 = nn.Conv2d(c[2], c[3], 3, padding: 1);
        conv3_2 = nn.Conv2d(c[3], c[4], 3, padding: 1);
        sketch_bn = NewNorms(architecture);
        token_bn = architecture.TokenBatchNorm == TokenBatchNorm.PerBranch ? NewNorms(architecture) : null;
        pool = nn.MaxPool2d(3, stride: 2);
        RegisterComponents();
    }

    /// <summary>The five shared convolutions, in order.</summary>
    public IReadOnlyList<Conv2d> Convolutions => new[] { conv1, conv2_1, conv2_2, conv3_1, conv3_2 };

    /// <summary>The batch-norm layers used for <paramref name="branch"/>.</summary>
    public IReadOnlyList<BatchNorm2d> BatchNorms(SketchBranch branch) => Norms(branch).ToArray();

    private ModuleList<BatchNorm2d> Norms(SketchBranch branch) =>
        branch == SketchBranch.Token && token_bn is not null ? token_bn : sketch_bn;

    /// <summary>[N,3,S,S] → [N,C,s,s] (256×7×7 in the paper profile).</summary>
    public Tensor forward(Tensor input, SketchBranch branch)
    {
        ModuleList<BatchNorm2d> bn = Norms(branch);
        using var scope = NewDisposeScope();
        Tensor x = pool.forward(Block(conv1, bn[0], input));
        x = pool.forward(Block(conv2_2, bn[2], Block(conv2_1, bn[1], x)));
        x = pool.forward(Block(conv3_2, bn[4], Block(conv3_1, bn[3], x)));
        return x.MoveToOuterDisposeScope();
    }

    private static Tensor Block(Conv2d conv, BatchNorm2d norm, Tensor x) =>
        nn.functional.relu(norm.forward(conv.forward(x)));

    private static ModuleList<BatchNorm2d> NewNorms(DshArchitecture a) =>
        nn.ModuleList(a.SketchChannels.Select(ch => nn.BatchNorm2d(ch, eps: a.BatchNormEpsilon, momentum: a.BatchNormMomentum)).ToArray());
}
