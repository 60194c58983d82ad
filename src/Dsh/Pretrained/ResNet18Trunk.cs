using Dsh.Trunks;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>
/// An ImageNet-style ResNet trunk of basic blocks up to the global average pool: conv1 (7×7/2, 64) → bn1 → ReLU →
/// maxpool (3/2) → layer1 … layer4 (64, 128, 256, 512 channels; the first block of layers 2–4 has stride 2 and a 1×1
/// <c>downsample</c>) → global average pool → [N, 512]. The <c>state_dict</c> keys are torchvision's
/// (<c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>layer2.0.downsample.0.weight</c>, …; no <c>fc</c>). The pool is
/// global, but with the shipped padding only sides of 32·n to 32·n + 3 (n ≥ 1) fit: elsewhere a stride-2 stage gets an
/// odd-sized map, on which its main path ends one pixel smaller than its projection shortcut
/// (<see cref="InputSizeProblem"/>). See docs/pretrained.md.
/// </summary>
/// <remarks>
/// The new trunk has random weights (Kaiming-uniform convolutions, unit batch norm) and the geometry of the
/// NuGet-shipped <c>ResNet18.onnx</c>: stride-2 layers padded more at the beginning than at the end, as CNTK exported
/// them. <see cref="ResNet18Onnx.Import(string)"/> fills in the weights and copies the file's padding, strides and ε.
/// </remarks>
public sealed class ResNet18Trunk : DshTrunk
{
    /// <summary>Channels of the four stages.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>
    /// The blocks per stage of the ResNet-18 in <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>: 2, 2, 2, 3 — its
    /// CNTK export has a third block in the last stage (torchvision's ResNet-18 has 2, 2, 2, 2).
    /// </summary>
    public static IReadOnlyList<int> ShippedBlocks { get; } = [2, 2, 2, 3];

    /// <summary>The shipped model's conv1 (7×7/2) padding: [3, 3, 2, 2], begin-heavy as CNTK exported it.</summary>
    internal static SpatialPadding StemConvPadding { get; } = SpatialPadding.Explicit(3, 3, 2, 2);

    /// <summary>The shipped model's padding of the 3×3 stride-2 layers (the max pool, each stage's first convolution): [1, 1, 0, 0].</summary>
    internal static SpatialPadding StridedPadding { get; } = SpatialPadding.Explicit(1, 1, 0, 0);

#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly PaddedConv2d conv1;
    private readonly HeldBatchNorm2d bn1;
    private readonly PaddedMaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly HeldBatchNorm2d? token_bn1;
#pragma warning restore IDE1006
    private readonly ResNetBasicBlock[][] blocks;

    /// <summary>A trunk with the shipped model's layout (<see cref="ShippedBlocks"/>) and random weights.</summary>
    public ResNet18Trunk() : this(ShippedBlocks)
    {
    }

    /// <summary>A trunk with <paramref name="blocksPerStage"/> basic blocks in each of the four stages, random weights.</summary>
    /// <param name="blocksPerStage">Four counts, each 1 to 64 (torchvision's ResNet-18: 2, 2, 2, 2).</param>
    /// <exception cref="ArgumentException">Not four counts, or one outside 1–64.</exception>
    public ResNet18Trunk(IReadOnlyList<int> blocksPerStage) : this(blocksPerStage, tokenBranch: false)
    {
    }

