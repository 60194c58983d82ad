using System.Text.Json.Serialization;
using Dsh.Imaging;

namespace Dsh.Trunks;

/// <summary>
/// The paper's C2-Net trunk (its Caffe deploy file): conv <c>Channels[0]</c> k<see cref="CaffeTrunkSpec.Conv1Kernel"/>
/// s<see cref="CaffeTrunkSpec.Conv1Stride"/> → BN → ReLU → maxpool 3/2 → two conv k3 p1 (+BN, ReLU) → maxpool 3/2 → two conv k3 p1
/// (+BN, ReLU) → maxpool 3/2. In the sketch role its convolutions serve sketches and sketch-tokens, with batch norm per
/// branch unless the architecture shares it. Inputs use <see cref="ImageNormalization.Sketch"/>.
/// </summary>
public sealed record CaffeSketchTrunkSpec : CaffeTrunkSpec
{
    /// <summary>The name in model files.</summary>
    public const string KindName = "caffe-sketch";

    /// <inheritdoc />
    [JsonIgnore]
    public override string Kind => KindName;

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
    protected override string Title => "Caffe sketch trunk";

    /// <inheritdoc />
    protected override void ValidateOwnFields()
    {
        if (!(BatchNormEpsilon > 0) || !(BatchNormMomentum is > 0 and <= 1))
        {
            throw new ArgumentException("BatchNormEpsilon must be > 0 and BatchNormMomentum in (0, 1].", nameof(BatchNormMomentum));
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
}
