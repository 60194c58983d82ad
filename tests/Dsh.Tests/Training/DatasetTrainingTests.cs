using Dsh.Tests.Support;
using Dsh.Training;
using TorchSharp;

namespace Dsh.Tests.Training;

/// <summary>Determinism and memory through the real image path: files → decoding (parallel) → tokens → augmentation → tensors.</summary>
public sealed class DatasetTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-dstrain-").FullName;
    private readonly SbirDataset _dataset;

    public DatasetTrainingTests()
    {
        (string sketches, string photos) = ShapeImages.WriteDataset(Path.Combine(_dir, "data"), sketchesPerCategory: 6, photosPerCategory: 4, seed: 2, size: 72);
        _dataset = SbirDataset.FromFolders(sketches, photos).WithQueries(1, seed: 1);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DshTrainerOptions Options(string? checkpoints = null) => new()
    {
        Architecture = DshArchitecture.Compact(16),
        Epochs = 2,
        BatchSize = 8,
        Seed = 4,
        Threads = 2,
        TokenCacheDirectory = Path.Combine(_dir, "tokens"),
        CheckpointDirectory = checkpoints,
        CheckpointInterval = 1,
    };

    [Fact]
    public void CompactProfileOnImages_TwoRunsAreBitEqual_EvenWithACold_ThenWarmTokenCache()
    {
        var lossesA = new List<double>();
        var lossesB = new List<double>();
        using var a = new DshTrainer(Options()).Fit(_dataset, new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep) { lossesA.Add(p.BatchLoss); } }));
        using var b = new DshTrainer(Options()).Fit(_dataset, new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep) { lossesB.Add(p.BatchLoss); } }));
        Assert.Equal(6, lossesA.Count);
        Assert.Equal(lossesA, lossesB);
        var wa = TrainingFixtures.Weights(a);
        Assert.All(TrainingFixtures.Weights(b), kv => Assert.Equal(wa[kv.Key], kv.Value));
    }

    [Fact]
    public void LiveTensors_StayFlat_WithImagesAndACheckpointEveryStep()
    {
        var live = new List<long>();
        using var model = new DshTrainer(Options(Path.Combine(_dir, "ckpt")) with { Epochs = 3 }).Fit(_dataset, new SyncProgress<DshProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Checkpoint)
            {
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
        }));
        Assert.True(live.Count >= 9, $"{live.Count} checkpoints");
        Assert.True(live[3..].Distinct().Count() == 1, "live tensors at each checkpoint: " + string.Join(", ", live));
    }

    [Fact]
    public void PhotoBatches_CarrySketchTokenMapsAtTheTokenInputSize()
    {
        DshArchitecture architecture = DshArchitecture.ResNet18(64) with { TokenInputSize = 128 };
        using var images = new Dsh.Data.DshImageSource(new Dsh.Imaging.Contours.ContourTokenExtractor(), Path.Combine(_dir, "tokens"));
        var data = new DatasetTrainingData(_dataset, architecture, Dsh.Imaging.Augmentation.AugmentationOptions.Default, images);
        using var scope = torch.NewDisposeScope();
        (torch.Tensor photos, torch.Tensor tokens) = data.PhotoBatch([0, 1, 2], new Random(1));
        Assert.Equal([3L, 3, 224, 224], photos.shape);
        Assert.Equal([3L, 3, 128, 128], tokens.shape);
        Assert.Equal([3L, 3, 224, 224], data.SketchBatch([0, 1, 2], null).shape);
    }
}
