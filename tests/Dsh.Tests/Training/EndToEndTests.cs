using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Tests.Support;
using Dsh.Training;
using TorchSharp;

namespace Dsh.Tests.Training;

/// <summary>
/// The whole path on a tiny generated dataset (four shape categories): load folders → hold out queries → train the
/// compact network a few epochs → save → load → encode → index → search; and training must beat the untrained
/// network with the same seed on mAP.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadTrainSaveLoadEncodeIndexSearch_AndTrainingBeatsNoTraining()
    {
        (string sketchRoot, string photoRoot) = ShapeImages.WriteDataset(_dir, sketchesPerCategory: 20, photosPerCategory: 12, seed: 5);
        SbirDataset dataset = SbirDataset.FromFolders(sketchRoot, photoRoot).WithQueries(5, seed: 1);
        Assert.True(dataset.Report.IsClean, dataset.Report.ToString());
        var options = new DshTrainerOptions
        {
            Architecture = DshArchitecture.Compact(32),
            Epochs = 10,
            BatchSize = 16,
            LearningRate = 1e-2,
            Seed = 1,
            Threads = 2,
            TokenCacheDirectory = Path.Combine(_dir, "tokens"),
        };
        var phases = new List<TrainingPhase>();
        var log = new List<string>();
        using DshModel trained = new DshTrainer(options).Fit(dataset, new SyncProgress<DshProgress>(p =>
        {
            phases.Add(p.Phase);
            if (p.Phase is TrainingPhase.CodeUpdate or TrainingPhase.NetworkStep)
            {
                log.Add($"{p.Phase} e{p.Epoch} s{p.Step} loss {p.BatchLoss:F2} pp {p.Terms?.PairwisePerPair:F1} q {p.Terms?.QuantizationPhoto:F0}/{p.Terms?.QuantizationSketch:F0} bits {p.BitsChanged}");
            }
        }), CancellationToken.None);
        Assert.Contains(TrainingPhase.CodeUpdate, phases);
        Assert.Equal(TrainingPhase.Done, phases[^1]);

        string modelPath = Path.Combine(_dir, "shapes.dshm");
        trained.Save(modelPath);
        using DshModel model = DshModel.Load(modelPath);
        Assert.Equal(dataset.Categories, model.Categories);

        // Gallery in a shuffled order, so ties between codes cannot favour a method by category order.
        var shuffled = dataset.Photos.OrderBy(p => Path.GetFileName(p.Path!).GetHashCode(StringComparison.Ordinal) ^ p.Label * 7919).ToList();
        var photos = shuffled.Select((p, i) => (Id: (long)i, p.Path!)).ToList();
        HammingIndex index = model.BuildIndex(photos);
        Assert.Equal(photos.Count, index.Count);
        var queries = dataset.QuerySketches.ToList();
        BinaryCodeSet queryCodes = model.EncodeSketches(queries.Select(q => q.Path!));
        Assert.Equal(model.EncodeSketch(queries[0].Path!), queryCodes[0]);
        Assert.True(index.TryGetCode(3, out BinaryCode? stored));
        Assert.Equal(model.EncodePhoto(photos[3].Item2), stored);

        int[] photoLabels = shuffled.Select(p => p.Label).ToArray();
        int[] queryLabels = queries.Select(q => q.Label).ToArray();
        BinaryCodeSet gallery = model.EncodePhotos(photos.Select(p => p.Item2));
        double trainedMap = RetrievalMetrics.MeanAveragePrecision(queryCodes, queryLabels, gallery, photoLabels);

        // The same network before training: same seed, same initialisation.
        torch.manual_seed(options.Seed);
        using var untrained = new DshModel(new DshNetwork(options.Architecture), dataset.Categories, new TrainingSummary(), model.TokenExtractorName);
        double untrainedMap = RetrievalMetrics.MeanAveragePrecision(
            untrained.EncodeSketches(queries.Select(q => q.Path!)), queryLabels, untrained.EncodePhotos(photos.Select(p => p.Item2)), photoLabels);

        // Measured: 0.876 against 0.419 (chance is about 0.25 with four categories).
        Assert.True(trainedMap > untrainedMap + 0.2, $"mAP trained {trainedMap:F3} vs untrained {untrainedMap:F3}\n" + string.Join("\n", log));

        // Searching with a query sketch: most of the top 5 photos share its category.
        int sameCategory = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            sameCategory += index.Search(queryCodes[q], 5).Count(n => photoLabels[n.Id] == queryLabels[q]);
        }
        Assert.True(sameCategory > queries.Count * 5 / 2, $"{sameCategory} of {queries.Count * 5} top-5 results share the query's category");
    }
}

/// <summary>The real PACS pictures (../shared/data/pacs) through the whole pipeline: a small seeded subset, one epoch.</summary>
[Trait("Category", "Slow")]
public sealed class RealDataSmokeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-pacs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PacsSubset_TrainsEncodesAndRanks()
    {
        string pacs = Path.Combine(RepoPaths.Root, "..", "shared", "data", "pacs");
        Assert.True(Directory.Exists(pacs), $"{pacs} is missing: the real-data tests need ../shared/data beside the repository");
        SbirDataset dataset = SbirDataset.FromFolders(Path.Combine(pacs, "sketch"), Path.Combine(pacs, "photo"))
            .Take(maxSketchesPerCategory: 12, maxPhotosPerCategory: 6, seed: 1).WithQueries(3, seed: 1);
        Assert.Equal(7, dataset.Categories.Count);
        var options = new DshTrainerOptions
        {
            Architecture = DshArchitecture.Compact(16),
            Epochs = 1,
            BatchSize = 16,
            Seed = 1,
            Threads = 2,
            TokenCacheDirectory = Path.Combine(_dir, "tokens"),
        };
        using DshModel model = new DshTrainer(options).Fit(dataset);
        Assert.True(double.IsFinite(model.Summary.FinalBatchLoss));
        Assert.Equal(dataset.Photos.Count, Directory.GetFiles(Path.Combine(_dir, "tokens"), "*.png", SearchOption.AllDirectories).Length);

        var queries = dataset.QuerySketches.ToList();
        BinaryCodeSet gallery = model.EncodePhotos(dataset.Photos.Select(p => p.Path!));
        BinaryCodeSet queryCodes = model.EncodeSketches(queries.Select(q => q.Path!));
        double map = RetrievalMetrics.MeanAveragePrecision(queryCodes, queries.Select(q => q.Label).ToArray(), gallery, dataset.Photos.Select(p => p.Label).ToArray());
        Assert.InRange(map, 0.0, 1.0);
    }
}
