using System.Text.Json.Serialization;

namespace Dsh.Trunks;

/// <summary>
/// What the paper's two Caffe trunks share: conv1 (kernel <see cref="Conv1Kernel"/>, stride <see cref="Conv1Stride"/>) and
/// four more convolutions whose output channels are <see cref="Channels"/>, with three 3×3 stride-2 max-pools that end
/// the trunk on a square map of <see cref="Sizes"/><c>[^1]</c> pixels.
/// </summary>
public abstract record CaffeTrunkSpec : TrunkSpec
{
    /// <inheritdoc />
    public override int InputSize { get; init; }

    /// <summary>Kernel size of conv1.</summary>
    public int Conv1Kernel { get; init; }

    /// <summary>Stride of conv1.</summary>
    public int Conv1Stride { get; init; }

    /// <summary>Output channels of the five convolutions, in order.</summary>
    public ValueList<int> Channels { get; init; } = ValueList<int>.Empty;

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

    /// <summary>Padding of the last max-pool (0 unless a trunk says otherwise).</summary>
    protected virtual int LastPoolPadding => 0;

    /// <summary>The trunk's name in messages.</summary>
    protected abstract string Title { get; }

    /// <inheritdoc />
    public override string DescribeShapes() => $"sizes {string.Join(" → ", Sizes())}";

    /// <summary>Spatial sides through the trunk: input, conv1, pool1, pool2, last pool.</summary>
    public int[] Sizes()
    {
        int conv1 = ConvArithmetic.Output(InputSize, Conv1Kernel, Conv1Stride, 0);
        int pool1 = ConvArithmetic.Pool3x2(conv1, 0);
        int pool2 = ConvArithmetic.Pool3x2(pool1, 0);
        int last = ConvArithmetic.Pool3x2(pool2, LastPoolPadding);
        return [InputSize, conv1, pool1, pool2, last];
    }

    /// <inheritdoc />
    public sealed override void Validate()
    {
        RequirePositive(InputSize, nameof(InputSize));
        RequirePositive(Conv1Kernel, nameof(Conv1Kernel));
        RequirePositive(Conv1Stride, nameof(Conv1Stride));
        RequireWidths(Channels, 5, nameof(Channels));
        ValidateOwnFields();
        int[] sizes = Sizes();
        if (sizes[^1] < 1)
        {
            throw new ArgumentException(
                $"InputSize {InputSize} is too small for the {Title} (sizes {string.Join(" → ", sizes)}).", nameof(InputSize));
        }
    }

    /// <summary>Checks the fields a trunk adds (after the shared ones, before the sizes).</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    protected abstract void ValidateOwnFields();
}
