using System.Diagnostics;
using System.Globalization;
using Dsh.Data;
using Dsh.Hashing;
using Dsh.Training;

namespace Dsh.Quality;

/// <summary>
/// The DSH part every quality command shares: train on a dataset with progress lines, save the model, encode the
/// query sketches and gallery photos, and time both phases.
/// </summary>
internal sealed class DshTrainAndEncode : IDisposable
{
    private DshTrainAndEncode(DshModel model, BinaryCodeSet queries, BinaryCodeSet gallery, int[] queryLabels, int[] galleryLabels, TimeSpan trainTime, TimeSpan encodeTime)
    {
        (Model, Queries, Gallery, QueryLabels, GalleryLabels, TrainTime, EncodeTime) = (model, queries, gallery, queryLabels, galleryLabels, trainTime, encodeTime);
    }

    /// <summary>The queries' real-valued network outputs (null unless asked for).</summary>
    public IReadOnlyList<float[]>? QueryEmbeddings { get; private init; }

    /// <summary>The gallery's real-valued network outputs (null unless asked for).</summary>
    public IReadOnlyList<float[]>? GalleryEmbeddings { get; private init; }

    public DshModel Model { get; }

    public BinaryCodeSet Queries { get; }

    public BinaryCodeSet Gallery { get; }

    public int[] QueryLabels { get; }

    public int[] GalleryLabels { get; }

    public TimeSpan TrainTime { get; }

    public TimeSpan EncodeTime { get; }

    /// <summary>Images encoded per second (queries and gallery together).</summary>
    public double EncodedPerSecond => (Queries.Count + Gallery.Count) / EncodeTime.TotalSeconds;

    /// <summary>
    /// Trains, saves the model to <paramref name="modelPath"/>, encodes. Progress: a line at every code update, at the
    /// end and for every preparation message; with <paramref name="networkStepLines"/> also every 10th network step,
    /// with items/s and ETA. With <paramref name="reuseModel"/> an existing model file is loaded instead of trained.
    /// </summary>
    public static DshTrainAndEncode Run(DshTrainerOptions options, SbirDataset train, IReadOnlyList<SbirItem> querySketches,
        IReadOnlyList<SbirItem> galleryPhotos, string modelPath, bool networkStepLines, bool keepEmbeddings = false, bool reuseModel = false)
    {
        var clock = Stopwatch.StartNew();
        var progress = new InlineProgress(p =>
        {
            bool stepLine = networkStepLines && p.Phase == TrainingPhase.NetworkStep && p.Step % 10 == 0;
            if (p.Phase == TrainingPhase.CodeUpdate || p.Phase == TrainingPhase.Done || (p.Phase == TrainingPhase.Preparing && p.Message.Length > 0) || stepLine)
            {
                string line = string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:hh\\:mm\\:ss}] {p.Phase} epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.TotalSteps} loss {p.BatchLoss:F2} {p.Message}");
                if (networkStepLines)
                {
                    string rate = p.ItemsPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $"{p.ItemsPerSecond:F0} items/s") : "";
                    line += $" {rate} {(p.Eta is { } eta ? $"ETA {eta:hh\\:mm\\:ss}" : "")}";
                }

                Console.WriteLine(line);
            }
        });
        DshModel model = reuseModel && File.Exists(modelPath)
            ? DshModel.Load(modelPath)
            : new DshTrainer(options).Fit(train, progress, CancellationToken.None);
        try
        {
            if (options.TokenExtractor is { } extractor)
            {
                model.TokenExtractor = extractor; // a model knows only the built-in extractors by name
            }
            // queries are encoded as the options say, also for a reused model saved before they said so (it does not change
            // the network or the photo codes)
            model.MirrorSketches = options.Architecture.MirrorSketches;
            TimeSpan trainTime = clock.Elapsed;
            model.Save(modelPath);
            clock.Restart();
            if (keepEmbeddings)
            {
                var q = model.EmbedSketchFiles(querySketches.Select(x => x.Path!).ToArray());
                var g = model.EmbedPhotoFiles(galleryPhotos.Select(x => x.Path!).ToArray());
                if (q.Skipped.Count + g.Skipped.Count > 0)
                {
                    throw new InvalidDataException($"{q.Skipped.Concat(g.Skipped).First()}");
                }
                return new DshTrainAndEncode(model, q.Codes, g.Codes, querySketches.Select(x => x.Label).ToArray(),
                    galleryPhotos.Select(x => x.Label).ToArray(), trainTime, clock.Elapsed)
                { QueryEmbeddings = q.Embeddings, GalleryEmbeddings = g.Embeddings };
            }
            BinaryCodeSet queries = model.EncodeSketches(querySketches.Select(q => q.Path!));
            BinaryCodeSet gallery = model.EncodePhotos(galleryPhotos.Select(p => p.Path!));
            TimeSpan encodeTime = clock.Elapsed;
            return new DshTrainAndEncode(model, queries, gallery, querySketches.Select(q => q.Label).ToArray(),
                galleryPhotos.Select(p => p.Label).ToArray(), trainTime, encodeTime);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose() => Model.Dispose();

    /// <summary>Reports on the training thread, at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<DshProgress> report) : IProgress<DshProgress>
    {
        public void Report(DshProgress value) => report(value);
    }
}
