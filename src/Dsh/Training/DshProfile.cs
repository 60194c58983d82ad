using System.Diagnostics.CodeAnalysis;
using Dsh.Pretrained;

namespace Dsh.Training;

/// <summary>
/// A named training profile: a network (<see cref="Architecture(int)"/>) and the trainer defaults measured for it
/// (<see cref="TrainerOptions"/>). The one place that maps the names <c>resnet18</c>, <c>compact</c> and <c>paper</c>
/// (<see cref="Parse"/>) to networks and defaults; the <c>dsh</c> tool, the benchmarks and the samples all go through it.
/// </summary>
/// <remarks>
/// <see cref="ResNet18"/> (the default, <see cref="Default"/>) starts from ImageNet ResNet-18 trunks and needs their ONNX
/// file (the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, see
/// <see cref="DshTrainerOptions.ImageNetWeightsPath"/>); <see cref="Compact"/> trains a small network from scratch at 64 px
/// and needs nothing else; <see cref="Paper"/> is the paper's deploy network, trained from scratch. Every profile trains
/// <see cref="Epochs"/> = 6 epochs with seed 1 and the learning rate of <see cref="DefaultLearningRate(DshArchitecture)"/> (docs/training.md).
/// </remarks>
public sealed record DshProfile
{
    /// <summary>The code length of <see cref="DshTrainerOptions"/>' default architecture and of <c>dsh train</c>: 64 bits.</summary>
    public const int DefaultCodeLength = 64;

    /// <summary>The learning rate of codes up to <see cref="LongCodeLength"/> bits: 1e-2.</summary>
    public const double BaseLearningRate = 1e-2;

    /// <summary>Codes longer than this (64 bits) get a learning rate scaled down by 32 / K, or 64 / K when the photo trunk learns (<see cref="DefaultLearningRate(DshArchitecture)"/>).</summary>
    public const int LongCodeLength = 64;

    private readonly Func<int, DshArchitecture> _architecture;

    private DshProfile(string name, Func<int, DshArchitecture> architecture, bool hasFrozenStages, int epochs, int seed, int minimumSteps)
    {
        MinimumSteps = minimumSteps;
        Name = name;
        _architecture = architecture;
        HasFrozenStages = hasFrozenStages;
        Epochs = epochs;
        Seed = seed;
    }

    /// <summary>
    /// <c>resnet18</c>: <see cref="DshArchitecture.ResNet18"/>, ImageNet ResNet-18 trunks at 224 px (sketch-token maps at
    /// 128 px), sketches and photos encoded as they are and mirrored, the best measured (mAP@all 0.908 / 0.9015 at 64 / 128 bits on PACS,
    /// the mean of four training seeds, in about 9 minutes on two CPU cores, docs/results.md). Needs the ImageNet ONNX
    /// file (<see cref="DshTrainerOptions.ImageNetWeightsPath"/>).
    /// </summary>
    public static DshProfile ResNet18 { get; } = new("resnet18", DshArchitecture.ResNet18, hasFrozenStages: true, epochs: 6, seed: 1, minimumSteps: 250);

    /// <summary><c>compact</c>: <see cref="DshArchitecture.Compact"/>, 64 px, trained from scratch; about 10× cheaper, no ONNX file, much weaker on real photos.</summary>
    public static DshProfile Compact { get; } = new("compact", DshArchitecture.Compact, hasFrozenStages: false, epochs: 6, seed: 1, minimumSteps: 0);

    /// <summary><c>paper</c>: <see cref="DshArchitecture.Paper"/>, the CVPR 2017 deploy network (200 / 227 px), trained from scratch.</summary>
    public static DshProfile Paper { get; } = new("paper", DshArchitecture.Paper, hasFrozenStages: false, epochs: 6, seed: 1, minimumSteps: 0);

    /// <summary>The default profile, <see cref="ResNet18"/>: the one of <c>new DshTrainerOptions()</c> and of <c>dsh train</c>.</summary>
    public static DshProfile Default => ResNet18;

    /// <summary>Every profile: <see cref="ResNet18"/>, <see cref="Compact"/>, <see cref="Paper"/>.</summary>
    public static IReadOnlyList<DshProfile> All { get; } = Array.AsReadOnly(new[] { ResNet18, Compact, Paper });

    /// <summary>The names <see cref="Parse"/> accepts, in the order of <see cref="All"/>: <c>resnet18</c>, <c>compact</c>, <c>paper</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(All.Select(p => p.Name).ToArray());

    /// <summary>The profile's name, lower case (<c>resnet18</c>, <c>compact</c>, <c>paper</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Whether the trunks have stages that can be kept at their ImageNet weights (<see cref="Architecture(int, int?, int?)"/>):
    /// true for <see cref="ResNet18"/> only.
    /// </summary>
    public bool HasFrozenStages { get; }

