using System.Text.Json.Serialization;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Trunks;

namespace Dsh;

/// <summary>
/// The shapes of the semi-heterogeneous DSH network: the code length, the trunk shared by sketches and sketch-tokens
/// (<see cref="SketchTrunk"/>), the photo trunk (<see cref="PhotoTrunk"/>), and the two heads. <see cref="Paper"/> is the
/// official deploy definition (Caffe sketch trunk and AlexNet photo trunk, sketches and sketch-tokens 3×200×200, photos
/// 3×227×227); <see cref="Compact"/> is the same network with smaller inputs and narrower layers for CPU training;
/// <see cref="ResNet18"/> puts ImageNet ResNet-18s in both places. Variants are made with <c>with</c> expressions (on
/// the architecture and on its specs) and are checked by <see cref="Validate"/> (also called by <see cref="DshNetwork"/>'s
/// constructor). Equality is by value, field by field, specs included.
/// </summary>
/// <remarks>
/// Both trunks must end on the same spatial size, since the fusion head concatenates their feature maps (tokens first).
/// A new backbone is a new <see cref="TrunkSpec"/>; nothing here changes.
/// </remarks>
[JsonConverter(typeof(DshArchitectureJsonConverter))]
public sealed partial record DshArchitecture
{
    /// <summary>The smallest code length accepted.</summary>
    public const int MinCodeLength = 8;

    /// <summary>The largest code length accepted (the index's limit).</summary>
    public const int MaxCodeLength = Hashing.BinaryCode.MaxCodeLength;

    /// <summary>Upper bound of every size and width (keeps a crafted model header from allocating absurd networks).</summary>
    public const int MaxDimension = DshLimits.MaxDimension;

    /// <summary>The most <see cref="Members"/> a network may have.</summary>
    public const int MaxMembers = 8;

    static DshArchitecture() => BuiltInTrunks.Register();

    /// <summary>Code length K in bits (<see cref="MinCodeLength"/>–<see cref="MaxCodeLength"/>; the paper uses 32, 64, 128, 256).</summary>
    public int CodeLength { get; init; }

    /// <summary>The trunk whose convolutions serve sketches and sketch-tokens (C2-Net's, shared with C1-Net's token branch).</summary>
    public TrunkSpec SketchTrunk { get; init; } = null!;

    /// <summary>C1-Net's photo trunk.</summary>
    public TrunkSpec PhotoTrunk { get; init; } = null!;

    /// <summary>C2-Net's fully connected head.</summary>
    public SketchHeadSpec SketchHead { get; init; } = new();

    /// <summary>C1-Net's late-fusion head.</summary>
    public FusionHeadSpec FusionHead { get; init; } = new();

    /// <summary>Whether the sketch-token branch has its own batch norm (default) or shares the sketch branch's.</summary>
    public TokenBatchNorm TokenBatchNorm { get; init; } = TokenBatchNorm.PerBranch;

    /// <summary>How weights are initialised (pretrained trunks are then overwritten by their weights).</summary>
    public DshInitialization Initialization { get; init; } = DshInitialization.PaperFillers;

    /// <summary>
    /// Side in pixels of the photo's sketch-token map as the token branch reads it; null (the property's default; files
    /// that do not store it): the sketch input's side, where the token branch is half of a photo's network time. A smaller
    /// map costs about (side / sketch side)² of that; <see cref="ResNet18"/> sets 128. Only a trunk that pools its features (ResNet-18) accepts another side, since the fusion head's input must not
    /// change; a ResNet-18 trunk takes sides of 32·n to 32·n + 3 px.
    /// </summary>
    public int? TokenInputSize { get; init; }

    /// <summary>
    /// Whether every photo is also encoded mirrored left to right (with its sketch-token map) and its code taken from the
    /// average of the two outputs (the property's default false, files that do not store it; <see cref="ResNet18"/> sets
    /// true). Not part of the network: the trained weights are the same either way, but the model's photo codes follow it,
    /// so it belongs to the model and every gallery built with a model gets the same kind of codes. It costs a second
    /// network pass a photo. Measured on PACS with the ResNet18 profile's models: +0.006 to +0.024 mAP in every regime
    /// from 30 sketches and 15 photos a category to all the data at 128 bits (docs/results.md, "Test-time mirroring").
    /// </summary>
    public bool MirrorPhotos { get; init; }

