using Dsh.Trunks;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>Copies a <see cref="ResNetGraphPlan"/>'s initializers and geometry into a <see cref="ResNet18Trunk"/>.</summary>
internal static class ResNetWeightCopier
{
    public static void Apply(ResNetGraphPlan plan, ResNet18Trunk trunk)
    {
        int[] found = plan.Stages.Select(s => s.Count).ToArray();
        if (!found.SequenceEqual(trunk.BlocksPerStage))
        {
            throw new InvalidDataException(
                $"The graph has [{string.Join(", ", found)}] blocks per stage; the trunk has [{string.Join(", ", trunk.BlocksPerStage)}].");
        }
        using var noGrad = no_grad();
        Conv(plan.Conv1, trunk.Conv1);
        Norm(plan.Bn1, trunk.Bn1, trunk.TokenBn1);
        PaddedMaxPool2d pool = trunk.MaxPool;
        (pool.Kernel, pool.Stride, pool.Dilation, pool.Padding, pool.CeilMode) =
            (plan.MaxPool.Kernel, plan.MaxPool.Stride, plan.MaxPool.Dilation, plan.MaxPool.Padding, plan.MaxPool.CeilMode);
        for (int s = 0; s < plan.Stages.Count; s++)
        {
            for (int b = 0; b < plan.Stages[s].Count; b++)
            {
                BlockPlan from = plan.Stages[s][b];
                ResNetBasicBlock to = trunk.Blocks[s][b];
                string where = $"layer{s + 1}.{b}";
                if ((from.DownsampleConv is null) != (to.DownsampleConv is null))
                {
                    throw new InvalidDataException(
                        $"{from.Conv1.Label} starts block {where}, which {(to.DownsampleConv is null ? "has an identity" : "needs a 1×1 projection")} shortcut in ResNet; the graph's is {(from.DownsampleConv is null ? "identity" : "a projection")}.");
                }
                var token = to.HasTokenBranch ? to.Norms(SketchBranch.Token) : default;
                Conv(from.Conv1, to.Conv1);
                Norm(from.Bn1, to.Bn1, token.Bn1);
                Conv(from.Conv2, to.Conv2);
                Norm(from.Bn2, to.Bn2, token.Bn2);
                if (from.DownsampleConv is not null)
                {
                    Conv(from.DownsampleConv, to.DownsampleConv!);
                    Norm(from.DownsampleNorm!, to.DownsampleNorm!, token.Downsample);
                }
            }
        }
    }

    private static void Conv(ConvPlan from, PaddedConv2d to)
    {
        Copy(from.Weight, to.Weight, from.Label + " weight");
        (to.Stride, to.Dilation, to.Padding) = (from.Stride, from.Dilation, from.Padding);
    }

    /// <summary>Fills <paramref name="to"/> and, when the trunk has a sketch-token branch, its twin with the same values.</summary>
    private static void Norm(NormPlan from, HeldBatchNorm2d to, HeldBatchNorm2d? twin)
    {
        Norm(from, to);
        if (twin is not null)
        {
            Norm(from, twin);
        }
    }

    private static void Norm(NormPlan from, HeldBatchNorm2d to)
    {
        Copy(from.Scale, to.weight!, from.Label + " scale");
        Copy(from.Bias, to.bias!, from.Label + " bias");
        Copy(from.Mean, to.running_mean!, from.Label + " mean");
        Copy(from.Variance, to.running_var!, from.Label + " variance");
        to.eps = from.Epsilon;
    }

    private static void Copy(Onnx.TensorProto source, Tensor destination, string context)
    {
        float[] values = OnnxTensors.Floats(source, destination.shape, context);
        using Tensor t = tensor(values, destination.shape);
        destination.copy_(t);
    }
}
