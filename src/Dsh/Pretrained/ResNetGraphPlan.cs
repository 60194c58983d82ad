using Onnx;

namespace Dsh.Pretrained;

/// <summary>A convolution found in the graph: its weight initializer and geometry.</summary>
internal sealed record ConvPlan(string Label, TensorProto Weight, long[] Stride, long[] Dilation, SpatialPadding Padding);

/// <summary>A batch norm found in the graph: scale, shift, running mean and variance, ε.</summary>
internal sealed record NormPlan(string Label, TensorProto Scale, TensorProto Bias, TensorProto Mean, TensorProto Variance, double Epsilon);

/// <summary>The stem's max pool.</summary>
internal sealed record PoolPlan(string Label, long[] Kernel, long[] Stride, long[] Dilation, SpatialPadding Padding, bool CeilMode);

/// <summary>One basic block; the downsample pair is null for an identity shortcut.</summary>
internal sealed record BlockPlan(ConvPlan Conv1, NormPlan Bn1, ConvPlan Conv2, NormPlan Bn2, ConvPlan? DownsampleConv, NormPlan? DownsampleNorm);

/// <summary>What <see cref="ResNetGraphWalker"/> found: the stem, the blocks of each stage, the global pool.</summary>
internal sealed record ResNetGraphPlan(ConvPlan Conv1, NormPlan Bn1, PoolPlan MaxPool, IReadOnlyList<IReadOnlyList<BlockPlan>> Stages, string PoolLabel);

/// <summary>Channels and spatial size of a value at the graph's declared input size (0 = size not declared).</summary>
internal readonly record struct MapShape(long Channels, long Height, long Width)
{
    public bool KnownSize => Height > 0 && Width > 0;

    public override string ToString() => KnownSize ? $"{Channels}×{Height}×{Width}" : $"{Channels}×?×?";
}
