using System.Text.Json.Serialization;
using Dsh.Imaging;
using Dsh.Model;

namespace Dsh.Trunks;

/// <summary>
/// Everything about one backbone trunk: its input (<see cref="InputSize"/>, <see cref="Normalization"/>, and the padding
/// colour its role gives), the shape of its features, its validation, the module it builds, which of its stages are
/// frozen and where its pretrained weights come from. <see cref="DshArchitecture"/> holds one for the sketch role and
/// one for the photo role; a new backbone is one new spec (a sealed record deriving from this) with its module (a
/// <see cref="DshTrunk"/>), registered with <see cref="TrunkSpecs.Register{TSpec}"/> so model files that name it can
/// be read.
/// </summary>
/// <remarks>
/// Specs are records: value equality is what decides whether a checkpoint belongs to a run, so keep every field a
/// value (numbers, enums, strings, <see cref="ValueList{T}"/>). Model files store a spec as JSON: its
/// <see cref="Kind"/> and its public properties, less the computed ones this class declares (<see cref="Normalization"/>,
/// <see cref="FeatureShape"/>, …), which are never written even when a spec overrides them.
/// </remarks>
public abstract record TrunkSpec
{
    /// <summary>The name model files store for this kind of trunk (e.g. <c>resnet18</c>); unique among registered specs.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>Side in pixels of the square inputs (3 channels).</summary>
    public abstract int InputSize { get; init; }

    /// <summary>How pixels become input values for this trunk.</summary>
    [JsonIgnore]
    public abstract ImageNormalization Normalization { get; }

    /// <summary>What the trunk makes of one image (valid only after <see cref="Validate"/> passes).</summary>
    [JsonIgnore]
    public abstract FeatureShape FeatureShape { get; }

    /// <summary>Whether <see cref="DshInitialization.PaperFillers"/> applies to this trunk.</summary>
    [JsonIgnore]
    public virtual bool SupportsPaperFillers => false;

    /// <summary>Whether <see cref="LoadPretrainedWeights"/> does anything (then training starts from those weights).</summary>
    [JsonIgnore]
    public virtual bool HasPretrainedWeights => false;

    /// <summary>
    /// The input of this trunk in <paramref name="role"/>: <see cref="InputSize"/>, <see cref="Normalization"/>, and
    /// white padding for sketches and sketch-tokens or the ImageNet mean colour for photos.
    /// </summary>
    public virtual ImageInputSpec Input(TrunkRole role) =>
        new(InputSize, role == TrunkRole.Sketch ? DshImaging.SketchPadColor : DshImaging.PhotoPadColor, Normalization);

    /// <summary>The spatial sides through the trunk, for error messages (e.g. <c>224 px → 512×1×1</c>).</summary>
    public virtual string DescribeShapes() => $"{InputSize} px → {FeatureShape}";

    /// <summary>Checks every field and the shapes they produce.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public abstract void Validate();

    /// <summary>Builds the module (float32, CPU, TorchSharp's default initialisation, frozen parts already frozen).</summary>
    /// <param name="tokenBranch">Sketch role only: keep separate batch-norm statistics for sketch-tokens.</param>
    public abstract DshTrunk Build(bool tokenBranch);

    /// <summary>
    /// The module's <c>state_dict</c> entries (their set; the order does not matter), computed from the spec alone: what loading a model file checks
    /// its budget and its tensors against before anything is built. The default builds the module and reads it; a spec
    /// whose module is large should override this.
    /// </summary>
    public virtual IReadOnlyList<StateEntry> StateLayout(bool tokenBranch)
    {
        using DshTrunk trunk = Build(tokenBranch);
        return trunk.state_dict()
            .Select(p => new StateEntry(p.Key, p.Value.shape, p.Value.dtype, trunk.named_parameters().Any(n => n.name == p.Key)))
            .ToArray();
    }

    /// <summary>
    /// Whether the <c>state_dict</c> entry <paramref name="name"/> (a key of <see cref="StateLayout"/>) belongs to the
    /// trunk's frozen part: what <see cref="DshTrunk.ForwardFrozen"/> runs and training never changes. A network of
    /// several members keeps these once, in its first member (<see cref="DshArchitecture.Members"/>). The default:
    /// none (a trunk without a frozen part).
    /// </summary>
    public virtual bool IsFrozenStateEntry(string name) => false;

    /// <summary>Checks that the pretrained weights can be found at <paramref name="path"/> (null: the default place).</summary>
    /// <exception cref="FileNotFoundException">They cannot; the message says where to get them.</exception>
    public virtual void CheckPretrainedWeights(string? path)
    {
    }

    /// <summary>Fills <paramref name="trunk"/> (built by this spec) with the pretrained weights at <paramref name="path"/>.</summary>
    public virtual void LoadPretrainedWeights(DshTrunk trunk, string? path)
    {
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> unless 1 ≤ value ≤ <see cref="DshLimits.MaxDimension"/>.</summary>
    protected static void RequirePositive(int value, string name)
    {
        if (value < 1 || value > DshLimits.MaxDimension)
        {
            throw new ArgumentException($"{name} must be in [1, {DshLimits.MaxDimension}], not {value}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="values"/> has <paramref name="count"/> values, each as <see cref="RequirePositive"/>.</summary>
    protected static void RequireWidths(IReadOnlyList<int>? values, int count, string name)
    {
        if (values is null || values.Count != count)
        {
            throw new ArgumentException($"{name} must have {count} values, not {values?.Count ?? 0}.", name);
        }
        for (int i = 0; i < values.Count; i++)
        {
            RequirePositive(values[i], $"{name}[{i}]");
        }
    }
}
