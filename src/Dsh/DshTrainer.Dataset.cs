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
        DshTrainerOptions adapted = SmallPhotoRule.Apply(Options, dataset, out int medianSide);
        if (!ReferenceEquals(adapted, Options))
        {
            progress?.Report(new DshProgress
            {
                Phase = TrainingPhase.Preparing,
                Epochs = Options.Epochs,
                Message = $"small photos (median shorter side {medianSide} px, under {Options.SmallPhotoSide}): the photo trunk's last stage learns too" +
                    (Options.Architecture.MirrorPhotos ? ", photos are encoded once (not mirrored)" : "") +
                    (adapted.LearningRate != Options.LearningRate ? FormattableString.Invariant($", learning rate {adapted.LearningRate:g3}") : "") +
                    (Options.AveragedEpochs is null ? $", and the weights of the last {DshTrainerOptions.LearningPhotoTrunkAveragedEpochs} epochs are averaged" : ""),
            });
            return new DshTrainer(adapted).Fit(dataset, progress, cancellationToken);
        }
        DshTrainerOptions shortRun = FewStepsRule.Apply(Options, dataset, out long plannedSteps);
        if (!ReferenceEquals(shortRun, Options))
        {
            progress?.Report(new DshProgress
            {
                Phase = TrainingPhase.Preparing,
                Epochs = Options.Epochs,
                Message = FormattableString.Invariant(
                    $"a short run ({plannedSteps} steps, under {FewStepsRule.ShortRunSteps}): learning rate {shortRun.LearningRate:g3} instead of {Options.LearningRate:g3}"),
            });
            return new DshTrainer(shortRun).Fit(dataset, progress, cancellationToken);
        }
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
