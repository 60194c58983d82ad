namespace Dsh;

/// <summary>
/// The shapes of the semi-heterogeneous DSH network. <see cref="Paper"/> is the official deploy definition
/// (sketches and sketch-tokens 3×200×200, photos 3×227×227); <see cref="Compact"/> is the same network with
/// smaller inputs and narrower layers for CPU training. Variants are made with <c>with</c> expressions and are
/// checked by <see cref="Validate"/> (also called by <see cref="DshNetwork"/>'s constructor). <see cref="ResNet18"/> swaps
/// both trunks for ImageNet ResNet-18s (<see cref="Backbone"/>); the fields of the Caffe trunks are then unused.
/// </summary>
/// <remarks>
/// Sketch trunk (C2-Net, shared by sketches and sketch-tokens): conv <c>SketchChannels[0]</c> k<c>SketchConv1Kernel</c>
/// s<c>SketchConv1Stride</c> → BN → ReLU → maxpool 3/2 → two conv k3 p1 (+BN, ReLU) → maxpool 3/2 → two conv k3 p1
/// (+BN, ReLU) → maxpool 3/2. Photo trunk (C1-Net): AlexNet conv1…conv5 with LRN after pool1/pool2, groups on
/// conv2/conv4/conv5 and a final maxpool 3/2 with <see cref="PhotoPool5Padding"/>. Both trunks must end on the same
/// spatial size, since the fusion head concatenates them (tokens first).
/// </remarks>
public sealed partial record DshArchitecture
{
    /// <summary>The smallest code length accepted.</summary>
    public const int MinCodeLength = 8;

    /// <summary>The convolutional trunks (default <see cref="DshBackbone.Caffe"/>, the paper's).</summary>
    public DshBackbone Backbone { get; init; } = DshBackbone.Caffe;

    /// <summary>
    /// <see cref="DshBackbone.ResNet18"/> only: how many stages of the sketch trunk do not learn (0–4; the stem counts
    /// with stage 1). Frozen stages keep their ImageNet weights and batch-norm statistics, and the trainer computes their
    /// output once per image and caches it.
    /// </summary>
    public int SketchFrozenStages { get; init; }

    /// <summary><see cref="DshBackbone.ResNet18"/> only: how many stages of the photo trunk do not learn (0–4).</summary>
    public int PhotoFrozenStages { get; init; }

    /// <summary>Code length K in bits (≥ 8; the paper uses 32, 64, 128, 256).</summary>
    public int CodeLength { get; init; }

    /// <summary>Side in pixels of the square sketch and sketch-token inputs (3 channels).</summary>
    public int SketchInputSize { get; init; }

    /// <summary>Side in pixels of the square photo inputs (3 channels).</summary>
    public int PhotoInputSize { get; init; }

    /// <summary>Kernel size of the sketch trunk's first convolution.</summary>
    public int SketchConv1Kernel { get; init; }

    /// <summary>Stride of the sketch trunk's first convolution.</summary>
    public int SketchConv1Stride { get; init; }

    /// <summary>Output channels of conv1, conv2_1, conv2_2, conv3_1, conv3_2 of the sketch trunk (5 values).</summary>
    public IReadOnlyList<int> SketchChannels { get; init; } = Array.Empty<int>();

    /// <summary>Widths of the sketch head's two hidden fully connected layers (fc_a, fc_b).</summary>
    public IReadOnlyList<int> SketchHeadWidths { get; init; } = Array.Empty<int>();

    /// <summary>Dropout probabilities after the sketch head's two hidden layers.</summary>
    public IReadOnlyList<double> SketchHeadDropout { get; init; } = Array.Empty<double>();

    /// <summary>Kernel size of the photo trunk's conv1.</summary>
    public int PhotoConv1Kernel { get; init; }

    /// <summary>Stride of the photo trunk's conv1.</summary>
    public int PhotoConv1Stride { get; init; }

    /// <summary>Output channels of the photo trunk's conv1…conv5 (5 values).</summary>
    public IReadOnlyList<int> PhotoChannels { get; init; } = Array.Empty<int>();