    /// <summary>The default number of outer iterations (6 for every profile, as measured for resnet18: docs/results.md).</summary>
    public int Epochs { get; }

    /// <summary>
    /// The fewest network steps a run takes (<see cref="DshTrainerOptions.MinimumSteps"/>): small datasets get more
    /// epochs. 250 for <see cref="ResNet18"/> (measured, docs/results.md); 0 (off) for the profiles trained from scratch.
    /// </summary>
    public int MinimumSteps { get; }

    /// <summary>The minimum steps of the profile an architecture belongs to: <see cref="ResNet18"/>'s when both trunks are ImageNet ResNet-18s, else 0.</summary>
    /// <param name="architecture">The network.</param>
    public static int MinimumStepsFor(DshArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return HasImageNetTrunks(architecture) ? ResNet18.MinimumSteps : 0;
    }

    /// <summary>The default seed of everything random in training (1 for every profile).</summary>
    public int Seed { get; }

    /// <summary>The profile's network at <paramref name="codeLength"/> bits.</summary>
    /// <param name="codeLength">Code length K in bits (at least <see cref="DshArchitecture.MinCodeLength"/>).</param>
    /// <exception cref="ArgumentException">The code length is out of range.</exception>
    public DshArchitecture Architecture(int codeLength) => _architecture(codeLength);

    /// <summary>
    /// The profile's network at <paramref name="codeLength"/> bits with other frozen-stage counts (photo and sketch trunk
    /// stages, 0–4, kept at their ImageNet weights); null keeps the profile's own count (photo 4, sketch 3).
    /// </summary>
    /// <param name="codeLength">Code length K in bits.</param>
    /// <param name="photoFrozenStages">Photo-trunk stages that do not learn, or null for the profile's.</param>
    /// <param name="sketchFrozenStages">Sketch-trunk stages that do not learn, or null for the profile's.</param>
    /// <exception cref="ArgumentException">
    /// The code length or a count is out of range, or a count is given for a profile without <see cref="HasFrozenStages"/>.
    /// </exception>
    public DshArchitecture Architecture(int codeLength, int? photoFrozenStages, int? sketchFrozenStages)
    {
        DshArchitecture architecture = Architecture(codeLength);
        if (photoFrozenStages is null && sketchFrozenStages is null)
        {
            return architecture;
        }
        if (!HasFrozenStages)
        {
            throw new ArgumentException($"Frozen stages apply to the {ResNet18.Name} profile only, not {Name}.",
                photoFrozenStages is not null ? nameof(photoFrozenStages) : nameof(sketchFrozenStages));
        }
        var sketch = (ResNet18TrunkSpec)architecture.SketchTrunk;
        var photo = (ResNet18TrunkSpec)architecture.PhotoTrunk;
        return (architecture with
        {
            PhotoTrunk = photo with { FrozenStages = photoFrozenStages ?? photo.FrozenStages },
            SketchTrunk = sketch with { FrozenStages = sketchFrozenStages ?? sketch.FrozenStages },
        }).Validated();
    }

    /// <summary>
    /// Trainer options with the profile's defaults at <paramref name="codeLength"/> bits: <see cref="Architecture(int)"/>,
    /// <see cref="Epochs"/>, <see cref="Seed"/>, and a <see cref="DshTrainerOptions.LearningRate"/> left unset, so that it
    /// follows <see cref="DefaultLearningRate(DshArchitecture)"/> of the architecture (also after <c>with { Architecture = … }</c>).
    /// Every other option keeps <see cref="DshTrainerOptions"/>' default; change any of them with <c>with</c>. Not validated
    /// here (<see cref="DshTrainerOptions.Validated"/> also checks files, such as the ImageNet weights of <see cref="ResNet18"/>).
    /// </summary>
    /// <param name="codeLength">Code length K in bits (default <see cref="DefaultCodeLength"/>).</param>
    /// <exception cref="ArgumentException">The code length is out of range.</exception>
    public DshTrainerOptions TrainerOptions(int codeLength = DefaultCodeLength) => new()
    {
        Architecture = Architecture(codeLength),
        Epochs = Epochs,
        Seed = Seed,
    };

