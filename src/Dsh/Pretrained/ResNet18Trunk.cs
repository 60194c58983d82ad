using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// An ImageNet-style ResNet trunk of basic blocks up to the global average pool: conv1 (7×7/2, 64) → bn1 → ReLU →
/// maxpool (3/2) → layer1 … layer4 (64, 128, 256, 512 channels; the first block of layers 2–4 has stride 2 and a 1×1
/// <c>downsample</c>) → global average pool → [N, 512]. The <c>state_dict</c> keys are torchvision's
/// (<c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>layer2.0.downsample.0.weight</c>, …; no <c>fc</c>). Any input size
/// from 32×32 up works: the pool is global. See docs/pretrained.md.
/// </summary>
/// <remarks>
/// The new trunk has random weights (Kaiming-uniform convolutions, unit batch norm) and the geometry of the
/// NuGet-shipped <c>ResNet18.onnx</c>: stride-2 layers padded more at the beginning than at the end, as CNTK exported
/// them. <see cref="ResNet18Onnx.Import(string)"/> fills in the weights and copies the file's padding, strides and ε.
/// </remarks>
public sealed class ResNet18Trunk : nn.Module<Tensor, Tensor>
{
    /// <summary>Channels of the four stages.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>
    /// The blocks per stage of the ResNet-18 in <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>: 2, 2, 2, 3 — its
    /// CNTK export has a third block in the last stage (torchvision's ResNet-18 has 2, 2, 2, 2).
    /// </summary>
    public static IReadOnlyList<int> ShippedBlocks { get; } = [2, 2, 2, 3];

#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly PaddedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly PaddedMaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
#pragma warning restore IDE1006
    private readonly ResNetBasicBlock[][] blocks;

    /// <summary>A trunk with the shipped model's layout (<see cref="ShippedBlocks"/>) and random weights.</summary>
    public ResNet18Trunk() : this(ShippedBlocks)
    {
    }

    /// <summary>A trunk with <paramref name="blocksPerStage"/> basic blocks in each of the four stages, random weights.</summary>
    /// <param name="blocksPerStage">Four counts, each 1 to 64 (torchvision's ResNet-18: 2, 2, 2, 2).</param>
    /// <exception cref="ArgumentException">Not four counts, or one outside 1–64.</exception>
    public ResNet18Trunk(IReadOnlyList<int> blocksPerStage) : base(nameof(ResNet18Trunk))
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (blocksPerStage.Count != 4 || blocksPerStage.Any(b => b < 1 || b > 64))
        {
            throw new ArgumentException(
                $"A ResNet trunk has four stages of 1 to 64 blocks each, not [{string.Join(", ", blocksPerStage)}].", nameof(blocksPerStage));
        }
        BlocksPerStage = blocksPerStage.ToArray();
        conv1 = new PaddedConv2d(3, 64, 7, 2, SpatialPadding.Explicit(3, 3, 2, 2));
        bn1 = nn.BatchNorm2d(64);
        maxpool = new PaddedMaxPool2d(3, 2, SpatialPadding.Explicit(1, 1, 0, 0));
        blocks = new ResNetBasicBlock[4][];
        long inChannels = 64;
        for (int s = 0; s < 4; s++)
        {
            blocks[s] = new ResNetBasicBlock[blocksPerStage[s]];
            for (int b = 0; b < blocks[s].Length; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                blocks[s][b] = new ResNetBasicBlock(inChannels, StageChannels[s], stride);
                inChannels = StageChannels[s];
            }
        }
        layer1 = nn.Sequential(blocks[0]);
        layer2 = nn.Sequential(blocks[1]);
        layer3 = nn.Sequential(blocks[2]);
        layer4 = nn.Sequential(blocks[3]);
        RegisterComponents();
    }

    /// <summary>The number of basic blocks in each of the four stages.</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>The length of the feature vector <see cref="forward"/> returns: 512.</summary>
    public int FeatureCount => StageChannels[^1];

    internal PaddedConv2d Conv1 => conv1;

    internal BatchNorm2d Bn1 => bn1;

    internal PaddedMaxPool2d MaxPool => maxpool;

    internal IReadOnlyList<IReadOnlyList<ResNetBasicBlock>> Blocks => blocks;

    /// <summary>[N, 3, H, W] → [N, 512]: the trunk, then the global average pool, flattened.</summary>
    /// <param name="input">Images as <see cref="ResNetPreprocessing"/> makes them (BGR, mean image subtracted, 0–255 scale).</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardFromStage(ForwardFeatures(input, 4), 4).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The feature map after stage <paramref name="upToStage"/>: 0 = the stem (conv1, bn1, ReLU, maxpool; 64 × H/4),
    /// 1–4 = after layer1 … layer4 (64, 128, 256, 512 channels at H/4, H/8, H/16, H/32). Frozen early stages can be
    /// computed once and cached, then continued with <see cref="ForwardFromStage"/>.
    /// </summary>
    /// <param name="input">[N, 3, H, W].</param>
    /// <param name="upToStage">0 to 4.</param>
    public Tensor ForwardFeatures(Tensor input, int upToStage)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(upToStage, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(upToStage, 4);
        if (input.dim() != 4 || input.shape[1] != 3)
        {
            throw new ArgumentException($"Expected images [N, 3, H, W], got [{string.Join(", ", input.shape)}].", nameof(input));
        }
        using var scope = NewDisposeScope();
        Tensor x = maxpool.forward(nn.functional.relu(bn1.forward(conv1.forward(input))));
        Sequential[] layers = [layer1, layer2, layer3, layer4];
        for (int s = 0; s < upToStage; s++)
        {
            x = layers[s].forward(x);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Continues from the output of stage <paramref name="afterStage"/> (as <see cref="ForwardFeatures"/> returns it) to
    /// the pooled [N, 512] features.
    /// </summary>
    /// <param name="features">The feature map after stage <paramref name="afterStage"/>.</param>
    /// <param name="afterStage">0 to 4.</param>
    public Tensor ForwardFromStage(Tensor features, int afterStage)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(afterStage, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(afterStage, 4);
        using var scope = NewDisposeScope();
        Sequential[] layers = [layer1, layer2, layer3, layer4];
        Tensor x = features;
        for (int s = afterStage; s < 4; s++)
        {
            x = layers[s].forward(x);
        }
        return x.mean([2L, 3L]).MoveToOuterDisposeScope();
    }
}