    /// <summary>Groups of the photo trunk's conv2, conv4 and conv5 (AlexNet's two-GPU split: 2).</summary>
    public int PhotoGroups { get; init; }

    /// <summary>Padding of the photo trunk's last max-pool (the deploy file's <c>pool5_new</c>: 1).</summary>
    public int PhotoPool5Padding { get; init; }

    /// <summary>Local response normalisation window (channels) after pool1 and pool2 of the photo trunk.</summary>
    public int LrnSize { get; init; } = 5;

    /// <summary>LRN α (Caffe semantics, divided by the window size).</summary>
    public double LrnAlpha { get; init; } = 1e-4;

    /// <summary>LRN β.</summary>
    public double LrnBeta { get; init; } = 0.75;

    /// <summary>LRN k.</summary>
    public double LrnK { get; init; } = 1.0;

    /// <summary>Widths of the fusion head's two hidden stages; each stage has two parallel layers of this width.</summary>
    public IReadOnlyList<int> FusionWidths { get; init; } = Array.Empty<int>();

    /// <summary>Dropout of the fusion head's first parallel branch (fc_a, fc_b) after each stage.</summary>
    public IReadOnlyList<double> FusionDropoutA { get; init; } = Array.Empty<double>();

    /// <summary>Dropout of the fusion head's second parallel branch (fc6, fc7) after each stage.</summary>
    public IReadOnlyList<double> FusionDropoutB { get; init; } = Array.Empty<double>();

    /// <summary>Whether the sketch-token branch has its own batch norm (default) or shares the sketch branch's.</summary>
    public TokenBatchNorm TokenBatchNorm { get; init; } = TokenBatchNorm.PerBranch;

    /// <summary>Batch-norm ε (Caffe's 1e-5).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>
    /// Batch-norm running-statistics momentum (TorchSharp convention: weight of the new batch), default 0.1. The
    /// deploy files' Caffe moving-average fraction 0.999 would be 0.001 here; 0.1 lets the statistics follow a
    /// network trained from scratch (a departure from the deploy files, see docs/model.md).
    /// </summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>How weights are initialised.</summary>
    public DshInitialization Initialization { get; init; } = DshInitialization.PaperFillers;

    /// <summary>
    /// The official deploy network (Sketchy dropouts): sketch/token input 200 px, photo input 227 px, 256×7×7 trunk
    /// outputs, 4096/1024 hidden layers. 281,763,264 learnable parameters at K = 128.
    /// </summary>
    /// <param name="codeLength">Code length K in bits (≥ 8).</param>
    public static DshArchitecture Paper(int codeLength) => new DshArchitecture
    {
        CodeLength = codeLength,
        SketchInputSize = 200,
        PhotoInputSize = 227,
        SketchConv1Kernel = 14,
        SketchConv1Stride = 3,
        SketchChannels = new[] { 64, 128, 128, 256, 256 },
        SketchHeadWidths = new[] { 4096, 1024 },
        SketchHeadDropout = new[] { 0.25, 0.25 },
        PhotoConv1Kernel = 11,
        PhotoConv1Stride = 4,
        PhotoChannels = new[] { 96, 256, 384, 384, 256 },
        PhotoGroups = 2,
        PhotoPool5Padding = 1,
        FusionWidths = new[] { 4096, 1024 },
        FusionDropoutA = new[] { 0.3, 0.3 },
        FusionDropoutB = new[] { 0.4, 0.4 },
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
        SketchInputSize = 64,
        PhotoInputSize = 64,
        SketchConv1Kernel = 4,
        SketchConv1Stride = 2,
        SketchChannels = new[] { 32, 64, 64, 128, 128 },
        SketchHeadWidths = new[] { 512, 256 },
        SketchHeadDropout = new[] { 0.25, 0.25 },
        PhotoConv1Kernel = 5,
        PhotoConv1Stride = 2,
        PhotoChannels = new[] { 48, 128, 192, 192, 128 },
        PhotoGroups = 2,
        PhotoPool5Padding = 1,
        FusionWidths = new[] { 512, 256 },
        FusionDropoutA = new[] { 0.3, 0.3 },
        FusionDropoutB = new[] { 0.4, 0.4 },
        Initialization = DshInitialization.TorchDefault,
    }.Validated();

