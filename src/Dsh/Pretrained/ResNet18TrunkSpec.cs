using System.Text.Json.Serialization;
using Dsh.Imaging;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>
/// An ImageNet ResNet-18 trunk: the ONNX model of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, imported when training
/// starts (<see cref="LoadPretrainedWeights"/>), ending in the 512-d global average pool. In the sketch role its
/// convolutions serve sketches and sketch-tokens with batch norm per branch unless the architecture shares it. The first
/// <see cref="FrozenStages"/> stages keep their ImageNet weights and statistics; the trainer computes their output once
/// per image and caches it. Inputs use <see cref="ImageNormalization.ResNet18Onnx"/>.
/// </summary>
public sealed record ResNet18TrunkSpec : TrunkSpec
{
    /// <summary>The name in model files.</summary>
    public const string KindName = "resnet18";

    /// <summary>The input side of the ResNet18 profile.</summary>
    public const int DefaultInputSize = 224;

    /// <summary>The smallest input side a ResNet-18 trunk accepts (its total stride).</summary>
    public const int MinInputSize = 32;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Kind => KindName;

    /// <inheritdoc />
    public override int InputSize { get; init; } = DefaultInputSize;

    /// <summary>How many stages do not learn (0–4; the stem counts with stage 1).</summary>
    public int FrozenStages { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override ImageNormalization Normalization => ImageNormalization.ResNet18Onnx;

    /// <inheritdoc />
    [JsonIgnore]
    public override FeatureShape FeatureShape => new(ResNet18Trunk.StageChannels[^1], 1, 1);

    /// <inheritdoc />
    [JsonIgnore]
    public override bool HasPretrainedWeights => true;

    /// <inheritdoc />
    public override void Validate()
    {
        if (InputSize < MinInputSize || InputSize > DshLimits.MaxDimension)
        {
            throw new ArgumentException(
                $"A ResNet-18 trunk needs inputs of {MinInputSize} (its total stride) to {DshLimits.MaxDimension} px, not {InputSize}.", nameof(InputSize));
        }
        if (ResNet18Trunk.InputSizeProblem(InputSize) is { } problem)
        {
            int below = InputSize / 32 * 32;
            throw new ArgumentException(
                $"InputSize {InputSize} does not fit the ResNet-18 trunk: {problem}. With the shipped model's begin-heavy padding it takes sides of " +
                $"32·n to 32·n + 3 px, such as {below} or {below + 32}.", nameof(InputSize));
        }
        if (FrozenStages is < 0 or > 4)
        {
            throw new ArgumentException($"FrozenStages must be 0 to 4 (a ResNet has four stages), not {FrozenStages}.", nameof(FrozenStages));
        }
    }

    /// <inheritdoc />
    public override DshTrunk Build(bool tokenBranch)
    {
        Validate();
        var trunk = new ResNet18Trunk(ResNet18Trunk.ShippedBlocks, tokenBranch);
        trunk.Freeze(FrozenStages);
        return trunk;
    }

    /// <inheritdoc />
    public override IReadOnlyList<StateEntry> StateLayout(bool tokenBranch)
    {
        var entries = new List<StateEntry>();
        entries.AddRange(StateEntry.Conv2d("conv1", 3, 64, 7, bias: false));
        entries.AddRange(StateEntry.BatchNorm2d("bn1", 64));
        if (tokenBranch)
        {
            entries.AddRange(StateEntry.BatchNorm2d("token_bn1", 64));
        }
        long inChannels = 64;
        for (int s = 0; s < 4; s++)
        {
            long outChannels = ResNet18Trunk.StageChannels[s];
            for (int b = 0; b < ResNet18Trunk.ShippedBlocks[s]; b++)
            {
                string block = $"layer{s + 1}.{b}.";
                bool projects = (s > 0 && b == 0) || inChannels != outChannels;
                entries.AddRange(StateEntry.Conv2d(block + "conv1", inChannels, outChannels, 3, bias: false));
                entries.AddRange(StateEntry.BatchNorm2d(block + "bn1", outChannels));
                entries.AddRange(StateEntry.Conv2d(block + "conv2", outChannels, outChannels, 3, bias: false));
                entries.AddRange(StateEntry.BatchNorm2d(block + "bn2", outChannels));
                if (projects)
                {
                    entries.AddRange(StateEntry.Conv2d(block + "downsample.0", inChannels, outChannels, 1, bias: false));
                    entries.AddRange(StateEntry.BatchNorm2d(block + "downsample.1", outChannels));
                }
                if (tokenBranch)
                {
                    entries.AddRange(StateEntry.BatchNorm2d(block + "token_bn1", outChannels));
                    entries.AddRange(StateEntry.BatchNorm2d(block + "token_bn2", outChannels));
                    if (projects)
                    {
                        entries.AddRange(StateEntry.BatchNorm2d(block + "token_downsample_bn", outChannels));
                    }
                }
                inChannels = outChannels;
            }
        }
        return entries;
    }

    /// <inheritdoc />
    /// <remarks>The stem (<c>conv1</c>, <c>bn1</c>, <c>token_bn1</c>) and <c>layer1</c> … <c>layer{FrozenStages}</c>, as
    /// <see cref="ResNet18Trunk.Freeze"/> freezes them.</remarks>
    public override bool IsFrozenStateEntry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (FrozenStages == 0)
        {
            return false;
        }
        if (name.StartsWith("conv1.", StringComparison.Ordinal) || name.StartsWith("bn1.", StringComparison.Ordinal)
            || name.StartsWith("token_bn1.", StringComparison.Ordinal))
        {
            return true;
        }
        for (int stage = 1; stage <= FrozenStages; stage++)
        {
            if (name.StartsWith($"layer{stage}.", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <inheritdoc />
    public override void CheckPretrainedWeights(string? path)
    {
        if (!File.Exists(path ?? ResNet18Onnx.DefaultPath))
        {
            throw path is null
                ? new FileNotFoundException($"The ResNet18 profile starts from ImageNet weights, and {ResNet18Onnx.DefaultPath} does not exist. {ResNet18Onnx.MissingHint}", ResNet18Onnx.DefaultPath)
                : new FileNotFoundException($"ImageNetWeightsPath {path} does not exist. {ResNet18Onnx.MissingHint}", path);
        }
    }

    /// <summary>
    /// Fills the trunk (the sketch trunk's two sets of batch norm alike) with the ImageNet weights of the ONNX model at
    /// <paramref name="path"/> (null: <see cref="ResNet18Onnx.DefaultPath"/>), and reorders the first convolution's input
    /// channels from the file's B, G, R to the R, G, B that Dsh's images have (<see cref="ImageNormalization.ResNet18Onnx"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the NuGet package to add.</exception>
    /// <exception cref="InvalidDataException">The file is not a ResNet trunk with 2, 2, 2, 3 blocks per stage.</exception>
    public override void LoadPretrainedWeights(DshTrunk trunk, string? path)
    {
        var resnet = trunk as ResNet18Trunk
            ?? throw new ArgumentException($"A {nameof(ResNet18TrunkSpec)} loads into a {nameof(ResNet18Trunk)}, not a {trunk?.GetType().Name}.", nameof(trunk));
        ResNet18Onnx.LoadInto(resnet, path ?? ResNet18Onnx.DefaultPath);
        using var noGrad = no_grad();
        Tensor weight = resnet.Conv1.Weight;
        using Tensor rgb = weight.flip(1);
        weight.copy_(rgb);
    }
}
