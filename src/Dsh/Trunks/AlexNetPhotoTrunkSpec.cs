using System.Text.Json.Serialization;
using Dsh.Imaging;

namespace Dsh.Trunks;

/// <summary>
/// The paper's C1-Net photo trunk: AlexNet (CaffeNet order) conv1…conv5 with LRN after pool1 and pool2, groups on conv2,
/// conv4 and conv5, and a final maxpool 3/2 with <see cref="Pool5Padding"/> (the deploy file's <c>pool5_new</c>). Inputs
/// use <see cref="ImageNormalization.Photo"/>. It has no batch norm, so a sketch-token branch changes nothing.
/// </summary>
public sealed record AlexNetPhotoTrunkSpec : CaffeTrunkSpec
{
    /// <summary>The name in model files.</summary>
    public const string KindName = "alexnet-photo";

    /// <inheritdoc />
    [JsonIgnore]
    public override string Kind => KindName;

    /// <summary>Groups of conv2, conv4 and conv5 (AlexNet's two-GPU split: 2).</summary>
    public int Groups { get; init; }

    /// <summary>Padding of the last max-pool (the deploy file's <c>pool5_new</c>: 1).</summary>
    public int Pool5Padding { get; init; }

    /// <summary>Local response normalisation window (channels) after pool1 and pool2.</summary>
    public int LrnSize { get; init; } = 5;

    /// <summary>LRN α (Caffe semantics, divided by the window size).</summary>
    public double LrnAlpha { get; init; } = 1e-4;

    /// <summary>LRN β.</summary>
    public double LrnBeta { get; init; } = 0.75;

    /// <summary>LRN k.</summary>
    public double LrnK { get; init; } = 1.0;

    /// <inheritdoc />
    [JsonIgnore]
    public override ImageNormalization Normalization => ImageNormalization.Photo;


    /// <inheritdoc />
    protected override string Title => "AlexNet photo trunk";

    /// <inheritdoc />
    protected override int LastPoolPadding => Pool5Padding;

    /// <inheritdoc />
    protected override void ValidateOwnFields()
    {
        RequirePositive(Groups, nameof(Groups));
        RequirePositive(LrnSize, nameof(LrnSize));
        if (Pool5Padding is < 0 or > 1)
        {
            throw new ArgumentException($"Pool5Padding must be 0 or 1 (a 3×3 pool allows at most 1), not {Pool5Padding}.", nameof(Pool5Padding));
        }
        foreach (int index in new[] { 1, 3, 4 })
        {
            int inChannels = Channels[index - 1];
            if (inChannels % Groups != 0 || Channels[index] % Groups != 0)
            {
                throw new ArgumentException(
                    $"Groups = {Groups} must divide the input and output channels of conv{index + 1} ({inChannels} → {Channels[index]}).",
                    nameof(Groups));
            }
        }
        if (!(LrnAlpha >= 0) || !double.IsFinite(LrnBeta) || !(LrnK > 0))
        {
            throw new ArgumentException("LRN parameters must be finite with α ≥ 0 and k > 0.", nameof(LrnAlpha));
        }
    }

    /// <inheritdoc />
    public override DshTrunk Build(bool tokenBranch) => new AlexNetPhotoTrunk(this);

    /// <inheritdoc />
    public override IReadOnlyList<StateEntry> StateLayout(bool tokenBranch)
    {
        var c = Channels;
        long g = Groups;
        return
        [
            .. StateEntry.Conv2d("conv1", 3, c[0], Conv1Kernel),
            .. StateEntry.Conv2d("conv2", c[0] / g, c[1], 5),
            .. StateEntry.Conv2d("conv3", c[1], c[2], 3),
            .. StateEntry.Conv2d("conv4", c[2] / g, c[3], 3),
            .. StateEntry.Conv2d("conv5", c[3] / g, c[4], 3),
        ];
    }
}