    /// <summary>The input side <see cref="ResNet18"/> uses for sketches, sketch-tokens and photos.</summary>
    public const int ResNet18DefaultInputSize = 224;

    /// <summary>The smallest input side a ResNet-18 trunk accepts (its total stride).</summary>
    public const int ResNet18MinInputSize = 32;

    /// <summary>
    /// DSH on two ImageNet ResNet-18 trunks (the ONNX model of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, imported
    /// when training starts): the photo trunk for C1-Net; the sketch trunk's convolutions shared by sketches and
    /// sketch-tokens with batch norm per branch; both end in the 512-d global average pool. The heads keep the paper's
    /// layout scaled to those features: sketch head 512 → 1024 → 512 → K, fusion (tokens first) 1024 → 2×1024 →
    /// 2×512 → K. Inputs are <see cref="ResNet18DefaultInputSize"/> px; the sketch trunk learns its last stage, the
    /// photo trunk is frozen (choices measured on this project's 2-core CPU, see docs/results.md). Change them with
    /// <c>with</c>.
    /// </summary>
    /// <param name="codeLength">Code length K in bits (≥ 8).</param>
    public static DshArchitecture ResNet18(int codeLength) => new DshArchitecture
    {
        Backbone = DshBackbone.ResNet18,
        CodeLength = codeLength,
        SketchInputSize = ResNet18DefaultInputSize,
        PhotoInputSize = ResNet18DefaultInputSize,
        SketchFrozenStages = 3,
        PhotoFrozenStages = 4,
        SketchHeadWidths = new[] { 1024, 512 },
        SketchHeadDropout = new[] { 0.25, 0.25 },
        FusionWidths = new[] { 1024, 512 },
        FusionDropoutA = new[] { 0.3, 0.3 },
        FusionDropoutB = new[] { 0.4, 0.4 },
        Initialization = DshInitialization.TorchDefault,
    }.Validated();

    /// <summary>Spatial side of the sketch trunk's output (7 in the paper profile).</summary>
    public int SketchTrunkOutputSize => Backbone == DshBackbone.ResNet18 ? 1 : SketchTrunkSizes()[^1];

    /// <summary>Spatial side of the photo trunk's output (7 in the paper profile).</summary>
    public int PhotoTrunkOutputSize => Backbone == DshBackbone.ResNet18 ? 1 : PhotoTrunkSizes()[^1];

    /// <summary>Length of the flattened sketch trunk output: the sketch head's input (12,544 in the paper profile).</summary>
    public int SketchFeatureLength => Backbone == DshBackbone.ResNet18
        ? ResNet18Trunk.StageChannels[^1]
        : SketchChannels[^1] * SketchTrunkOutputSize * SketchTrunkOutputSize;

    /// <summary>Length of the flattened concatenation of both photo-side trunks: the fusion head's input (25,088 in the paper profile).</summary>
    public int FusionInputLength => Backbone == DshBackbone.ResNet18
        ? 2 * ResNet18Trunk.StageChannels[^1]
        : (SketchChannels[^1] + PhotoChannels[^1]) * PhotoTrunkOutputSize * PhotoTrunkOutputSize;

    /// <summary>How sketch and sketch-token pixels become network inputs for this backbone.</summary>
    internal ImageNormalization SketchNormalization => Backbone == DshBackbone.ResNet18 ? ImageNormalization.ResNet18Onnx : ImageNormalization.Sketch;

    /// <summary>How photo pixels become network inputs for this backbone.</summary>
    internal ImageNormalization PhotoNormalization => Backbone == DshBackbone.ResNet18 ? ImageNormalization.ResNet18Onnx : ImageNormalization.Photo;

    /// <summary>Checks every field and the shapes they produce; returns this architecture.</summary>
    /// <exception cref="ArgumentException">A field is out of range or the trunks' outputs do not fit together; the message names it.</exception>
    public DshArchitecture Validated()
    {
        Validate();
        return this;
    }

