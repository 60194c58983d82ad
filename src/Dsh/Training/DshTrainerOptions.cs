using System.Text.Json.Serialization;
using Dsh.Imaging.Augmentation;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Objective;
using Dsh.Pretrained;
using Dsh.Training;

namespace Dsh;

/// <summary>
/// Everything <see cref="DshTrainer"/> needs to know. The architecture carries the code length (one source of
/// truth). <see cref="Validated"/> checks every field.
/// </summary>
/// <remarks>
/// The defaults are those of <see cref="DshProfile.Default"/> (<see cref="DshProfile.ResNet18"/>) at 64 bits, the same as
/// <c>dsh train</c>: <c>DshArchitecture.ResNet18(64)</c>, 6 epochs, seed 1, learning rate 2.5e-3
/// (<see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>). That profile starts from ImageNet weights and needs their ONNX file
/// (<see cref="ImageNetWeightsPath"/>, from the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>);
/// <see cref="Validated"/> throws <see cref="FileNotFoundException"/> when it is missing. Without it, train the compact
/// profile: <c>new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) }</c> or
/// <c>DshProfile.Compact.TrainerOptions(64)</c>. Record equality compares what was set: options whose
/// <see cref="LearningRate"/> follows the default do not equal options with the same rate set explicitly.
/// </remarks>
public sealed record DshTrainerOptions
{
    private readonly double? _learningRate;

    /// <summary>
    /// The network: profile and code length (default <c>DshArchitecture.ResNet18(64)</c>, <see cref="DshProfile.Default"/>
    /// at <see cref="DshProfile.DefaultCodeLength"/> bits).
    /// </summary>
    public DshArchitecture Architecture { get; init; } = DshProfile.Default.Architecture(DshProfile.DefaultCodeLength);

    /// <summary>
    /// Outer iterations of the alternating optimisation (default 6, <see cref="DshProfile.Epochs"/>). Each one: D-step,
    /// network outputs F over the training set (only when <see cref="DshObjectiveOptions.Gamma"/> is above 0), B_I-step, B_S-step, then one pass of mini-batch SGD of the networks onto
    /// the codes.
    /// </summary>
    public int Epochs { get; init; } = DshProfile.Default.Epochs;

    /// <summary>
    /// The fewest network steps (θ-steps) a run takes: on small data (few mini-batches an epoch) training runs
    /// ⌈MinimumSteps / steps per epoch⌉ epochs instead of <see cref="Epochs"/> when that is more. Null (default): the
    /// architecture's profile decides (<see cref="DshProfile.MinimumSteps"/>: 250 for ImageNet ResNet-18 trunks, measured
    /// on 15–60 images a category in docs/results.md; 0 for the networks trained from scratch). Full PACS (84 steps an
    /// epoch) is not affected. 0 turns the rule off. <see cref="EpochsFor"/> gives the count.
    /// </summary>
    public int? MinimumSteps { get; init; }

    /// <summary>The minimum in effect: <see cref="MinimumSteps"/>, else the profile's for <see cref="Architecture"/>.</summary>
    [JsonIgnore]
    public int EffectiveMinimumSteps => MinimumSteps ?? DshProfile.MinimumStepsFor(Architecture);

    /// <summary>Mini-batches an epoch over <paramref name="photos"/> photos and <paramref name="sketches"/> training sketches: ⌈max(photos, sketches) / <see cref="BatchSize"/>⌉ (the smaller domain cycles).</summary>
    internal int StepsPerEpoch(int photos, int sketches) => (Math.Max(photos, sketches) + BatchSize - 1) / BatchSize;

