using Dsh.Data;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Persistence;
using Dsh.Semantics;
using Dsh.Training;
using static TorchSharp.torch;

namespace Dsh;

public sealed partial class DshTrainer
{
    /// <summary>
    /// Default folder of the on-disk sketch-token cache when <see cref="DshTrainerOptions.TokenCacheDirectory"/> is not set:
    /// <c>sketch-tokens</c> in the per-user <see cref="DshDirectories.Cache"/> (owner-only permissions).
    /// </summary>
    public static string DefaultTokenCacheDirectory => DshDirectories.CacheFolder("sketch-tokens");

    /// <summary>Trains on <paramref name="dataset"/> (its training sketches and all its photos) and returns the model.</summary>
    /// <exception cref="ArgumentException">The dataset has no training sketches or no photos.</exception>
    public DshModel Fit(SbirDataset dataset) => Fit(dataset, null, CancellationToken.None);

    /// <summary>
    /// Trains on <paramref name="dataset"/>, reporting every step, code update and checkpoint to
    /// <paramref name="progress"/>; <paramref name="cancellationToken"/> stops between steps (the newest checkpoint,
    /// if a folder is set, lets the next <c>Fit</c> resume).
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="InvalidOperationException">The newest checkpoint belongs to another run, the loss became NaN, or CUDA was asked for and is missing.</exception>
    /// <exception cref="InvalidDataException">A class-vector or initial-weight file, or an image, cannot be read.</exception>
    public DshModel Fit(SbirDataset dataset, IProgress<DshProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.Photos.Any() || !dataset.TrainingSketches.Any())
        {
            throw new ArgumentException("The dataset needs photos and training sketches (sketches not held out as queries).", nameof(dataset));
        }
        DshTrainerOptions adapted = AdaptedTo(dataset, progress);
        return ReferenceEquals(adapted, Options)
            ? FitAsGiven(dataset, progress, cancellationToken)
            : new DshTrainer(adapted).FitAsGiven(dataset, progress, cancellationToken);
    }

    /// <summary>
    /// The options after the profile's rules for <paramref name="dataset"/> (<see cref="SmallPhotoRule"/>, then
    /// <see cref="FewStepsRule"/>), each change reported as a <see cref="TrainingPhase.Preparing"/> message; the
    /// trainer's own options when neither applies. Each rule runs once (the small-photo rule reads photo headers).
    /// </summary>
    private DshTrainerOptions AdaptedTo(SbirDataset dataset, IProgress<DshProgress>? progress)
    {
        void Say(string message) => progress?.Report(new DshProgress { Phase = TrainingPhase.Preparing, Epochs = Options.Epochs, Message = message });

        DshTrainerOptions smallPhotos = SmallPhotoRule.Apply(Options, dataset, out int medianSide);
        if (!ReferenceEquals(smallPhotos, Options))
        {
            Say($"small photos (median shorter side {medianSide} px, under {Options.SmallPhotoSide}): the photo trunk's last stage learns too" +
                (Options.Architecture.MirrorPhotos ? ", photos are encoded once (not mirrored)" : "") +
                (smallPhotos.LearningRate != Options.LearningRate ? FormattableString.Invariant($", learning rate {smallPhotos.LearningRate:g3}") : "") +
                (Options.AveragedEpochs is null ? $", and the weights of the last {DshTrainerOptions.LearningPhotoTrunkAveragedEpochs} epochs are averaged" : ""));
        }
        DshTrainerOptions shortRun = FewStepsRule.Apply(smallPhotos, dataset, out long plannedSteps);
        if (!ReferenceEquals(shortRun, smallPhotos))
        {
            Say(FormattableString.Invariant(
                $"a short run ({plannedSteps} steps, under {FewStepsRule.ShortRunSteps}): learning rate {shortRun.LearningRate:g3} instead of {smallPhotos.LearningRate:g3}"));
        }
        return shortRun;
    }

    /// <summary>Trains on <paramref name="dataset"/> with <see cref="Options"/> as they are (the rules already applied).</summary>
    private DshModel FitAsGiven(SbirDataset dataset, IProgress<DshProgress>? progress, CancellationToken cancellationToken)
    {
        ClassEmbedding embedding = ChooseClassVectors(dataset.Categories);
        IReadOnlyList<string> missing = embedding.MissingWords;
        if (missing.Count > 0)
        {
            progress?.Report(new DshProgress
            {
                Phase = TrainingPhase.Preparing,
                Epochs = Options.Epochs,
                Message = $"class vectors ({embedding.Source}): no vector for {string.Join(", ", embedding.MissingWords.Take(10))}",
            });
        }
        ISketchTokenExtractor extractor = Options.TokenExtractor ?? new ContourTokenExtractor();
        using var images = new DshImageSource(extractor, Options.TokenCacheDirectory ?? DefaultTokenCacheDirectory, dataset.Decoding);
        var data = new DatasetTrainingData(dataset, Options.Architecture, Options.Augmentation, images);
        using Tensor classVectors = embedding.ToTensor();
        return Fit(data, classVectors, embedding.Source, extractor.Name, progress, cancellationToken, missing);
    }

    /// <summary>
    /// The class vectors of <see cref="DshTrainerOptions.EffectiveClassVectors"/> (<see cref="ClassEmbeddings.Resolve"/>):
    /// categories without any vector get one-hot components added, so no class collapses.
    /// </summary>
    internal ClassEmbedding ChooseClassVectors(IReadOnlyList<string> categories) =>
        ClassEmbeddings.Resolve(categories, Options.EffectiveClassVectors);
}