    /// <summary>Checks every field and the shapes they produce.</summary>
    /// <exception cref="ArgumentException">A field is out of range or the trunks' outputs do not fit together; the message names it.</exception>
    public void Validate()
    {
        if (CodeLength < MinCodeLength)
        {
            throw new ArgumentException($"CodeLength must be at least {MinCodeLength} bits, not {CodeLength}.", nameof(CodeLength));
        }
        if (CodeLength > 4096)
        {
            throw new ArgumentException($"CodeLength must be at most 4096 bits (the index's limit), not {CodeLength}.", nameof(CodeLength));
        }
        if (!Enum.IsDefined(Backbone))
        {
            throw new ArgumentException($"Backbone {(int)Backbone} is not a defined value.", nameof(Backbone));
        }
        RequireCount(SketchHeadWidths, 2, nameof(SketchHeadWidths));
        RequireCount(FusionWidths, 2, nameof(FusionWidths));
        RequireProbabilities(SketchHeadDropout, 2, nameof(SketchHeadDropout));
        RequireProbabilities(FusionDropoutA, 2, nameof(FusionDropoutA));
        RequireProbabilities(FusionDropoutB, 2, nameof(FusionDropoutB));
        RequirePositive(SketchInputSize, nameof(SketchInputSize));
        RequirePositive(PhotoInputSize, nameof(PhotoInputSize));
        CheckCommon();
        if (Backbone == DshBackbone.ResNet18)
        {
            ValidateResNet();
            return;
        }
        if (SketchFrozenStages != 0 || PhotoFrozenStages != 0)
        {
            throw new ArgumentException("SketchFrozenStages and PhotoFrozenStages apply to the ResNet18 backbone only; the Caffe trunks have no stages to freeze.", nameof(SketchFrozenStages));
        }
        RequireCount(SketchChannels, 5, nameof(SketchChannels));
        RequireCount(PhotoChannels, 5, nameof(PhotoChannels));
        RequirePositive(SketchConv1Kernel, nameof(SketchConv1Kernel));
        RequirePositive(SketchConv1Stride, nameof(SketchConv1Stride));
        RequirePositive(PhotoConv1Kernel, nameof(PhotoConv1Kernel));
        RequirePositive(PhotoConv1Stride, nameof(PhotoConv1Stride));
        RequirePositive(PhotoGroups, nameof(PhotoGroups));
        RequirePositive(LrnSize, nameof(LrnSize));
        if (PhotoPool5Padding is < 0 or > 1)
        {
            throw new ArgumentException($"PhotoPool5Padding must be 0 or 1 (a 3×3 pool allows at most 1), not {PhotoPool5Padding}.", nameof(PhotoPool5Padding));
        }
        foreach (int index in new[] { 0, 1, 3, 4 })
        {
            int inChannels = index == 0 ? 3 : PhotoChannels[index - 1];
            bool grouped = index is 1 or 3 or 4;
            if (grouped && (inChannels % PhotoGroups != 0 || PhotoChannels[index] % PhotoGroups != 0))
            {
                throw new ArgumentException(
                    $"PhotoGroups = {PhotoGroups} must divide the input and output channels of photo conv{index + 1} ({inChannels} → {PhotoChannels[index]}).",
                    nameof(PhotoGroups));
            }
        }
        if (!(LrnAlpha >= 0) || !double.IsFinite(LrnBeta) || !(LrnK > 0))
        {
            throw new ArgumentException("LRN parameters must be finite with α ≥ 0 and k > 0.", nameof(LrnAlpha));
        }
        int[] sketch = SketchTrunkSizes();
        int[] photo = PhotoTrunkSizes();
        if (sketch[^1] < 1)
        {
            throw new ArgumentException(
                $"SketchInputSize {SketchInputSize} is too small for the sketch trunk (sizes {string.Join(" → ", sketch)}).", nameof(SketchInputSize));
        }
        if (photo[^1] < 1)
        {
            throw new ArgumentException(
                $"PhotoInputSize {PhotoInputSize} is too small for the photo trunk (sizes {string.Join(" → ", photo)}).", nameof(PhotoInputSize));
        }
        if (sketch[^1] != photo[^1])
        {
            throw new ArgumentException(
                $"The sketch-token trunk ends at {sketch[^1]}×{sketch[^1]} but the photo trunk at {photo[^1]}×{photo[^1]}; " +
                "the fusion head concatenates them, so choose input sizes, conv1 kernels/strides or PhotoPool5Padding that agree " +
                $"(sketch: {string.Join(" → ", sketch)}; photo: {string.Join(" → ", photo)}).", nameof(PhotoInputSize));
        }
    }