    /// <summary>The epochs a run takes with <paramref name="stepsPerEpoch"/> mini-batches an epoch: max(<see cref="Epochs"/>, ⌈<see cref="EffectiveMinimumSteps"/> / stepsPerEpoch⌉).</summary>
    /// <param name="stepsPerEpoch">⌈max(photos, training sketches) / <see cref="BatchSize"/>⌉, at least 1.</param>
    public int EpochsFor(int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        return Math.Max(Epochs, (EffectiveMinimumSteps + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    /// <summary>Mini-batch size of the θ-step, per domain (default 32: 32 sketches and 32 photos per step).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// SGD learning rate; gradients are clipped at <see cref="GradientClipNorm"/>. Unless set, it follows
    /// <see cref="Architecture"/> (<see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>): for ImageNet ResNet-18
    /// trunks 2.5e-3 up to 128 bits and 1e-2 · 32 / K above, or, when the photo trunk learns (as the small-photo rule makes
    /// it), 1e-2 up to 64 bits and 1e-2 · 64 / K above; for other networks 1e-2 up to 64 bits and 1e-2 · 32 / K above.
    /// A value set here is kept whatever the architecture.
    /// </summary>
    public double LearningRate
    {
        get => _learningRate ?? DshProfile.LearningRateAt(Architecture);
        init => _learningRate = value;
    }

    /// <summary>Whether <see cref="LearningRate"/> was set (else it follows the architecture, and the trainer's rules may change it).</summary>
    internal bool LearningRateIsSet => _learningRate is not null;

    /// <summary>Factor applied to the learning rate after every epoch (default 1: constant).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>How the learning rate changes over the run's steps (default <see cref="Training.LearningRateSchedule.Constant"/>).</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// The rate of the θ-step <paramref name="step"/> (0-based, counted over the whole run) of <paramref name="totalSteps"/>,
    /// in epoch <paramref name="epoch"/> (0-based): <see cref="LearningRate"/> under <see cref="LearningRateDecay"/> and
    /// <see cref="LearningRateSchedule"/>.
    /// </summary>
    internal double LearningRateAt(int epoch, long step, long totalSteps)
    {
        double rate = LearningRate * Math.Pow(LearningRateDecay, epoch);
        return LearningRateSchedule == LearningRateSchedule.Cosine && totalSteps > 0
            ? rate * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(step, 0, totalSteps) / totalSteps))
            : rate;
    }

    /// <summary>
    /// How many of the run's last epochs are averaged into the returned network (stochastic weight averaging). With N,
    /// the trainable weights and batch-norm statistics after every θ-step of the last N epochs are averaged, which smooths
    /// the noise of the last steps taken at a constant rate; more than the run's epochs averages all of them; 0 keeps the
    /// last step's weights. Costs one copy of the trainable weights. Null (default): the architecture decides
    /// (<see cref="EffectiveAveragedEpochs"/>): <see cref="LearningPhotoTrunkAveragedEpochs"/> (2) when the photo trunk is
    /// an ImageNet ResNet-18 whose last stage learns (as <see cref="SmallPhotoSide"/> makes it for small photos; measured on
    /// 32 px CIFAR-10 photos with two training seeds: +0.03 mAP over the last step's weights, +0.01 over averaging one
    /// epoch), else 0 (on PACS, with the photo trunk frozen, averaging scored 0.002–0.014 lower; docs/results.md,
    /// "Weight averaging").
    /// </summary>
    public int? AveragedEpochs { get; init; }

    /// <summary>The epochs averaged by default when the photo trunk learns (<see cref="EffectiveAveragedEpochs"/>).</summary>
    public const int LearningPhotoTrunkAveragedEpochs = 2;

    /// <summary>
    /// The count in effect: <see cref="AveragedEpochs"/>, else <see cref="LearningPhotoTrunkAveragedEpochs"/> when the photo
    /// trunk is a ResNet-18 with fewer than four frozen stages, else 0.
    /// </summary>
    [JsonIgnore]
    public int EffectiveAveragedEpochs =>
        AveragedEpochs ?? (SmallPhotoRule.PhotoTrunkLearns(Architecture) ? LearningPhotoTrunkAveragedEpochs : 0);

    /// <summary>
    /// Factor on the learning rate of the sketch trunk's learning parameters (its learning stages and, with per-branch
    /// batch norm, the sketch and sketch-token branches' own batch norms); the heads and the photo trunk always take the
    /// full rate (default 1). Measured on PACS with the ResNet18 profile, 0.3 gains at 64 bits with all the training data
    /// (+0.020 and +0.006 mAP with two training seeds) but loses at 128 bits (−0.039) and with 60 + 30 items a category
    /// (−0.015), so the default keeps the full rate (docs/results.md, "Learning rate of the sketch trunk"). In (0, 10].
    /// </summary>
    public double SketchTrunkLearningRateFactor { get; init; } = 1;

    /// <summary>
    /// Factor on the learning rate of C1-Net's fusion head, the part of a photo's network that only photos train (with the
    /// photo trunk frozen, the rest that learns is the sketch trunk's last stage, which the sketch-token branch shares with
    /// the sketches); the sketch trunk and the sketch head keep their rates (default 1: the full rate). Measured on PACS with
    /// the ResNet18 profile, 0.5 scores within the seed spread of the full rate (128 bits: +0.0035 mAP on average over four
    /// training seeds, two higher and two lower; 64 bits, one seed: the same), so the default keeps the full rate (docs/results.md,
    /// "Learning rate of the fusion head"). In (0, 10].
    /// </summary>
    public double FusionHeadLearningRateFactor { get; init; } = 1;

    /// <summary>
    /// Weight of the class-code term in each network step (default 0: off): a softmax cross-entropy that asks each
    /// item's output to lie nearer its own class's code than any other class's, the class codes being the bitwise
    /// majority of each class's current photo codes, the logits <see cref="ClassCodeScale"/> · f · c / K
    /// (<see cref="Objective.ClassCodeTerm"/>). Measured on PACS with the ResNet18 profile at 64 bits, weight 1 scores
    /// within the seed spread (+0.010 and −0.008 mAP with two training seeds) and places fewer query sketches nearest
    /// their class's code, so the default leaves it off (docs/results.md, "The class-code term"). In [0, 100].
    /// </summary>
    public double ClassCodeWeight { get; init; }

    /// <summary>Scale of the class-code term's logits (default 16). In (0, 1000].</summary>
    public double ClassCodeScale { get; init; } = 16;

    /// <summary>SGD momentum (default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay (default 5e-4).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Largest global gradient norm before a step; 0 turns clipping off (default 10).</summary>
    public double GradientClipNorm { get; init; } = 10.0;

    /// <summary>Weights of the objective and the code-update sweeps (λ, γ, ρ).</summary>
    public DshObjectiveOptions Objective { get; init; } = new();

    /// <summary>"cpu" (default) or "cuda" / "cuda:N" (honoured when CUDA is available, else an error).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Intra-op threads; 0 = one per core (default). Runs are bit-identical only with the same count.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Seed of everything random: initial weights and codes, batch order, dropout, augmentation (default 1,
    /// <see cref="DshProfile.Seed"/>).
    /// </summary>
    public int Seed { get; init; } = DshProfile.Default.Seed;

    /// <summary>Folder for checkpoints; null (default) writes none and never resumes.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Write a checkpoint every this many θ-steps as well as at the end of every epoch; 0 = epoch ends only.</summary>
    public int CheckpointInterval { get; init; }

    /// <summary>Checkpoints kept in the folder (default 2: the newest and one before it, in case the newest is damaged).</summary>
    public int CheckpointsToKeep { get; init; } = 2;

    /// <summary>Training-time augmentation (default <see cref="AugmentationOptions.Default"/>).</summary>
    [JsonIgnore]
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Default;

    /// <summary>
    /// The class vectors of the semantic term: "wordnet" (WordNet 3.0's noun hierarchy, from the table built into the
    /// library: the same vectors on every machine), "wordnet:DIRECTORY" (an installed WordNet database), "onehot", or the
    /// path of a word2vec (text or binary) or GloVe file. Null (default): <see cref="SemanticVectorsPath"/> when set, else
    /// one-hot when <see cref="UseWordNet"/> is false, else <see cref="DefaultClassVectors"/>. Categories a source does
    /// not cover get one-hot components added; what was used is stored in the model (<see cref="TrainingSummary.SemanticSource"/>).
    /// See docs/semantics.md.
    /// </summary>
    public string? ClassVectors { get; init; }

    /// <summary>The class vectors used when nothing else is chosen: "wordnet" (measured against one-hot in docs/results.md).</summary>
    public const string DefaultClassVectors = "wordnet";

    /// <summary>A word2vec (text or binary) or GloVe file for the class vectors; <see cref="ClassVectors"/> takes precedence.</summary>
    public string? SemanticVectorsPath { get; init; }

    /// <summary>With <see cref="ClassVectors"/> and <see cref="SemanticVectorsPath"/> unset: false chooses one-hot vectors (default true: <see cref="DefaultClassVectors"/>).</summary>
    public bool UseWordNet { get; init; } = true;

    /// <summary>The class-vector setting in effect: <see cref="ClassVectors"/>, else <see cref="SemanticVectorsPath"/>, else "onehot" or <see cref="DefaultClassVectors"/>.</summary>
    [JsonIgnore]
    public string EffectiveClassVectors => ClassVectors ?? SemanticVectorsPath ?? (UseWordNet ? DefaultClassVectors : "onehot");

    /// <summary>
    /// Folder caching sketch-token maps of photo files by content hash and extractor; null (default) uses
    /// <c>&lt;temp&gt;/dsh-token-cache-&lt;user&gt;</c> (<see cref="DshTrainer.DefaultTokenCacheDirectory"/>).
    /// </summary>
    public string? TokenCacheDirectory { get; init; }

    /// <summary>
    /// The sketch-token extractor for photos (default: <see cref="ContourTokenExtractor"/> with default options). Its
    /// <see cref="ISketchTokenExtractor.Name"/> is saved with the model; a model trained with another extractor needs it
    /// set on <see cref="DshModel.TokenExtractor"/> before encoding photos.
    /// </summary>
    [JsonIgnore]
    public ISketchTokenExtractor? TokenExtractor { get; init; }

    /// <summary>A TorchSharp weight file (<c>Module.save</c> of a <see cref="DshNetwork"/> or of one of its trunks, keys as
    /// in <c>state_dict</c>) whose matching tensors initialise the network; null (default) trains from scratch.</summary>
    public string? InitialWeightsPath { get; init; }

    /// <summary>
    /// The ImageNet ResNet-18 ONNX model the <see cref="ResNet18TrunkSpec"/> trunks start from; null (default):
    /// <see cref="ResNet18Onnx.DefaultPath"/>, where the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>
    /// puts it. Unused by trunks without pretrained weights.
    /// </summary>
    public string? ImageNetWeightsPath { get; init; }

    /// <summary>
    /// The rule for small photos, in pixels (default 96; 0 turns it off): when the photo trunk is an ImageNet ResNet-18
    /// with all four stages frozen (the ResNet18 profile's default) and the median shorter side of the training photos is
    /// below this, <c>DshTrainer.Fit(SbirDataset)</c> lets the
    /// trunk's last stage learn (FrozenStages 3), and says so in its progress. Measured: 32 px CIFAR-10 photos gain 0.10
    /// mAP (docs/results.md, "Which trunk stages learn"); photos of 200 px and more (PACS) do not need it and train faster
    /// without it. The returned model's architecture records what was trained.
    /// </summary>
    public int SmallPhotoSide { get; init; } = 96;

    /// <summary>
    /// Whether the output of frozen ResNet stages is computed once per image and kept in memory (default true: each
    /// epoch then runs only the learning stages). Cached items are augmented only through
    /// <see cref="FrozenStageCacheVariants"/>; set false to augment every batch afresh at the cost of running the frozen
    /// stages every time. No effect without frozen stages.
    /// </summary>
    public bool CacheFrozenStages { get; init; } = true;

    /// <summary>
    /// How many versions of each item the frozen-stage cache keeps (default 1: the un-augmented image only; 1 to 16):
    /// version 0 is the image as it is, the others are augmented copies (<see cref="Augmentation"/>, fixed per item and
    /// seed), and each training step serves every item in a version drawn at random. The cache's memory and the pass that
    /// fills it grow with the count.
    /// </summary>
    public int FrozenStageCacheVariants { get; init; } = 1;

    /// <summary>
    /// The element type of the frozen-stage cache (default <see cref="CachePrecision.Float32"/>);
    /// <see cref="CachePrecision.Float16"/> halves its memory (docs/training.md, "Memory").
    /// </summary>
    public CachePrecision FrozenStageCachePrecision { get; init; } = CachePrecision.Float32;

    /// <summary>
    /// Where the codes start before the first code update (default <see cref="CodeInitialization.Random"/>, the paper's);
    /// <see cref="CodeInitialization.CategoryCodes"/> starts every item at a far-apart code of its category.
    /// </summary>
    public CodeInitialization InitialCodes { get; init; } = CodeInitialization.Random;

    /// <summary>Batch size used to compute the network outputs F over the whole training set when γ &gt; 0 (default 64).</summary>
    public int EncodeBatchSize { get; init; } = 64;

    /// <summary>Checks every field; returns this.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    /// <exception cref="FileNotFoundException">
    /// The ResNet18 profile (the default) is chosen and its ImageNet ONNX model is missing; the message names the NuGet
    /// package to add and how to pick the compact profile instead.
    /// </exception>
    public DshTrainerOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Architecture, nameof(Architecture));
        Architecture.Validate();
        // A model that DshModel.Load would refuse with its default limits is not worth hours of training (several members
        // of the paper's network reach them).
        Require(Architecture.ParameterCount <= DshModelLoadOptions.DefaultMaxParameters && Architecture.StateByteCount <= DshModelLoadOptions.DefaultMaxStateBytes,
            nameof(Architecture), $"has {Architecture.ParameterCount:N0} parameters ({Architecture.StateByteCount:N0} bytes of weights): more than a model file loads with the default limits ({DshModelLoadOptions.DefaultMaxParameters:N0} parameters, {DshModelLoadOptions.DefaultMaxStateBytes:N0} bytes); use fewer Members or smaller layers");
        ArgumentNullException.ThrowIfNull(Objective, nameof(Objective));
        Objective.Validated();
        ArgumentNullException.ThrowIfNull(Augmentation, nameof(Augmentation));
        Augmentation.Validated();
        Require(Epochs >= 1, nameof(Epochs), $"must be at least 1, not {Epochs}");
        Require(MinimumSteps is null or (>= 0 and <= 10_000_000), nameof(MinimumSteps), $"must be null or 0 to 10,000,000, not {MinimumSteps}");
        Require(AveragedEpochs is null or (>= 0 and <= 1_000_000), nameof(AveragedEpochs), $"must be null (the architecture decides), or 0 (off) to 1,000,000, not {AveragedEpochs}");
        Require(BatchSize >= 1, nameof(BatchSize), $"must be at least 1, not {BatchSize}");
        Require(SmallPhotoSide is >= 0 and <= 100_000, nameof(SmallPhotoSide), $"must be 0 (off) to 100,000 pixels, not {SmallPhotoSide}");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), $"must be a finite value > 0, not {LearningRate}");
        Require(SketchTrunkLearningRateFactor is > 0 and <= 10, nameof(SketchTrunkLearningRateFactor), $"must be in (0, 10], not {SketchTrunkLearningRateFactor}");
        Require(FusionHeadLearningRateFactor is > 0 and <= 10, nameof(FusionHeadLearningRateFactor), $"must be in (0, 10], not {FusionHeadLearningRateFactor}");
        Require(ClassCodeWeight is >= 0 and <= 100, nameof(ClassCodeWeight), $"must be in [0, 100], not {ClassCodeWeight}");
        Require(ClassCodeScale is > 0 and <= 1000, nameof(ClassCodeScale), $"must be in (0, 1000], not {ClassCodeScale}");
        Require(LearningRateDecay is > 0 and <= 1, nameof(LearningRateDecay), $"must be in (0, 1], not {LearningRateDecay}");
        Require(FrozenStageCacheVariants is >= 1 and <= 16, nameof(FrozenStageCacheVariants), $"must be 1 to 16, not {FrozenStageCacheVariants}");
        RequireDefined(InitialCodes, nameof(InitialCodes));
        RequireDefined(FrozenStageCachePrecision, nameof(FrozenStageCachePrecision));
        RequireDefined(LearningRateSchedule, nameof(LearningRateSchedule));
        Require(Momentum is >= 0 and < 1, nameof(Momentum), $"must be in [0, 1), not {Momentum}");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), $"must be a finite value ≥ 0, not {WeightDecay}");
        Require(GradientClipNorm >= 0 && double.IsFinite(GradientClipNorm), nameof(GradientClipNorm), $"must be a finite value ≥ 0, not {GradientClipNorm}");
        Require(Threads >= 0, nameof(Threads), $"must be ≥ 0 (0 = one per core), not {Threads}");
        Require(CheckpointInterval >= 0, nameof(CheckpointInterval), $"must be ≥ 0, not {CheckpointInterval}");
        Require(CheckpointsToKeep >= 1, nameof(CheckpointsToKeep), $"must be at least 1, not {CheckpointsToKeep}");
        Require(EncodeBatchSize >= 1, nameof(EncodeBatchSize), $"must be at least 1, not {EncodeBatchSize}");
        Require(!string.IsNullOrWhiteSpace(Device), nameof(Device), "must be \"cpu\", \"cuda\" or \"cuda:N\"");
        string device = Device.Trim().ToLowerInvariant();
        Require(device == "cpu" || device == "cuda" || (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device[5..], out int n) && n >= 0),
            nameof(Device), $"must be \"cpu\", \"cuda\" or \"cuda:N\", not \"{Device}\"");
        if (SemanticVectorsPath is not null && !File.Exists(SemanticVectorsPath))
        {
            throw new ArgumentException($"SemanticVectorsPath {SemanticVectorsPath} does not exist.", nameof(SemanticVectorsPath));
        }
        if (ClassVectors is { } vectors)
        {
            string v = vectors.Trim();
            Require(v.Length > 0, nameof(ClassVectors), "must be \"wordnet\", \"wordnet:DIRECTORY\", \"onehot\" or a word-vector file, not blank");
            if (v.StartsWith("wordnet:", StringComparison.Ordinal))
            {
                Require(Directory.Exists(v["wordnet:".Length..]), nameof(ClassVectors), $"names the WordNet directory {v["wordnet:".Length..]}, which does not exist");
            }
            else if (v is not ("wordnet" or "onehot" or "one-hot"))
            {
                Require(File.Exists(v), nameof(ClassVectors),
                    $"must be \"wordnet\", \"wordnet:DIRECTORY\", \"onehot\" or an existing word2vec/GloVe file; {v} does not exist");
            }
        }
        try
        {
            Architecture.SketchTrunk.CheckPretrainedWeights(ImageNetWeightsPath);
            Architecture.PhotoTrunk.CheckPretrainedWeights(ImageNetWeightsPath);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"{e.Message} {CompactHint}", e.FileName, e);
        }
        if (InitialWeightsPath is not null && !File.Exists(InitialWeightsPath))
        {
            throw new ArgumentException($"InitialWeightsPath {InitialWeightsPath} does not exist.", nameof(InitialWeightsPath));
        }
        return this;
    }

    /// <summary>How to train without the ImageNet weights, appended to their not-found message.</summary>
    private static readonly string CompactHint =
        $"Or train the compact profile, which needs no ONNX file (64 px, from scratch, weaker on real photos): " +
        $"Architecture = DshArchitecture.Compact({DshProfile.DefaultCodeLength}), or start from DshProfile.Compact.TrainerOptions({DshProfile.DefaultCodeLength}).";

    /// <summary>Rejects a value outside the enum's members, naming them ("must be A or B, not 7").</summary>
    private static void RequireDefined<TEnum>(TEnum value, string name) where TEnum : struct, Enum =>
        Require(Enum.IsDefined(value), name, $"must be {string.Join(" or ", Enum.GetNames<TEnum>())}, not {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}");

    private static void Require(bool condition, string name, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {what}.", name);
        }
    }
}
