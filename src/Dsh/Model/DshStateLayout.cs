using static TorchSharp.torch;

namespace Dsh;

/// <summary>One tensor of a <see cref="DshNetwork"/>'s <c>state_dict</c>, as the architecture alone determines it.</summary>
/// <param name="Name">The <c>state_dict</c> key.</param>
/// <param name="Shape">The tensor's shape (empty for a scalar).</param>
/// <param name="ElementType">float32, or int64 for a batch norm's <c>num_batches_tracked</c>.</param>
/// <param name="IsParameter">A learnable parameter (true) or a buffer such as batch-norm running statistics (false).</param>
internal sealed record DshStateEntry(string Name, long[] Shape, ScalarType ElementType, bool IsParameter)
{
    /// <summary>The number of elements (checked: throws <see cref="OverflowException"/> past <see cref="long.MaxValue"/>).</summary>
    public long Elements => Shape.Aggregate(1L, (n, d) => checked(n * d));

    /// <summary>The bytes the tensor holds (checked).</summary>
    public long Bytes => checked(Elements * (ElementType == ScalarType.Int64 ? 8L : 4L));
}

/// <summary>
/// The <c>state_dict</c> of a <see cref="DshNetwork"/> computed from a <see cref="DshArchitecture"/> without building
/// any module: every key with its shape and element type, the same set (in no promised order) that
/// <c>new DshNetwork(architecture).state_dict()</c> has. Lengths are computed in 64 bits, so a crafted architecture
/// cannot wrap them around.
/// </summary>
internal static class DshStateLayout
{
    /// <summary>The entries of a validated architecture.</summary>
    public static IReadOnlyList<DshStateEntry> Of(DshArchitecture a)
    {
        var entries = new List<DshStateEntry>();
        if (a.Backbone == DshBackbone.ResNet18)
        {
            ResNetTrunk(entries, "sketch_trunk.", a.TokenBatchNorm == TokenBatchNorm.PerBranch);
            ResNetTrunk(entries, "photo_trunk.", tokenBranch: false);
        }
        else
        {
            CaffeSketchTrunk(entries, a);
            CaffePhotoTrunk(entries, a);
        }
        long sketchFeatures, fusionInput;
        if (a.Backbone == DshBackbone.ResNet18)
        {
            sketchFeatures = ResNet18Trunk.StageChannels[^1];
            fusionInput = 2L * ResNet18Trunk.StageChannels[^1];
        }
        else
        {
            long side = a.SketchTrunkOutputSize;
            sketchFeatures = checked(a.SketchChannels[4] * side * side);
            fusionInput = checked(((long)a.SketchChannels[4] + a.PhotoChannels[4]) * side * side);
        }
        long s1 = a.SketchHeadWidths[0], s2 = a.SketchHeadWidths[1], f1 = a.FusionWidths[0], f2 = a.FusionWidths[1], k = a.CodeLength;
        Linear(entries, "sketch_head.fc_a", sketchFeatures, s1);
        Linear(entries, "sketch_head.fc_b", s1, s2);
        Linear(entries, "sketch_head.fc_code", s2, k);
        Linear(entries, "fusion.fc_a", fusionInput, f1);
        Linear(entries, "fusion.fc6", fusionInput, f1);
        Linear(entries, "fusion.fc_b", 2 * f1, f2);
        Linear(entries, "fusion.fc7", 2 * f1, f2);
        Linear(entries, "fusion.fc_code", 2 * f2, k);
        return entries;
    }

    private static void CaffeSketchTrunk(List<DshStateEntry> entries, DshArchitecture a)
    {
        IReadOnlyList<int> c = a.SketchChannels;
        Conv(entries, "sketch_trunk.conv1", 3, c[0], a.SketchConv1Kernel, bias: true);
        Conv(entries, "sketch_trunk.conv2_1", c[0], c[1], 3, bias: true);
        Conv(entries, "sketch_trunk.conv2_2", c[1], c[2], 3, bias: true);
        Conv(entries, "sketch_trunk.conv3_1", c[2], c[3], 3, bias: true);
        Conv(entries, "sketch_trunk.conv3_2", c[3], c[4], 3, bias: true);
        for (int i = 0; i < c.Count; i++)
        {
            BatchNorm(entries, $"sketch_trunk.sketch_bn.{i}", c[i]);
            if (a.TokenBatchNorm == TokenBatchNorm.PerBranch)
            {
                BatchNorm(entries, $"sketch_trunk.token_bn.{i}", c[i]);
            }
        }
    }

