using Dsh.Model;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Trunks;

/// <summary>
/// The module of <see cref="CaffeSketchTrunkSpec"/> (C2-Net's trunk, deploy names <c>conv1-S</c> … <c>conv3_2-S</c>). One
/// set of convolutions serves both sketches and sketch-tokens (the deploy files share them by name); batch norm is per
/// branch (<c>sketch_bn</c>, <c>token_bn</c>) unless the architecture shares it (<see cref="TokenBatchNorm.Shared"/>),
/// in which case <c>token_bn</c> does not exist. Each convolution is registered once, so <c>parameters()</c> lists it once.
/// </summary>
public sealed class CaffeSketchTrunk : DshTrunk
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Conv2d conv1;
    private readonly Conv2d conv2_1;
    private readonly Conv2d conv2_2;
    private readonly Conv2d conv3_1;
    private readonly Conv2d conv3_2;
    private readonly ModuleList<HeldBatchNorm2d> sketch_bn;
    private readonly ModuleList<HeldBatchNorm2d>? token_bn;
    private readonly MaxPool2d pool;
#pragma warning restore IDE1006

    /// <summary>Builds the trunk <paramref name="spec"/> describes.</summary>
    /// <param name="spec">A valid spec.</param>
    /// <param name="tokenBranch">Keep separate batch norm for sketch-tokens.</param>
    public CaffeSketchTrunk(CaffeSketchTrunkSpec spec, bool tokenBranch) : base(nameof(CaffeSketchTrunk))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        IReadOnlyList<int> c = spec.Channels;
        conv1 = nn.Conv2d(3, c[0], spec.Conv1Kernel, stride: spec.Conv1Stride);
        conv2_1 = nn.Conv2d(c[0], c[1], 3, padding: 1);
        conv2_2 = nn.Conv2d(c[1], c[2], 3, padding: 1);
        conv3_1 = nn.Conv2d(c[2], c[3], 3, padding: 1);
        conv3_2 = nn.Conv2d(c[3], c[4], 3, padding: 1);
        sketch_bn = NewNorms(spec);
        token_bn = tokenBranch ? NewNorms(spec) : null;
        pool = nn.MaxPool2d(3, stride: 2);
        RegisterComponents();
    }

    /// <summary>The five shared convolutions, in order.</summary>
    public IReadOnlyList<Conv2d> Convolutions => new[] { conv1, conv2_1, conv2_2, conv3_1, conv3_2 };

    /// <summary>The batch-norm layers used for <paramref name="branch"/>.</summary>
    public IReadOnlyList<HeldBatchNorm2d> BatchNorms(SketchBranch branch) => Norms(branch).ToArray();

    private ModuleList<HeldBatchNorm2d> Norms(SketchBranch branch) =>
        branch == SketchBranch.Token && token_bn is not null ? token_bn : sketch_bn;

    /// <summary>[N,3,S,S] → [N,C,s,s] (256×7×7 in the paper profile).</summary>
    public override Tensor forward(Tensor input, SketchBranch branch)
    {
        ModuleList<HeldBatchNorm2d> bn = Norms(branch);
        using var scope = NewDisposeScope();
        Tensor x = pool.forward(Block(conv1, bn[0], input));
        x = pool.forward(Block(conv2_2, bn[2], Block(conv2_1, bn[1], x)));
        x = pool.forward(Block(conv3_2, bn[4], Block(conv3_1, bn[3], x)));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The deploy file's fillers: N(0, 0.01) weights, biases 0 for conv1 and 1 for the others.</summary>
    public override void ApplyPaperFillers() => CaffeFillers.Fill(Convolutions, [0, 1, 1, 1, 1]);

    private static Tensor Block(Conv2d conv, HeldBatchNorm2d norm, Tensor x) =>
        nn.functional.relu(norm.forward(conv.forward(x)));

    private static ModuleList<HeldBatchNorm2d> NewNorms(CaffeSketchTrunkSpec spec) =>
        nn.ModuleList(spec.Channels.Select(ch => new HeldBatchNorm2d(ch, spec.BatchNormEpsilon, spec.BatchNormMomentum)).ToArray());
}