    /// <summary>
    /// A trunk with <paramref name="blocksPerStage"/> basic blocks per stage; with <paramref name="tokenBranch"/>, every
    /// batch norm has a twin (<c>token_bn1</c>, <c>layerN.M.token_bn1</c>, <c>…token_bn2</c>, <c>…token_downsample_bn</c>)
    /// that <see cref="SketchBranch.Token"/> uses: one set of convolutions for sketches and sketch-tokens, batch norm
    /// per branch (DSH's C2-Net).
    /// </summary>
    /// <param name="blocksPerStage">Four counts, each 1 to 64.</param>
    /// <param name="tokenBranch">Whether to add the sketch-token branch's batch norms.</param>
    /// <exception cref="ArgumentException">Not four counts, or one outside 1–64.</exception>
    public ResNet18Trunk(IReadOnlyList<int> blocksPerStage, bool tokenBranch) : base(nameof(ResNet18Trunk))
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (blocksPerStage.Count != 4 || blocksPerStage.Any(b => b < 1 || b > 64))
        {
            throw new ArgumentException(
                $"A ResNet trunk has four stages of 1 to 64 blocks each, not [{string.Join(", ", blocksPerStage)}].", nameof(blocksPerStage));
        }
        BlocksPerStage = blocksPerStage.ToArray();
        conv1 = new PaddedConv2d(3, 64, 7, 2, StemConvPadding);
        bn1 = new HeldBatchNorm2d(64);
        token_bn1 = tokenBranch ? new HeldBatchNorm2d(64) : null;
        maxpool = new PaddedMaxPool2d(3, 2, StridedPadding);
        blocks = new ResNetBasicBlock[4][];
        long inChannels = 64;
        for (int s = 0; s < 4; s++)
        {
            blocks[s] = new ResNetBasicBlock[blocksPerStage[s]];
            for (int b = 0; b < blocks[s].Length; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                blocks[s][b] = new ResNetBasicBlock(inChannels, StageChannels[s], stride, tokenBranch);
                inChannels = StageChannels[s];
            }
        }
        layer1 = nn.Sequential(blocks[0]);
        layer2 = nn.Sequential(blocks[1]);
        layer3 = nn.Sequential(blocks[2]);
        layer4 = nn.Sequential(blocks[3]);
        RegisterComponents();
    }

    /// <summary>
    /// Why a new trunk (the shipped model's padding) cannot take square inputs of <paramref name="inputSize"/> px, or null
    /// when it can: the stem must leave a map, and each stride-2 stage (layer2–4) must get an even-sized map, since on an
    /// odd one its 3×3 convolution, padded 1 before and 0 after, ends one pixel smaller than the 1×1 projection shortcut.
    /// Together: sides of 32·n to 32·n + 3.
    /// </summary>
    internal static string? InputSizeProblem(long inputSize)
    {
        var sizes = new List<long> { inputSize };
        long x = SpatialPadding.OutputLength(inputSize, StemConvPadding.Top, StemConvPadding.Bottom, 7, 2, 1, ceil: false);
        sizes.Add(x);
        x = x < 1 ? 0 : SpatialPadding.OutputLength(x, StridedPadding.Top, StridedPadding.Bottom, 3, 2, 1, ceil: false);
        sizes.Add(x);
        for (int stage = 2; stage <= 4 && x >= 1; stage++)
        {
            long main = SpatialPadding.OutputLength(x, StridedPadding.Top, StridedPadding.Bottom, 3, 2, 1, ceil: false);
            long shortcut = SpatialPadding.OutputLength(x, 0, 0, 1, 2, 1, ceil: false);
            if (main != shortcut)
            {
                return $"layer{stage} gets {x}×{x} maps (sizes {string.Join(" → ", sizes)}), on which its stride-2 convolution gives " +
                       $"{main}×{main} but its projection shortcut {shortcut}×{shortcut}";
            }
            x = main;
            sizes.Add(x);
        }
        return x < 1 ? $"the maps shrink to nothing (sizes {string.Join(" → ", sizes)})" : null;
    }

    /// <summary>The number of basic blocks in each of the four stages.</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>Whether the trunk has batch norms of its own for <see cref="SketchBranch.Token"/>.</summary>
    public bool HasTokenBranch => token_bn1 is not null;

    /// <summary>The length of the feature vector <see cref="forward(Tensor, SketchBranch)"/> returns: 512.</summary>
    public int FeatureCount => StageChannels[^1];

    internal PaddedConv2d Conv1 => conv1;

    internal HeldBatchNorm2d Bn1 => bn1;

    internal HeldBatchNorm2d? TokenBn1 => token_bn1;

    /// <summary>The stem's batch norm for <paramref name="branch"/> (the only one when the trunk has no token branch).</summary>
    internal HeldBatchNorm2d StemNorm(SketchBranch branch) => branch == SketchBranch.Token && token_bn1 is not null ? token_bn1 : bn1;

    internal PaddedMaxPool2d MaxPool => maxpool;

    internal IReadOnlyList<IReadOnlyList<ResNetBasicBlock>> Blocks => blocks;

    /// <summary>[N, 3, H, W] → [N, 512] with the batch norms of <paramref name="branch"/> (a trunk without a token branch has one set).</summary>
    public override Tensor forward(Tensor input, SketchBranch branch)
    {
        using var scope = NewDisposeScope();
        return ForwardFromStage(ForwardFeatures(input, 4, branch), 4, branch).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The feature map after stage <paramref name="upToStage"/>: 0 = the stem (conv1, bn1, ReLU, maxpool; 64 × H/4),
    /// 1–4 = after layer1 … layer4 (64, 128, 256, 512 channels at H/4, H/8, H/16, H/32). Frozen early stages can be
    /// computed once and cached, then continued with <see cref="ForwardFromStage(Tensor, int)"/>.
    /// </summary>
    /// <param name="input">[N, 3, H, W].</param>
    /// <param name="upToStage">0 to 4.</param>
    public Tensor ForwardFeatures(Tensor input, int upToStage) => ForwardFeatures(input, upToStage, SketchBranch.Sketch);

    /// <summary>The feature map after stage <paramref name="upToStage"/> (0 = the stem) with the batch norms of <paramref name="branch"/>.</summary>
    /// <param name="input">[N, 3, H, W].</param>
    /// <param name="upToStage">0 to 4.</param>
    /// <param name="branch">Which batch norms to use.</param>
    public Tensor ForwardFeatures(Tensor input, int upToStage, SketchBranch branch)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(upToStage, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(upToStage, 4);
        if (input.dim() != 4 || input.shape[1] != 3)
        {
            throw new ArgumentException($"Expected images [N, 3, H, W], got [{string.Join(", ", input.shape)}].", nameof(input));
        }
        using var scope = NewDisposeScope();
        Tensor x = maxpool.forward(nn.functional.relu(StemNorm(branch).forward(conv1.forward(input))));
        return RunStages(x, 0, upToStage, branch).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Continues from the output of stage <paramref name="afterStage"/> (as <see cref="ForwardFeatures(Tensor, int)"/> returns it) to
    /// the pooled [N, 512] features.
    /// </summary>
    /// <param name="features">The feature map after stage <paramref name="afterStage"/>.</param>
    /// <param name="afterStage">0 to 4.</param>
    public Tensor ForwardFromStage(Tensor features, int afterStage) => ForwardFromStage(features, afterStage, SketchBranch.Sketch);

    /// <summary>Continues from the output of stage <paramref name="afterStage"/> to [N, 512] with the batch norms of <paramref name="branch"/>.</summary>
    /// <param name="features">The feature map after stage <paramref name="afterStage"/>.</param>
    /// <param name="afterStage">0 to 4.</param>
    /// <param name="branch">Which batch norms to use.</param>
    public Tensor ForwardFromStage(Tensor features, int afterStage, SketchBranch branch)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(afterStage, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(afterStage, 4);
        using var scope = NewDisposeScope();
        return RunStages(features, afterStage, 4, branch).mean([2L, 3L]).MoveToOuterDisposeScope();
    }

    /// <summary>How many stages <see cref="Freeze"/> froze (0–4).</summary>
    public int FrozenStages { get; private set; }

    /// <inheritdoc />
    public override bool HasFrozenPart => FrozenStages > 0;

    /// <inheritdoc />
    public override Tensor ForwardFrozen(Tensor input, SketchBranch branch) =>
        FrozenStages == 0 ? input : ForwardFrozen(input, FrozenStages, branch);

    /// <inheritdoc />
    public override Tensor ForwardFromFrozen(Tensor boundary, SketchBranch branch) =>
        FrozenStages == 0 ? forward(boundary, branch) : ForwardFromStage(boundary, FrozenStages, branch);

    /// <summary>
    /// Stops learning in the stem and the first <paramref name="stages"/> stages (0–4; the stem counts with stage 1):
    /// their parameters no longer require gradients. Run them through <see cref="ForwardFrozen(Tensor, SketchBranch)"/>, which also keeps
    /// their batch norms in eval mode.
    /// </summary>
    internal void Freeze(int stages)
    {
        FrozenStages = stages;
        foreach (var p in FrozenModules(stages).SelectMany(m => m.parameters()))
        {
            p.requires_grad = false;
        }
    }

    /// <summary>
    /// The output of stage <paramref name="stages"/> with the stem and stages 1…<paramref name="stages"/> in eval mode and
    /// without gradients (each module's mode restored afterwards): what a frozen part computes, the same in training and
    /// encoding, so it can be cached.
    /// </summary>
    internal Tensor ForwardFrozen(Tensor input, int stages, SketchBranch branch)
    {
        var modules = FrozenModules(stages).SelectMany(m => m.modules().Prepend(m)).Select(m => (Module: m, m.training)).ToList();
        if (!modules.Any(m => m.training))
        {
            modules.Clear(); // already in eval mode: touch nothing, so concurrent encoding stays safe
        }
        try
        {
            foreach (var (module, _) in modules)
            {
                module.train(false);
            }
            using var noGrad = no_grad();
            return ForwardFeatures(input, stages, branch);
        }
        finally
        {
            foreach (var (module, training) in modules)
            {
                module.train(training);
            }
        }
    }

    private IEnumerable<nn.Module> FrozenModules(int stages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stages, 4);
        if (stages == 0)
        {
            yield break;
        }
        yield return conv1;
        yield return bn1;
        if (token_bn1 is not null)
        {
            yield return token_bn1;
        }
        Sequential[] layers = [layer1, layer2, layer3, layer4];
        for (int s = 0; s < stages; s++)
        {
            yield return layers[s];
        }
    }

    private Tensor RunStages(Tensor x, int fromStage, int toStage, SketchBranch branch)
    {
        for (int s = fromStage; s < toStage; s++)
        {
            foreach (ResNetBasicBlock block in blocks[s])
            {
                x = block.forward(x, branch);
            }
        }
        return x;
    }
}