    private void CheckCommon()
    {
        if (!Enum.IsDefined(TokenBatchNorm))
        {
            throw new ArgumentException($"TokenBatchNorm {(int)TokenBatchNorm} is not a defined value.", nameof(TokenBatchNorm));
        }
        if (!Enum.IsDefined(Initialization))
        {
            throw new ArgumentException($"Initialization {(int)Initialization} is not a defined value.", nameof(Initialization));
        }
        if (!(BatchNormEpsilon > 0) || !(BatchNormMomentum is > 0 and <= 1))
        {
            throw new ArgumentException("BatchNormEpsilon must be > 0 and BatchNormMomentum in (0, 1].", nameof(BatchNormMomentum));
        }
    }

    private void ValidateResNet()
    {
        if (SketchInputSize < ResNet18MinInputSize || PhotoInputSize < ResNet18MinInputSize)
        {
            throw new ArgumentException(
                $"A ResNet-18 trunk needs inputs of at least {ResNet18MinInputSize} px (its total stride); SketchInputSize is {SketchInputSize}, PhotoInputSize {PhotoInputSize}.",
                SketchInputSize < ResNet18MinInputSize ? nameof(SketchInputSize) : nameof(PhotoInputSize));
        }
        foreach (var (size, name) in new[] { (SketchInputSize, nameof(SketchInputSize)), (PhotoInputSize, nameof(PhotoInputSize)) })
        {
            if (ResNet18Trunk.InputSizeProblem(size) is { } problem)
            {
                int below = size / 32 * 32;
                throw new ArgumentException(
                    $"{name} {size} does not fit the ResNet-18 trunk: {problem}. With the shipped model's begin-heavy padding it takes sides of " +
                    $"32·n to 32·n + 3 px, such as {below} or {below + 32}.", name);
            }
        }
        if (SketchFrozenStages is < 0 or > 4)
        {
            throw new ArgumentException($"SketchFrozenStages must be 0 to 4 (a ResNet has four stages), not {SketchFrozenStages}.", nameof(SketchFrozenStages));
        }
        if (PhotoFrozenStages is < 0 or > 4)
        {
            throw new ArgumentException($"PhotoFrozenStages must be 0 to 4 (a ResNet has four stages), not {PhotoFrozenStages}.", nameof(PhotoFrozenStages));
        }
        if (Initialization == DshInitialization.PaperFillers)
        {
            throw new ArgumentException("The paper's fillers are defined for the Caffe trunks; the ResNet18 backbone starts from ImageNet weights and TorchDefault heads.", nameof(Initialization));
        }
        if (SketchChannels is { Count: > 0 } || PhotoChannels is { Count: > 0 })
        {
            throw new ArgumentException("SketchChannels and PhotoChannels describe the Caffe trunks; leave them empty for the ResNet18 backbone.", nameof(SketchChannels));
        }
    }

    /// <summary>Spatial sides through the sketch trunk: input, conv1, pool1, pool2, pool3.</summary>
    internal int[] SketchTrunkSizes()
    {
        int conv1 = ConvOut(SketchInputSize, SketchConv1Kernel, SketchConv1Stride, 0);
        int pool1 = PoolOut(conv1, 0);
        int pool2 = PoolOut(pool1, 0);
        int pool3 = PoolOut(pool2, 0);
        return new[] { SketchInputSize, conv1, pool1, pool2, pool3 };
    }