    /// <summary>
    /// Whether the model's queries are encoded mirrored too by default: the starting value of
    /// <see cref="DshModel.MirrorSketches"/> (and of an ONNX export's encoder), which each query may change (the property's
    /// default false, files that do not store it; <see cref="ResNet18"/> sets true). Not part of the network, and photo
    /// codes do not depend on it. It costs a second network pass a sketch. Measured with the ResNet18 profile's models:
    /// +0.003 to +0.010 mAP on PACS in every regime, +0.008 on QuickDraw × CIFAR-10 (docs/results.md, "Test-time mirroring").
    /// </summary>
    public bool MirrorSketches { get; init; }

    /// <summary>
    /// How many member networks make the code (default 1). Each member owns everything that learns (the trunks' learning
    /// stages with their batch norms, both heads) and, in training, its own initial codes, batch order and augmentation;
    /// it writes <see cref="CodeLength"/> / <see cref="Members"/> consecutive bits, so a code's Hamming distance is the sum
    /// of the members'. The frozen stages hold the same ImageNet weights in every member, so they run (and, in training,
    /// are cached) once: training costs the learning stages once per member, and encoding a photo adds one pass of the
    /// learning stages per member. <see cref="CodeLength"/> must be a multiple of it, with at least
    /// <see cref="MinCodeLength"/> bits a member; see docs/results.md, "Ensembles and members", for what it buys.
    /// </summary>
    public int Members { get; init; } = 1;

    /// <summary>The architecture of one member: this one with <see cref="CodeLength"/> / <see cref="Members"/> bits and one member.</summary>
    [JsonIgnore]
    public DshArchitecture MemberArchitecture => Members <= 1 ? this : this with { CodeLength = CodeLength / Members, Members = 1 };

    /// <summary>
    /// The official deploy network (Sketchy dropouts): sketch/token input 200 px, photo input 227 px, 256×7×7 trunk
    /// outputs, 4096/1024 hidden layers. 281,763,264 learnable parameters at K = 128.
    /// </summary>
    /// <param name="codeLength">Code length K in bits (≥ 8).</param>
    public static DshArchitecture Paper(int codeLength) => new DshArchitecture
    {
        CodeLength = codeLength,
        SketchTrunk = new CaffeSketchTrunkSpec
        {
            InputSize = 200, Conv1Kernel = 14, Conv1Stride = 3, Channels = new[] { 64, 128, 128, 256, 256 },
        },
        PhotoTrunk = new AlexNetPhotoTrunkSpec
        {
            InputSize = 227, Conv1Kernel = 11, Conv1Stride = 4, Channels = new[] { 96, 256, 384, 384, 256 }, Groups = 2, Pool5Padding = 1,
        },
        SketchHead = new SketchHeadSpec { Widths = new[] { 4096, 1024 }, Dropout = new[] { 0.25, 0.25 } },
        FusionHead = new FusionHeadSpec { Widths = new[] { 4096, 1024 }, DropoutA = new[] { 0.3, 0.3 }, DropoutB = new[] { 0.4, 0.4 } },
        Initialization = DshInitialization.PaperFillers,
    }.Validated();

    /// <summary>
    /// The same network for CPU training: 64 px sketches, tokens and photos, half-width convolutions, 512/256
    /// hidden layers, 128×3×3 trunk outputs, TorchSharp's default initialisation. See docs/model.md for shapes
    /// and parameter counts.
    /// </summary>
    /// <param name="codeLength">Code length K in bits (≥ 8).</param>
    public static DshArchitecture Compact(int codeLength) => new DshArchitecture
    {
        CodeLength = codeLength,
        SketchTrunk = new CaffeSketchTrunkSpec
        {
            InputSize = 64, Conv1Kernel = 4, Conv1Stride = 2, Channels = new[] { 32, 64, 64, 128, 128 },
        },
        PhotoTrunk = new AlexNetPhotoTrunkSpec
        {
            InputSize = 64, Conv1Kernel = 5, Conv1Stride = 2, Channels = new[] { 48, 128, 192, 192, 128 }, Groups = 2, Pool5Padding = 1,
        },
        SketchHead = new SketchHeadSpec { Widths = new[] { 512, 256 }, Dropout = new[] { 0.25, 0.25 } },
        FusionHead = new FusionHeadSpec { Widths = new[] { 512, 256 }, DropoutA = new[] { 0.3, 0.3 }, DropoutB = new[] { 0.4, 0.4 } },
        Initialization = DshInitialization.TorchDefault,
    }.Validated();

