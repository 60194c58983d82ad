using System.Text.Json.Serialization;
using Dsh.Imaging;
using Dsh.Trunks;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.TrunkExtension.Tests;

/// <summary>
/// A backbone defined outside the library, in this one file and through the public API only: conv 3→<see cref="Channels"/>
/// k3 s2 p1 → batch norm (one per branch in the sketch role unless the architecture shares it) → ReLU → adaptive average
/// pool to <see cref="PooledSide"/>×<see cref="PooledSide"/>. Its inputs have their own normalisation
/// (<see cref="TinyNormalization"/>).
/// </summary>
/// <remarks>
/// Model headers store a spec's public properties: System.Text.Json does not inherit the base's <c>[JsonIgnore]</c> on
/// an override, so every overridden computed member (<see cref="Kind"/>, <see cref="Normalization"/>,
/// <see cref="FeatureShape"/>) and every computed property of this spec (<see cref="ConvSide"/>) repeats it.
/// </remarks>
public sealed record TinyTrunkSpec : TrunkSpec
{
    /// <summary>The name in model files.</summary>
    public const string KindName = "tiny-test";

    /// <summary>The tiny trunk's own pixel statistics (neither the sketch nor the ImageNet ones).</summary>
    public static ImageNormalization TinyNormalization { get; } = new(0.45f, 0.45f, 0.45f, 0.25f, 0.25f, 0.25f);

    /// <inheritdoc />
    [JsonIgnore]
    public override string Kind => KindName;

    /// <inheritdoc />
    public override int InputSize { get; init; } = 32;

    /// <summary>Output channels of the one convolution.</summary>
    public int Channels { get; init; } = 8;

    /// <summary>Side of the adaptive average pool's output.</summary>
    public int PooledSide { get; init; } = 2;

    /// <summary>Batch-norm ε.</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <inheritdoc />
    [JsonIgnore]
    public override ImageNormalization Normalization => TinyNormalization;

    /// <inheritdoc />
    [JsonIgnore]
    public override FeatureShape FeatureShape => new(Channels, PooledSide, PooledSide);

    /// <summary>Side of the convolution's output: k3, s2, p1.</summary>
    [JsonIgnore]
    public int ConvSide => (InputSize + 2 * 1 - 3) / 2 + 1;

    /// <inheritdoc />
    public override string DescribeShapes() => $"{InputSize} px → conv {ConvSide} → pool {PooledSide}";

    /// <inheritdoc />
    public override void Validate()
    {
        RequirePositive(InputSize, nameof(InputSize));
        RequirePositive(Channels, nameof(Channels));
        RequirePositive(PooledSide, nameof(PooledSide));
        if (!(BatchNormEpsilon > 0) || !double.IsFinite(BatchNormEpsilon))
        {
            throw new ArgumentException($"BatchNormEpsilon must be a finite value > 0, not {BatchNormEpsilon}.", nameof(BatchNormEpsilon));
        }
        if (PooledSide > ConvSide)
        {
            throw new ArgumentException(
                $"PooledSide {PooledSide} is larger than the convolution's output ({DescribeShapes()}).", nameof(PooledSide));
        }
    }

    /// <inheritdoc />
    public override DshTrunk Build(bool tokenBranch) => new TinyTrunk(this, tokenBranch);

    /// <inheritdoc />
    public override IReadOnlyList<StateEntry> StateLayout(bool tokenBranch) =>
    [
        .. StateEntry.Conv2d("conv", 3, Channels, 3),
        .. StateEntry.BatchNorm2d("sketch_bn", Channels),
        .. tokenBranch ? StateEntry.BatchNorm2d("token_bn", Channels) : [],
    ];
}

/// <summary>The module of <see cref="TinyTrunkSpec"/>: keys <c>conv.*</c>, <c>sketch_bn.*</c> and (token branch) <c>token_bn.*</c>.</summary>
public sealed class TinyTrunk : DshTrunk
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Conv2d conv;
    private readonly HeldBatchNorm2d sketch_bn;
    private readonly HeldBatchNorm2d? token_bn;
    private readonly AdaptiveAvgPool2d pool;
#pragma warning restore IDE1006

    /// <summary>Builds the trunk <paramref name="spec"/> describes.</summary>
    /// <param name="spec">The spec (validated here).</param>
    /// <param name="tokenBranch">Keep separate batch norm for sketch-tokens.</param>
    public TinyTrunk(TinyTrunkSpec spec, bool tokenBranch) : base(nameof(TinyTrunk))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        conv = nn.Conv2d(3, spec.Channels, 3, stride: 2, padding: 1);
        sketch_bn = new HeldBatchNorm2d(spec.Channels, eps: spec.BatchNormEpsilon);
        token_bn = tokenBranch ? new HeldBatchNorm2d(spec.Channels, eps: spec.BatchNormEpsilon) : null;
        pool = nn.AdaptiveAvgPool2d(spec.PooledSide);
        RegisterComponents();
    }

    /// <summary>Whether sketch-tokens have their own batch norm.</summary>
    public bool HasTokenBatchNorm => token_bn is not null;

    /// <inheritdoc />
    public override Tensor forward(Tensor input, SketchBranch branch)
    {
        HeldBatchNorm2d norm = branch == SketchBranch.Token && token_bn is not null ? token_bn : sketch_bn;
        using var scope = NewDisposeScope();
        return pool.forward(nn.functional.relu(norm.forward(conv.forward(input)))).MoveToOuterDisposeScope();
    }
}