    /// <summary>Spatial sides through the photo trunk: input, conv1, pool1, pool2, pool5.</summary>
    internal int[] PhotoTrunkSizes()
    {
        int conv1 = ConvOut(PhotoInputSize, PhotoConv1Kernel, PhotoConv1Stride, 0);
        int pool1 = PoolOut(conv1, 0);
        int pool2 = PoolOut(pool1, 0);
        int pool5 = PoolOut(pool2, PhotoPool5Padding);
        return new[] { PhotoInputSize, conv1, pool1, pool2, pool5 };
    }

    private static int ConvOut(int size, int kernel, int stride, int padding) =>
        size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;

    private static int PoolOut(int size, int padding) => size <= 0 ? 0 : ConvOut(size, 3, 2, padding);

    private static void RequireCount<T>(IReadOnlyList<T> values, int count, string name)
    {
        if (values is null || values.Count != count)
        {
            throw new ArgumentException($"{name} must have {count} values, not {values?.Count ?? 0}.", name);
        }
        if (values is IReadOnlyList<int> ints)
        {
            for (int i = 0; i < ints.Count; i++)
            {
                RequirePositive(ints[i], $"{name}[{i}]");
            }
        }
    }

    private static void RequireProbabilities(IReadOnlyList<double> values, int count, string name)
    {
        RequireCount(values, count, name);
        foreach (double p in values)
        {
            if (!(p is >= 0 and < 1))
            {
                throw new ArgumentException($"{name} values must be dropout probabilities in [0, 1), not {p}.", name);
            }
        }
    }

    /// <summary>Upper bound of every size and width (keeps a crafted model header from allocating absurd networks).</summary>
    public const int MaxDimension = 65_536;

    private static void RequirePositive(int value, string name)
    {
        if (value < 1 || value > MaxDimension)
        {
            throw new ArgumentException($"{name} must be in [1, {MaxDimension}], not {value}.", name);
        }
    }

    /// <summary>Value equality over every field, lists compared element by element.</summary>
    public bool Equals(DshArchitecture? other) =>
        other is not null &&
        Backbone == other.Backbone && SketchFrozenStages == other.SketchFrozenStages && PhotoFrozenStages == other.PhotoFrozenStages &&
        CodeLength == other.CodeLength && SketchInputSize == other.SketchInputSize && PhotoInputSize == other.PhotoInputSize &&
        SketchConv1Kernel == other.SketchConv1Kernel && SketchConv1Stride == other.SketchConv1Stride &&
        SketchChannels.SequenceEqual(other.SketchChannels) && SketchHeadWidths.SequenceEqual(other.SketchHeadWidths) &&
        SketchHeadDropout.SequenceEqual(other.SketchHeadDropout) && PhotoConv1Kernel == other.PhotoConv1Kernel &&
        PhotoConv1Stride == other.PhotoConv1Stride && PhotoChannels.SequenceEqual(other.PhotoChannels) &&
        PhotoGroups == other.PhotoGroups && PhotoPool5Padding == other.PhotoPool5Padding && LrnSize == other.LrnSize &&
        LrnAlpha.Equals(other.LrnAlpha) && LrnBeta.Equals(other.LrnBeta) && LrnK.Equals(other.LrnK) &&
        FusionWidths.SequenceEqual(other.FusionWidths) && FusionDropoutA.SequenceEqual(other.FusionDropoutA) &&
        FusionDropoutB.SequenceEqual(other.FusionDropoutB) && TokenBatchNorm == other.TokenBatchNorm &&
        BatchNormEpsilon.Equals(other.BatchNormEpsilon) && BatchNormMomentum.Equals(other.BatchNormMomentum) &&
        Initialization == other.Initialization;

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(Backbone, SketchFrozenStages, PhotoFrozenStages), CodeLength, SketchInputSize, PhotoInputSize, SketchChannels.Sum(), PhotoChannels.Sum(), FusionWidths.Sum(), TokenBatchNorm ^ (TokenBatchNorm)((int)Initialization << 4));
}
