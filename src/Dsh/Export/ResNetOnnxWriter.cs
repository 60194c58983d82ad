using Dsh.Pretrained;
using Dsh.Trunks;
using Onnx;
using TorchSharp.Modules;
using static Dsh.Export.OnnxGraphBuilder;

namespace Dsh.Export;

/// <summary>
/// Writes a <see cref="ResNet18Trunk"/> (eval mode: running statistics, one branch's batch norms) into an ONNX graph:
/// Conv, BatchNormalization, Relu, MaxPool, Add, then GlobalAveragePool and Flatten to [N, 512].
/// </summary>
internal static class ResNetOnnxWriter
{
    /// <summary>
    /// Appends the trunk's frozen part (the stem and stages 1…<see cref="ResNet18Trunk.FrozenStages"/>; nothing when none
    /// is frozen) on <paramref name="input"/>; returns its output and side: the input of <see cref="WriteFromFrozen"/>.
    /// </summary>
    public static (string Output, long Size) WriteFrozen(OnnxGraphBuilder g, ResNet18Trunk trunk, SketchBranch branch, string input, long size, string prefix) =>
        Stages(g, trunk, branch, input, size, prefix, 0, trunk.FrozenStages);

    /// <summary>Appends the rest of the trunk on the frozen part's output; returns the [N, 512] value.</summary>
    public static string WriteFromFrozen(OnnxGraphBuilder g, ResNet18Trunk trunk, SketchBranch branch, string boundary, long size, string prefix)
    {
        (string x, _) = Stages(g, trunk, branch, boundary, size, prefix, trunk.FrozenStages, trunk.Blocks.Count);
        string pooled = g.Node("GlobalAveragePool", $"{prefix}pool", [x]);
        return g.Node("Flatten", $"{prefix}features", [pooled], n => n.Attribute.Add(Int("axis", 1)));
    }

    /// <summary>Stages <paramref name="from"/>+1 … <paramref name="to"/>, with the stem first when the range starts at the input.</summary>
    private static (string Output, long Size) Stages(OnnxGraphBuilder g, ResNet18Trunk trunk, SketchBranch branch, string input, long size,
        string prefix, int from, int to)
    {
        (string x, long s) = (input, size);
        if (from == 0 && to > 0)
        {
            (x, s) = Conv(g, trunk.Conv1, x, s, $"{prefix}conv1");
            x = g.Node("Relu", $"{prefix}relu", [Norm(g, trunk.StemNorm(branch), x, $"{prefix}bn1")]);
            (x, s) = MaxPool(g, trunk.MaxPool, x, s, $"{prefix}maxpool");
        }
        for (int stage = from; stage < to; stage++)
        {
            for (int b = 0; b < trunk.Blocks[stage].Count; b++)
            {
                (x, s) = Block(g, trunk.Blocks[stage][b], branch, x, s, $"{prefix}layer{stage + 1}.{b}.");
            }
        }
        return (x, s);
    }

    private static (string Output, long Size) Block(OnnxGraphBuilder g, ResNetBasicBlock block, SketchBranch branch, string input, long size, string prefix)
    {
        var (n1, n2, nd) = block.Norms(branch);
        (string x, long s) = Conv(g, block.Conv1, input, size, prefix + "conv1");
        x = g.Node("Relu", prefix + "relu1", [Norm(g, n1, x, prefix + "bn1")]);
        (x, long s2) = Conv(g, block.Conv2, x, s, prefix + "conv2");
        x = Norm(g, n2, x, prefix + "bn2");
        string shortcut = input;
        long shortcutSize = size;
        if (block.DownsampleConv is { } projection)
        {
            (shortcut, shortcutSize) = Conv(g, projection, input, size, prefix + "downsample.0");
            shortcut = Norm(g, nd!, shortcut, prefix + "downsample.1");
        }
        if (s2 != shortcutSize)
        {
            throw new NotSupportedException(
                $"{prefix.TrimEnd('.')}: a {size}×{size} map becomes {s2}×{s2} on the main path but {shortcutSize}×{shortcutSize} through the shortcut.");
        }
        string sum = g.Node("Add", prefix + "add", [x, shortcut]);
        return (g.Node("Relu", prefix + "relu2", [sum]), s2);
    }

    private static (string Output, long Size) Conv(OnnxGraphBuilder g, PaddedConv2d conv, string input, long size, string name)
    {
        long[] kernel = conv.Kernel;
        var p = conv.Padding.Resolve(size, size, kernel, conv.Stride, conv.Dilation);
        string weight = g.Initializer(name + ".weight", conv.Weight);
        string output = g.Node("Conv", name, [input, weight], n =>
        {
            n.Attribute.Add(Ints("kernel_shape", kernel));
            n.Attribute.Add(Ints("strides", conv.Stride));
            n.Attribute.Add(Ints("dilations", conv.Dilation));
            n.Attribute.Add(Ints("pads", p.Top, p.Left, p.Bottom, p.Right));
        });
        return (output, SpatialPadding.OutputLength(size, p.Top, p.Bottom, kernel[0], conv.Stride[0], conv.Dilation[0], ceil: false));
    }

    private static (string Output, long Size) MaxPool(OnnxGraphBuilder g, PaddedMaxPool2d pool, string input, long size, string name)
    {
        var p = pool.Padding.Resolve(size, size, pool.Kernel, pool.Stride, pool.Dilation);
        string output = g.Node("MaxPool", name, [input], n =>
        {
            n.Attribute.Add(Ints("kernel_shape", pool.Kernel));
            n.Attribute.Add(Ints("strides", pool.Stride));
            n.Attribute.Add(Ints("dilations", pool.Dilation));
            n.Attribute.Add(Ints("pads", p.Top, p.Left, p.Bottom, p.Right));
            n.Attribute.Add(Int("ceil_mode", pool.CeilMode ? 1 : 0));
        });
        return (output, SpatialPadding.OutputLength(size, p.Top, p.Bottom, pool.Kernel[0], pool.Stride[0], pool.Dilation[0], pool.CeilMode));
    }

    private static string Norm(OnnxGraphBuilder g, HeldBatchNorm2d norm, string input, string name)
    {
        string scale = g.Initializer(name + ".weight", norm.weight!);
        string bias = g.Initializer(name + ".bias", norm.bias!);
        string mean = g.Initializer(name + ".running_mean", norm.running_mean!);
        string variance = g.Initializer(name + ".running_var", norm.running_var!);
        return g.Node("BatchNormalization", name, [input, scale, bias, mean, variance],
            n => n.Attribute.Add(Float("epsilon", (float)norm.eps)));
    }
}