    /// <summary>
    /// The default SGD learning rate at <paramref name="codeLength"/> bits of a network without ImageNet ResNet-18 trunks
    /// (<see cref="Compact"/>, <see cref="Paper"/>): <see cref="BaseLearningRate"/> (1e-2) up to <see cref="LongCodeLength"/>
    /// (64) bits, 1e-2 · 32 / K above (2.5e-3 at 128 bits, 1.25e-3 at 256). The θ-step loss sums over the K bits, so its
    /// gradient grows with K. <see cref="DefaultLearningRate(DshArchitecture)"/> gives any architecture's, the
    /// <see cref="ResNet18"/> profile's included.
    /// </summary>
    /// <param name="codeLength">Code length K in bits (at least <see cref="DshArchitecture.MinCodeLength"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The code length is below <see cref="DshArchitecture.MinCodeLength"/>.</exception>
    public static double DefaultLearningRate(int codeLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeLength, DshArchitecture.MinCodeLength);
        return LearningRateAt(codeLength);
    }

    /// <summary>
    /// The default SGD learning rate of <paramref name="architecture"/>. ImageNet ResNet-18 trunks with the photo trunk
    /// frozen (the <see cref="ResNet18"/> profile): 2.5e-3 up to 128 bits, 1e-2 · 32 / K above. Measured on PACS on an
    /// Intel Xeon: at 64 bits mAP@all 0.874 and 0.870 with two training seeds against 0.845 and 0.857 with 1e-2; with 60
    /// and with 30 training sketches a category 0.797 and 0.743 against 0.804 and 0.739; at 128 bits 0.899 against
    /// 0.812 with 1e-2 (docs/results.md, "Learning rate and code length"). When the photo trunk's last stage learns (what
    /// <see cref="DshTrainerOptions.SmallPhotoSide"/> makes for small photos): 1e-2 up to <see cref="LongCodeLength"/>
    /// bits and 1e-2 · 64 / K above (5e-3 at 128 bits), since a learning photo trunk trains too little at the smaller
    /// rates; measured on QuickDraw doodles against 32 px CIFAR-10 photos at 128 bits: mAP@all 0.591 with 2.5e-3, 0.625
    /// with 5e-3, 0.616 with 1e-2 (training seed 2: 0.566, 0.602, 0.596). Other networks:
    /// <see cref="DefaultLearningRate(int)"/> of the code length. With several <see cref="DshArchitecture.Members"/>, K is a
    /// member's bits.
    /// </summary>
    /// <param name="architecture">A network's architecture.</param>
    /// <exception cref="ArgumentNullException"><paramref name="architecture"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The code length is below <see cref="DshArchitecture.MinCodeLength"/>.</exception>
    public static double DefaultLearningRate(DshArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentOutOfRangeException.ThrowIfLessThan(architecture.CodeLength, DshArchitecture.MinCodeLength, nameof(architecture));
        return LearningRateAt(architecture);
    }

    /// <summary>
    /// <see cref="DefaultLearningRate(int)"/> for any code length, never throwing (a getter's fallback: an out-of-range
    /// code length is reported by validation, not here).
    /// </summary>
    internal static double LearningRateAt(int codeLength) =>
        codeLength <= LongCodeLength ? BaseLearningRate : BaseLearningRate * 32 / codeLength;

    /// <summary><see cref="DefaultLearningRate(DshArchitecture)"/> for any architecture (null: the default's), never throwing.</summary>
    internal static double LearningRateAt(DshArchitecture? architecture)
    {
        architecture ??= DshArchitecture.ResNet18(DefaultCodeLength);
        int codeLength = architecture.MemberArchitecture.CodeLength; // each member trains as a network of its own bits
        if (SmallPhotoRule.PhotoTrunkLearns(architecture))
        {
            return codeLength > LongCodeLength ? BaseLearningRate * LongCodeLength / codeLength : BaseLearningRate;
        }
        return HasImageNetTrunks(architecture)
            ? BaseLearningRate * 32 / Math.Max(codeLength, FrozenPhotoTrunkRateCodeLength)
            : LearningRateAt(codeLength);
    }

    /// <summary>
    /// ImageNet ResNet-18 trunks with the photo trunk frozen train at the rate of this code length (2.5e-3) up to it, and
    /// at 1e-2 · 32 / K above.
    /// </summary>
    private const int FrozenPhotoTrunkRateCodeLength = 128;

    /// <summary>Whether both trunks are ImageNet ResNet-18s (the <see cref="ResNet18"/> profile's network).</summary>
    private static bool HasImageNetTrunks(DshArchitecture architecture) =>
        architecture is { SketchTrunk: ResNet18TrunkSpec, PhotoTrunk: ResNet18TrunkSpec };

    /// <summary>The profile named <paramref name="name"/>, ignoring case.</summary>
    /// <param name="name"><c>resnet18</c>, <c>compact</c> or <c>paper</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">No profile has that name; the message names it and lists the names.</exception>
    public static DshProfile Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out DshProfile? profile)
            ? profile
            : throw new ArgumentException($"Unknown profile '{name}': use {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The profile named <paramref name="name"/>, ignoring case; false when there is none.</summary>
    /// <param name="name">A profile name, or null.</param>
    /// <param name="profile">The profile, or null.</param>
    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out DshProfile? profile)
    {
        profile = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return profile is not null;
    }

    /// <summary>The profile's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
