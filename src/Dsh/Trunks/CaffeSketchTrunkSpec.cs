using System.Text.Json.Serialization;
using Dsh.Imaging;

namespace Dsh.Trunks;

/// <summary>
/// The paper's C2-Net trunk (its Caffe deploy file): conv <c>Channels[0]</c> k<see cref="Conv1Kernel"/>
/// s<see cref="Conv1Stride"/> → BN → ReLU → maxpool 3/2 → two conv k3 p1 (+BN, ReLU) → maxpool 3/2 → two conv k3 p1
/// (+BN, ReLU) → maxpool 3/2. In the sketch role its convolutions serve sketches and sketch-tokens, with batch norm per
/// branch unless the architecture shares it. Inputs use <see cref="ImageNormalization.Sketch"/>.
/// </summary>
public sealed record CaffeSketchTrunkSpec : TrunkSpec
{
    /// <summary>The name in model files.</summary>
    public const string KindName = "caffe-sketch";

    /// <inheritdoc />
    [JsonIgnore]
    public override string Kind => KindName;

    /// <inheritdoc />
    public override int InputSize { get; init; }

    /// <summary>Kernel size of conv1.</summary>
    public int Conv1Kernel { get; init; }

    /// <summary>Stride of conv1.</summary>
    public int Conv1Stride { get; init; }

    /// <summary>Output channels of conv1, conv2_1, conv2_2, conv3_1, conv3_2 (5 values).</summary>
    public ValueList<int> Channels { get; init; } = ValueList<int>.Empty;

    /// <summary>Batch-norm ε (Caffe's 1e-5).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>
    /// Batch-norm running-statistics momentum (TorchSharp convention: weight of the new batch), default 0.1. The
    /// deploy files' Caffe moving-average fraction 0.999 would be 0.001 here; 0.1 lets the statistics follow a
    /// network trained from scratch (a departure from the deploy files, see docs/model.md).
    /// </summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <inheritdoc />
    [JsonIgnore]
    public override ImageNormalization Normalization => ImageNormalization.Sketch;

    /// <inheritdoc />
    [JsonIgnore]
    public override bool SupportsPaperFillers => true;

    /// <inheritdoc />
    [JsonIgnore]
    public override FeatureShape FeatureShape
    {
        get
        {
            int side = Sizes()[^1];
            return new FeatureShape(Channels[^1], side, side);
        }
    }

    /// <inheritdoc />
    public override string DescribeShapes() => $"sizes {string.Join(" → ", Sizes())}";

    /// <inheritdoc />
    public override void Validate()
    {
        RequirePositive(InputSize, nameof(InputSize));
        RequirePositive(Conv1Kernel, nameof(Conv1Kernel));
        RequirePositive(Conv1Stride, nameof(Conv1Stride));
        RequireWidths(Channels, 5, nameof(Channels));
        if (!(BatchNormEpsilon > 0) || !(BatchNormMomentum is > 0 and <= 1))
        {
            throw new ArgumentException("BatchNormEpsilon must be > 0 and BatchNormMomentum in (0, 1].", nameof(BatchNormMomentum));
        }
        int[] sizes = Sizes();
        if (sizes[^1] < 1)
        {
            throw new ArgumentException(
                $"InputSize {InputSize} is too small for the Caffe sketch trunk (sizes {string.Join(" → ", sizes)}).", nameof(InputSize));
        }
    }

    /// <inheritdoc />
    public override DshTrunk Build(bool tokenBranch) => new CaffeSketchTrunk(this, tokenBranch);

    /// <inheritdoc />
    public override IReadOnlyList<StateEntry> StateLayout(bool tokenBranch)
    {
        var c = Channels;
        var entries = new List<StateEntry>();
        entries.AddRange(StateEntry.Conv2d("conv1", 3, c[0], Conv1Kernel));
        entries.AddRange(StateEntry.Conv2d("conv2_1", c[0], c[1], 3));
        entries.AddRange(StateEntry.Conv2d("conv2_2", c[1], c[2], 3));
        entries.AddRange(StateEntry.Conv2d("conv3_1", c[2], c[3], 3));
        entries.AddRange(StateEntry.Conv2d("conv3_2", c[3], c[4], 3));
        for (int i = 0; i < c.Count; i++)
        {
            entries.AddRange(StateEntry.BatchNorm2d($"sketch_bn.{i}", c[i]));
            if (tokenBranch)
            {
                entries.AddRange(StateEntry.BatchNorm2d($"token_bn.{i}", c[i]));
            }
        }
        return entries;
    }

    /// <summary>Spatial sides through the trunk: input, conv1, pool1, pool2, pool3.</summary>
    public int[] Sizes()
    {
        int conv1 = ConvArithmetic.Output(InputSize, Conv1Kernel, Conv1Stride, 0);
        int pool1 = ConvArithmetic.Pool3x2(conv1, 0);
        int pool2 = ConvArithmetic.Pool3x2(pool1, 0);
        int pool3 = ConvArithmetic.Pool3x2(pool2, 0);
        return [InputSize, conv1, pool1, pool2, pool3];
    }
}