    /// <summary>
    /// DSH on two ImageNet ResNet-18 trunks (<see cref="ResNet18TrunkSpec"/>: the ONNX model of
    /// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, imported when training starts): the photo trunk for C1-Net; the
    /// sketch trunk's convolutions shared by sketches and sketch-tokens with batch norm per branch; both end in the 512-d
    /// global average pool. The heads keep the paper's layout scaled to those features: sketch head 512 → 1024 → 512 → K,
    /// fusion (tokens first) 1024 → 2×1024 → 2×512 → K. Sketches and photos are 224 px, a photo's sketch-token map 128 px
    /// (<see cref="TokenInputSize"/>: a third less training time and a fifth less photo time than 224 px); the sketch trunk learns its last stage
    /// (<c>FrozenStages = 3</c>), the photo trunk is frozen (4); every photo is encoded as it is and mirrored
    /// (<see cref="MirrorPhotos"/>), and so are sketches unless a query says otherwise (<see cref="MirrorSketches"/>);
    /// choices measured on a 2-core CPU, see docs/results.md.
    /// </summary>
    /// <param name="codeLength">Code length K in bits (≥ 8).</param>
    public static DshArchitecture ResNet18(int codeLength) => new DshArchitecture
    {
        CodeLength = codeLength,
        SketchTrunk = new ResNet18TrunkSpec { FrozenStages = 3 },
        PhotoTrunk = new ResNet18TrunkSpec { FrozenStages = 4 },
        SketchHead = new SketchHeadSpec { Widths = new[] { 1024, 512 }, Dropout = new[] { 0.25, 0.25 } },
        FusionHead = new FusionHeadSpec { Widths = new[] { 1024, 512 }, DropoutA = new[] { 0.3, 0.3 }, DropoutB = new[] { 0.4, 0.4 } },
        Initialization = DshInitialization.TorchDefault,
        TokenInputSize = 128,
        MirrorPhotos = true,
        MirrorSketches = true,
    }.Validated();

    /// <summary>How sketches and sketch-tokens become network inputs (the sketch trunk's input in the sketch role).</summary>
    [JsonIgnore]
    public ImageInputSpec SketchInput => SketchTrunk.Input(TrunkRole.Sketch);

    /// <summary>How photos become network inputs (the photo trunk's input in the photo role).</summary>
    [JsonIgnore]
    public ImageInputSpec PhotoInput => PhotoTrunk.Input(TrunkRole.Photo);

    /// <summary>Side in pixels of the square sketch inputs (and of the sketch-token inputs unless <see cref="TokenInputSize"/> is set).</summary>
    [JsonIgnore]
    public int SketchInputSize => SketchTrunk.InputSize;

    /// <summary>How a photo's sketch-token map becomes the token branch's input: the sketch input at <see cref="SketchTokenInputSize"/>.</summary>
    [JsonIgnore]
    public ImageInputSpec SketchTokenInput => TokenTrunk.Input(TrunkRole.Sketch);

    /// <summary>Side in pixels of the square sketch-token inputs: <see cref="TokenInputSize"/>, or the sketch input's.</summary>
    [JsonIgnore]
    public int SketchTokenInputSize => TokenInputSize ?? SketchInputSize;

    /// <summary>The sketch trunk as the token branch runs it (its input side changed when <see cref="TokenInputSize"/> is set).</summary>
    private TrunkSpec TokenTrunk => TokenInputSize is { } side && side != SketchTrunk.InputSize ? SketchTrunk with { InputSize = side } : SketchTrunk;

    /// <summary>Side in pixels of the square photo inputs.</summary>
    [JsonIgnore]
    public int PhotoInputSize => PhotoTrunk.InputSize;

    /// <summary>Length of the flattened sketch trunk output: the sketch head's input (12,544 in the paper profile).</summary>
    [JsonIgnore]
    public int SketchFeatureLength => checked((int)SketchTrunk.FeatureShape.Length);

    /// <summary>Length of the flattened concatenation of both photo-side trunks: the fusion head's input (25,088 in the paper profile).</summary>
    [JsonIgnore]
    public int FusionInputLength
    {
        get
        {
            FeatureShape tokens = SketchTrunk.FeatureShape, photos = PhotoTrunk.FeatureShape;
            return checked((tokens.Channels + photos.Channels) * photos.Height * photos.Width);
        }
    }