    private static void CaffePhotoTrunk(List<DshStateEntry> entries, DshArchitecture a)
    {
        IReadOnlyList<int> c = a.PhotoChannels;
        long g = a.PhotoGroups;
        Conv(entries, "photo_trunk.conv1", 3, c[0], a.PhotoConv1Kernel, bias: true);
        Conv(entries, "photo_trunk.conv2", c[0] / g, c[1], 5, bias: true);
        Conv(entries, "photo_trunk.conv3", c[1], c[2], 3, bias: true);
        Conv(entries, "photo_trunk.conv4", c[2] / g, c[3], 3, bias: true);
        Conv(entries, "photo_trunk.conv5", c[3] / g, c[4], 3, bias: true);
    }

    /// <summary>A <see cref="ResNet18Trunk"/> with the shipped blocks per stage (see its constructor and <see cref="ResNetBasicBlock"/>).</summary>
    private static void ResNetTrunk(List<DshStateEntry> entries, string prefix, bool tokenBranch)
    {
        Conv(entries, prefix + "conv1", 3, 64, 7, bias: false);
        BatchNorm(entries, prefix + "bn1", 64);
        if (tokenBranch)
        {
            BatchNorm(entries, prefix + "token_bn1", 64);
        }
        long inChannels = 64;
        for (int s = 0; s < 4; s++)
        {
            long outChannels = ResNet18Trunk.StageChannels[s];
            for (int b = 0; b < ResNet18Trunk.ShippedBlocks[s]; b++)
            {
                string block = $"{prefix}layer{s + 1}.{b}.";
                bool projects = (s > 0 && b == 0) || inChannels != outChannels;
                Conv(entries, block + "conv1", inChannels, outChannels, 3, bias: false);
                BatchNorm(entries, block + "bn1", outChannels);
                Conv(entries, block + "conv2", outChannels, outChannels, 3, bias: false);
                BatchNorm(entries, block + "bn2", outChannels);
                if (projects)
                {
                    Conv(entries, block + "downsample.0", inChannels, outChannels, 1, bias: false);
                    BatchNorm(entries, block + "downsample.1", outChannels);
                }
                if (tokenBranch)
                {
                    BatchNorm(entries, block + "token_bn1", outChannels);
                    BatchNorm(entries, block + "token_bn2", outChannels);
                    if (projects)
                    {
                        BatchNorm(entries, block + "token_downsample_bn", outChannels);
                    }
                }
                inChannels = outChannels;
            }
        }
    }

    private static void Conv(List<DshStateEntry> entries, string name, long inPerGroup, long outChannels, long kernel, bool bias)
    {
        entries.Add(new DshStateEntry(name + ".weight", [outChannels, inPerGroup, kernel, kernel], ScalarType.Float32, true));
        if (bias)
        {
            entries.Add(new DshStateEntry(name + ".bias", [outChannels], ScalarType.Float32, true));
        }
    }

    private static void Linear(List<DshStateEntry> entries, string name, long inputs, long outputs)
    {
        entries.Add(new DshStateEntry(name + ".weight", [outputs, inputs], ScalarType.Float32, true));
        entries.Add(new DshStateEntry(name + ".bias", [outputs], ScalarType.Float32, true));
    }

    private static void BatchNorm(List<DshStateEntry> entries, string name, long channels)
    {
        entries.Add(new DshStateEntry(name + ".weight", [channels], ScalarType.Float32, true));
        entries.Add(new DshStateEntry(name + ".bias", [channels], ScalarType.Float32, true));
        entries.Add(new DshStateEntry(name + ".running_mean", [channels], ScalarType.Float32, false));
        entries.Add(new DshStateEntry(name + ".running_var", [channels], ScalarType.Float32, false));
        entries.Add(new DshStateEntry(name + ".num_batches_tracked", [], ScalarType.Int64, false));
    }
}