    /// <summary>Checks every field and the shapes they produce; returns this architecture.</summary>
    /// <exception cref="ArgumentException">A field is out of range or the trunks' outputs do not fit together; the message names it.</exception>
    public DshArchitecture Validated()
    {
        Validate();
        return this;
    }

    /// <summary>Checks every field, each spec, and the shapes they produce.</summary>
    /// <exception cref="ArgumentException">A field is out of range or the trunks' outputs do not fit together; the message names it.</exception>
    public void Validate()
    {
        if (CodeLength < MinCodeLength || CodeLength > MaxCodeLength)
        {
            throw new ArgumentException(
                $"CodeLength must be {MinCodeLength} to {MaxCodeLength} bits (the index's limit), not {CodeLength}.", nameof(CodeLength));
        }
        if (Members < 1 || Members > MaxMembers || CodeLength % Members != 0 || CodeLength / Members < MinCodeLength)
        {
            throw new ArgumentException(
                $"Members must be 1 to {MaxMembers} and divide CodeLength into parts of at least {MinCodeLength} bits; {Members} members of a {CodeLength}-bit code do not.",
                nameof(Members));
        }
        if (SketchTrunk is null || PhotoTrunk is null)
        {
            throw new ArgumentException("SketchTrunk and PhotoTrunk must both be set (see DshArchitecture.ResNet18, Compact, Paper).",
                SketchTrunk is null ? nameof(SketchTrunk) : nameof(PhotoTrunk));
        }
        if (SketchHead is null || FusionHead is null)
        {
            throw new ArgumentException("SketchHead and FusionHead must both be set.", SketchHead is null ? nameof(SketchHead) : nameof(FusionHead));
        }
        if (!Enum.IsDefined(TokenBatchNorm))
        {
            throw new ArgumentException($"TokenBatchNorm {(int)TokenBatchNorm} is not a defined value.", nameof(TokenBatchNorm));
        }
        if (!Enum.IsDefined(Initialization))
        {
            throw new ArgumentException($"Initialization {(int)Initialization} is not a defined value.", nameof(Initialization));
        }
        ValidateSpec(SketchTrunk, nameof(SketchTrunk));
        ValidateSpec(PhotoTrunk, nameof(PhotoTrunk));
        SketchHead.Validate();
        FusionHead.Validate();
        if (Initialization == DshInitialization.PaperFillers && !(SketchTrunk.SupportsPaperFillers && PhotoTrunk.SupportsPaperFillers))
        {
            throw new ArgumentException(
                $"The paper's fillers are defined for the Caffe trunks, not for {(SketchTrunk.SupportsPaperFillers ? PhotoTrunk : SketchTrunk).Kind}; " +
                "use DshInitialization.TorchDefault (a pretrained trunk starts from its weights anyway).", nameof(Initialization));
        }
        if (TokenInputSize is { } tokenSide && tokenSide != SketchTrunk.InputSize)
        {
            ValidateSpec(TokenTrunk, nameof(TokenInputSize));
            if (TokenTrunk.FeatureShape != SketchTrunk.FeatureShape)
            {
                throw new ArgumentException(
                    $"TokenInputSize {tokenSide} changes the {SketchTrunk.Kind} trunk's features ({TokenTrunk.FeatureShape} instead of " +
                    $"{SketchTrunk.FeatureShape}), which the fusion head reads; only a trunk that pools its features (ResNet-18) takes another token size.",
                    nameof(TokenInputSize));
            }
        }
        FeatureShape tokens = SketchTrunk.FeatureShape, photos = PhotoTrunk.FeatureShape;
        if (tokens.Height != photos.Height || tokens.Width != photos.Width)
        {
            throw new ArgumentException(
                $"The sketch-token trunk ends at {tokens.Height}×{tokens.Width} but the photo trunk at {photos.Height}×{photos.Width}; " +
                $"the fusion head concatenates them, so choose input sizes or trunk settings that agree (sketch trunk: {SketchTrunk.DescribeShapes()}; " +
                $"photo trunk: {PhotoTrunk.DescribeShapes()}).", nameof(PhotoTrunk));
        }
    }

    private static void ValidateSpec(TrunkSpec spec, string name)
    {
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new ArgumentException($"{name} ({spec.Kind}): {message}", $"{name}.{e.ParamName}", e);
        }
        TrunkSpecs.Register(spec);
    }
}
