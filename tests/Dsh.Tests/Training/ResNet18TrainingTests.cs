using Dsh.Hashing;
using Dsh.Imaging.Augmentation;
using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Training;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// The trainer on the ResNet18 profile through the real image path (generated shape pictures at 64 px): the frozen-stage
/// cache is exact, frozen stages keep their ImageNet weights, the model file round-trips, and a resumed run is bit-equal.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ResNet18TrainingTests(ResNet18TrainingTests.TrainedFixture fixture) : IClassFixture<ResNet18TrainingTests.TrainedFixture>, IDisposable
{
    /// <summary>The dataset and one model trained with the default cache (shared: a run takes several seconds).</summary>
    public sealed class TrainedFixture : IDisposable
    {
        public TrainedFixture()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("dsh-resnet-train-").FullName;
            // 4 categories × (6 sketches, one held out; 3 photos): 20 training sketches, 12 photos, batch 8 → 3 steps an epoch.
            (string sketches, string photos) = ShapeImages.WriteDataset(Path.Combine(Directory, "data"), sketchesPerCategory: 6, photosPerCategory: 3, seed: 8, size: 64);
            Dataset = SbirDataset.FromFolders(sketches, photos).WithQueries(1, seed: 1);
            Losses = new List<double>();
            Model = new DshTrainer(Options()).Fit(Dataset, new SyncProgress<DshProgress>(p =>
            {
                if (p.Phase == TrainingPhase.NetworkStep)
                {
                    Losses.Add(p.BatchLoss);
                }
            }));
        }

        public string Directory { get; }

        public SbirDataset Dataset { get; }

        public DshModel Model { get; }

        public List<double> Losses { get; }

        public static DshArchitecture Architecture { get; } = DshArchitecture.ResNet18(16).WithSizes(64, 64);

        public DshTrainerOptions Options(string? checkpoints = null) => new()
        {
            Architecture = Architecture,
            Epochs = 2,
            MinimumSteps = 0, // exactly 2 epochs on this tiny set
            BatchSize = 8,
            Seed = 3,
            Threads = 1, // a busy 2-core machine slows two OpenMP threads far more than one
            UseWordNet = false,
            Augmentation = AugmentationOptions.None,
            SmallPhotoSide = 0, // these 64 px photos would let the photo trunk's last stage learn (SmallPhotoRuleTests)
            TokenCacheDirectory = Path.Combine(Directory, "tokens"),
            CheckpointDirectory = checkpoints,
            CheckpointInterval = checkpoints is null ? 0 : 1,
        };

        public void Dispose()
        {
            Model.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-resnet-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DshModel Trained => fixture.Model;

    private IReadOnlyList<string> QueryPaths => fixture.Dataset.QuerySketches.Select(q => q.Path!).ToList();

    private IReadOnlyList<string> PhotoPaths => fixture.Dataset.Photos.Select(p => p.Path!).ToList();

    private static void AssertSameWeights(DshModel expected, DshModel actual)
    {
        var weights = TrainingFixtures.Weights(expected);
        var other = TrainingFixtures.Weights(actual);
        Assert.Equal(weights.Keys.Order(StringComparer.Ordinal), other.Keys.Order(StringComparer.Ordinal));
        Assert.All(other, kv => Assert.True(weights[kv.Key].AsSpan().SequenceEqual(kv.Value), kv.Key));
    }

    private static void AssertSameCodes(BinaryCodeSet expected, BinaryCodeSet actual)
    {
        Assert.Equal((expected.Count, expected.CodeLength), (actual.Count, actual.CodeLength));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void Training_RunsTheExpectedSteps_WithFiniteLosses()
    {
        Assert.Equal(6, fixture.Losses.Count);
        Assert.All(fixture.Losses, l => Assert.True(double.IsFinite(l)));
        Assert.Equal(6, Trained.Summary.Steps);
        Assert.Equal(TrainedFixture.Architecture, Trained.Architecture);
        Assert.Equal(1e-2, Trained.TrainingOptions!.LearningRate, 15); // 6 steps, a short run: FewStepsRule
        Assert.False(Trained.Network.training);
    }

    [Theory]
    [InlineData(16, "0.01")]     // a learning photo trunk takes 1e-2 up to 64 bits instead of 2.5e-3
    [InlineData(128, "0.005")]   // and 1e-2 · 64 / K above
    public void SmallPhotos_LetThePhotoTrunksLastStageLearn_AndTheModelRecordsIt(int bits, string? announcedRate)
    {
        var messages = new List<string>();
        DshTrainerOptions options = fixture.Options() with { SmallPhotoSide = 96, Epochs = 1, Architecture = DshArchitecture.ResNet18(bits).WithSizes(64, 64) };
        using DshModel model = new DshTrainer(options).Fit(fixture.Dataset, new SyncProgress<DshProgress>(p => messages.Add(p.Message ?? "")));
        string rule = Assert.Single(messages, m => m.Contains("median shorter side 64 px", StringComparison.Ordinal));
        Assert.Contains($"the weights of the last {DshTrainerOptions.LearningPhotoTrunkAveragedEpochs} epochs are averaged", rule, StringComparison.Ordinal);
        Assert.Equal(announcedRate is not null, rule.Contains("learning rate", StringComparison.Ordinal));
        if (announcedRate is not null)
        {
            Assert.Contains($"learning rate {announcedRate}", rule, StringComparison.Ordinal);
        }
        Assert.Equal(3, ((ResNet18TrunkSpec)model.Architecture.PhotoTrunk).FrozenStages);
        Assert.Equal(TrainedFixture.Architecture.SketchTrunk, model.Architecture.SketchTrunk);
        Assert.Contains(model.Network.named_parameters(), p => p.parameter.requires_grad && p.name.Contains("photo", StringComparison.Ordinal) && p.name.Contains("layer4", StringComparison.Ordinal));
    }

    [Fact]
    public void CacheOnAndOff_WithoutAugmentation_GiveBitEqualModels()
    {
        var losses = new List<double>();
        using var uncached = new DshTrainer(fixture.Options() with { CacheFrozenStages = false }).Fit(fixture.Dataset, new SyncProgress<DshProgress>(p =>
        {
            if (p.Phase == TrainingPhase.NetworkStep)
            {
                losses.Add(p.BatchLoss);
            }
        }));
        Assert.Equal(fixture.Losses, losses);
        Assert.Equal(Trained.Summary.FinalTerms, uncached.Summary.FinalTerms);
        AssertSameWeights(Trained, uncached);
        AssertSameCodes(Trained.EncodeSketches(QueryPaths), uncached.EncodeSketches(QueryPaths));
        AssertSameCodes(Trained.EncodePhotos(PhotoPaths), uncached.EncodePhotos(PhotoPaths));
    }

    [Fact]
    public void FrozenStages_KeepTheirImageNetWeights_WhileLayer4AndTheHeadsLearn()
    {
        // The network the trainer started from: the same seed gives the same heads, then the ImageNet trunks.
        torch.manual_seed(fixture.Options().Seed);
        using var start = new DshNetwork(TrainedFixture.Architecture);
        start.LoadPretrainedWeights();
        var before = start.state_dict();
        var trainable = Trained.Network.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToHashSet();
        Assert.Equal(start.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order(StringComparer.Ordinal), trainable.Order(StringComparer.Ordinal));
        Assert.Equal(Trained.Network.TrainableParameterCount, start.TrainableParameterCount);

        int frozen = 0, learned = 0;
        foreach (var (key, value) in Trained.Network.state_dict())
        {
            bool sketchLayer4 = key.StartsWith("sketch_trunk.layer4.", StringComparison.Ordinal);
            bool head = key.StartsWith("sketch_head.", StringComparison.Ordinal) || key.StartsWith("fusion.", StringComparison.Ordinal);
            bool same = value.eq(before[key]).all().item<bool>();
            if (sketchLayer4 || head)
            {
                Assert.False(same, $"{key} did not change");
                learned++;
            }
            else
            {
                Assert.True(same, $"frozen {key} changed");
                frozen++;
            }
        }
        // Learning: layer4's 7 convolutions and 2 × 7 norms × (weight, bias, mean, var, count); 3 + 5 linear layers × 2.
        Assert.Equal(7 + 2 * 7 * 5 + 16, learned);
        // Frozen: the sketch trunk's stem and layers 1–3 with their token twins (165), the whole photo trunk (132).
        Assert.Equal(165 + 132, frozen);
        Assert.False(Trained.Network.ResNetSketchTrunk().Conv1.Weight.requires_grad);
        Assert.True(Trained.Network.SketchHead.Layers[0].weight!.requires_grad);
    }

    [Fact]
    public void SavedAndLoaded_EncodesTheSameCodes_AndSearches()
    {
        string path = Path.Combine(_dir, "resnet.dshm");
        Trained.Save(path);
        using DshModel loaded = DshModel.Load(path);

        Assert.Equal(Trained.Architecture, loaded.Architecture);
        Assert.IsType<ResNet18TrunkSpec>(loaded.Architecture.SketchTrunk);
        Assert.Equal((3, 4), loaded.Architecture.Frozen());
        Assert.Equal(Trained.TrainingOptions!.CacheFrozenStages, loaded.TrainingOptions!.CacheFrozenStages);
        Assert.Equal(Trained.TrainingOptions.Architecture, loaded.TrainingOptions.Architecture);
        Assert.Equal(Trained.Network.TrainableParameterCount, loaded.Network.TrainableParameterCount);
        AssertSameWeights(Trained, loaded);

        BinaryCodeSet sketches = Trained.EncodeSketches(QueryPaths), photos = Trained.EncodePhotos(PhotoPaths);
        AssertSameCodes(sketches, loaded.EncodeSketches(QueryPaths));
        AssertSameCodes(photos, loaded.EncodePhotos(PhotoPaths));
        Assert.Equal(sketches[0], loaded.EncodeSketch(QueryPaths[0]));
        Assert.Equal(photos[1], loaded.EncodePhoto(PhotoPaths[1]));

        HammingIndex index = loaded.BuildIndex(PhotoPaths.Select((p, i) => ((long)i, p)));
        Assert.Equal(PhotoPaths.Count, index.Count);
        for (int i = 0; i < photos.Count; i++)
        {
            Assert.True(index.TryGetCode(i, out BinaryCode? stored) && stored == photos[i], $"photo {i}");
            Assert.Equal(0, index.Search(photos[i], 1)[0].Distance);
        }
        IReadOnlyList<Neighbor> top = index.Search(sketches[0], 5);
        Assert.Equal(5, top.Count);
        Assert.True(top.Zip(top.Skip(1)).All(pair => pair.First.Distance <= pair.Second.Distance));
        Assert.All(top, n => Assert.InRange(n.Id, 0, PhotoPaths.Count - 1));
    }

    [Fact]
    public void TrainingAndEncoding_MakeNoTensorOutsideADisposeScope()
    {
        // The ResNet18 paths the compact profile lacks: the frozen-stage cache with augmented versions, weight
        // averaging, two members sharing the frozen stages, mirrored sketches and photos when encoding.
        var probe = new DisposeScopeProbe();
        var options = fixture.Options() with
        {
            Architecture = TrainedFixture.Architecture with { Members = 2 },
            AveragedEpochs = 1,
            FrozenStageCacheVariants = 2,
            Augmentation = AugmentationOptions.Default,
        };
        using DshModel model = new DshTrainer(options).Fit(fixture.Dataset, probe);
        Assert.True(probe.Reports > 4, $"{probe.Reports} reports");
        Assert.True(probe.MadeInScopes > 0, "the probe counts nothing");
        Assert.Equal(0, probe.MadeOutsideScopes);

        Assert.True(model.Architecture.MirrorSketches && model.Architecture.MirrorPhotos);
        model.EncodeSketch(QueryPaths[0]); // first calls may set up state the model keeps
        var (outside, inside) = DisposeScopeProbe.TensorsMadeOutsideScopes(() =>
        {
            model.EncodeSketches(QueryPaths);
            model.EncodePhotos(PhotoPaths);
            model.EmbedSketchFiles(QueryPaths.Take(2).ToList());
        });
        Assert.True(inside > 0, "the probe counts nothing");
        Assert.Equal(0, outside);
    }

    [Fact]
    public void CancelledMidEpochAndResumed_EndsBitEqualToAnUninterruptedRun()
    {
        string checkpoints = Path.Combine(_dir, "ckpt");
        var options = fixture.Options(checkpoints);
        using (var kill = new CancellationTokenSource())
        {
            // Epoch 2 is steps 4–6; checkpoints after every step: the newest is step 4, one step into the epoch.
            var progress = new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep && p.Step == 4) { kill.Cancel(); } });
            Assert.Throws<OperationCanceledException>(() => new DshTrainer(options).Fit(fixture.Dataset, progress, kill.Token));
        }
        Assert.EndsWith("checkpoint-000000004.dshckpt", TrainingCheckpoint.List(checkpoints)[0]);

        var losses = new List<double>();
        var messages = new List<string>();
        using DshModel resumed = new DshTrainer(options).Fit(fixture.Dataset, new SyncProgress<DshProgress>(p =>
        {
            messages.Add(p.Message);
            if (p.Phase == TrainingPhase.NetworkStep)
            {
                losses.Add(p.BatchLoss);
            }
        }));

        Assert.NotNull(resumed.Summary.ResumedFrom);
        Assert.Contains(messages, m => m.StartsWith("resumed from", StringComparison.Ordinal));
        Assert.Equal(fixture.Losses.Skip(4), losses);
        Assert.Equal(Trained.Summary.FinalBatchLoss, resumed.Summary.FinalBatchLoss);
        Assert.Equal(Trained.Summary.FinalTerms, resumed.Summary.FinalTerms);
        Assert.Equal(Trained.Summary.Steps, resumed.Summary.Steps);
        AssertSameWeights(Trained, resumed);
    }

    [Fact]
    public void CheckpointOfAnUncachedRun_IsRefused()
    {
        string checkpoints = Path.Combine(_dir, "ckpt-cache");
        using (new DshTrainer(fixture.Options(checkpoints) with { Epochs = 1 }).Fit(fixture.Dataset))
        {
        }
        var e = Assert.Throws<InvalidOperationException>(() =>
            new DshTrainer(fixture.Options(checkpoints) with { CacheFrozenStages = false }).Fit(fixture.Dataset));
        Assert.Contains("CacheFrozenStages", e.Message);
    }
}

/// <summary>What <see cref="FrozenStageInputs"/> serves the training loop, on synthetic tensors (fast).</summary>
public sealed class ResNet18FrozenStageInputsTests
{
    private static readonly DshArchitecture Architecture = DshArchitecture.ResNet18(16).WithSizes(32, 32);

    private static (DshNetwork Network, SyntheticTrainingData Data) Setup(DshArchitecture? architecture = null)
    {
        torch.manual_seed(2);
        var a = architecture ?? Architecture;
        return (new DshNetwork(a), new SyntheticTrainingData(a, classes: 2, photosPerClass: 3, sketchesPerClass: 3));
    }

    private static bool Equal(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Cached_ServesTheFrozenOutputOfUnaugmentedItems_ComputedOnce()
    {
        var (network, data) = Setup();
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: true);
        using var scope = NewDisposeScope();
        Assert.True(inputs.Caching);
        Assert.Equal(0, inputs.CachedBytes);
        network.train();

        int[] sketchIndices = { 4, 0, 4 };
        Tensor sketches = inputs.Sketches(sketchIndices, new Random(1)); // augmentation is ignored when caching
        Tensor expected = network.SketchBoundary(data.SketchBatch(sketchIndices, null), SketchBranch.Sketch);
        Assert.Equal(new long[] { 3, 256, 2, 2 }, sketches.shape); // after layer3 at 32 px
        Assert.True(Equal(expected, sketches));
        Assert.False(sketches.requires_grad);
        long afterSketches = inputs.CachedBytes;
        Assert.Equal(2 * 256 * 2 * 2 * 4, afterSketches); // two distinct items

        (Tensor photos, Tensor tokens) = inputs.Photos(new[] { 1, 5 }, new Random(2));
        (Tensor p, Tensor t) = data.PhotoBatch(new[] { 1, 5 }, null);
        Assert.Equal(new long[] { 2, 512, 1, 1 }, photos.shape); // the photo trunk is frozen to the end
        Assert.True(Equal(network.PhotoBoundary(p), photos));
        Assert.True(Equal(network.SketchBoundary(t, SketchBranch.Token), tokens));
        Assert.Equal(afterSketches + 2 * (512 + 256 * 2 * 2) * 4, inputs.CachedBytes);

        // Served again from the cache: the same values even after the frozen weights change underneath.
        using (torch.no_grad())
        {
            network.ResNetSketchTrunk().Conv1.Weight.mul_(2);
        }
        Assert.True(Equal(expected, inputs.Sketches(sketchIndices, null)));
        Assert.False(Equal(expected, network.SketchBoundary(data.SketchBatch(sketchIndices, null), SketchBranch.Sketch)));
    }

    [Fact]
    public void FillCounters_CountEachItemOnce_AndTheFillTime_NotServingFromTheCache()
    {
        var (network, data) = Setup(); // 6 sketches, 6 photos
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: true, variants: 2, seed: 3);
        using var scope = NewDisposeScope();
        Assert.Equal((0L, 24L, TimeSpan.Zero), (inputs.ItemsFilled, inputs.ItemsLeftToFill, inputs.FillElapsed)); // 2 versions × 12 items

        inputs.Sketches(new[] { 4, 0, 4 }, null); // version 0 of two distinct sketches
        Assert.Equal((2L, 22L), (inputs.ItemsFilled, inputs.ItemsLeftToFill));
        TimeSpan afterFill = inputs.FillElapsed;
        Assert.True(afterFill > TimeSpan.Zero);

        inputs.Sketches(new[] { 0, 4 }, null); // served from the cache: no item and no time added
        Assert.Equal((2L, afterFill), (inputs.ItemsFilled, inputs.FillElapsed));

        inputs.Photos(new[] { 1, 5 }, null); // a photo and its sketch-token map count as one item
        Assert.Equal((4L, 20L), (inputs.ItemsFilled, inputs.ItemsLeftToFill));

        int[] all = { 0, 1, 2, 3, 4, 5 };
        for (int step = 0; step < 30; step++) // every version of every item, drawn at random
        {
            inputs.Sketches(all, new Random(step));
            inputs.Photos(all, new Random(100 + step));
        }
        Assert.Equal((24L, 0L), (inputs.ItemsFilled, inputs.ItemsLeftToFill));
    }

    [Fact]
    public void Uncached_FillsNothing()
    {
        var (network, data) = Setup();
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: false);
        using var scope = NewDisposeScope();
        inputs.Sketches(new[] { 0, 1 }, new Random(1));
        inputs.Photos(new[] { 0, 1 }, new Random(2));
        Assert.Equal((0L, 0L, TimeSpan.Zero), (inputs.ItemsFilled, inputs.ItemsLeftToFill, inputs.FillElapsed));
    }

    [Fact]
    public void AHalfPrecisionCache_HoldsHalfTheBytes_AndServesFloat32WithinHalfPrecisionRounding()
    {
        var (network, data) = Setup();
        using var _ = network;
        using var full = new FrozenStageInputs(network, data, cache: true);
        using var half = new FrozenStageInputs(network, data, cache: true, CachePrecision.Float16);
        using var scope = NewDisposeScope();
        int[] sketchIndices = { 4, 0 };
        int[] photoIndices = { 1, 5 };
        Tensor exact = full.Sketches(sketchIndices, null);
        (Tensor exactPhotos, Tensor exactTokens) = full.Photos(photoIndices, null);
        Tensor rounded = half.Sketches(sketchIndices, null);
        (Tensor roundedPhotos, Tensor roundedTokens) = half.Photos(photoIndices, null);
        Assert.Equal(full.CachedBytes, 2 * half.CachedBytes);
        foreach (var (a, b) in new[] { (exact, rounded), (exactPhotos, roundedPhotos), (exactTokens, roundedTokens) })
        {
            Assert.Equal(ScalarType.Float32, b.dtype);
            Assert.Equal(a.shape, b.shape);
            // half precision keeps 11 significant bits: a relative error of at most 2^-11 (values far above its smallest normal)
            Assert.True(b.allclose(a, rtol: 1.0 / 2048, atol: 1e-4), $"largest difference {a.sub(b).abs().max().item<float>()}");
            Assert.True(b.eq(a.to(ScalarType.Float16).to(ScalarType.Float32)).all().item<bool>()); // rounded once, exactly so
        }
        Assert.False(rounded.eq(exact).all().item<bool>()); // something was rounded: the test would see a float32 cache
    }

    [Fact]
    public void CacheVariants_ServeAFewAugmentedVersionsFixedPerItem_AndTheImageItselfWhenEncoding()
    {
        var (network, data) = Setup();
        using var _ = network;
        using var inOrder = new FrozenStageInputs(network, data, cache: true, variants: 3, seed: 5);
        using var reversed = new FrozenStageInputs(network, data, cache: true, variants: 3, seed: 5);
        using var scope = NewDisposeScope();
        int[] items = { 0, 1, 2, 3, 4, 5 };
        Tensor plain = network.SketchBoundary(data.SketchBatch(items, null), SketchBranch.Sketch);
        Assert.True(Close(plain, inOrder.Sketches(items, null))); // the encoding pass: version 0, the image as it is
        long oneVersion = inOrder.CachedBytes;
        Assert.Equal(6 * 256 * 2 * 2 * 4, oneVersion);

        // Training steps draw versions; both caches fill in other orders and must hold the same tensors per item.
        var served = new List<Tensor>[6];
        var servedReversed = new List<Tensor>[6];
        for (int i = 0; i < 6; i++)
        {
            (served[i], servedReversed[i]) = (new List<Tensor>(), new List<Tensor>());
        }
        for (int step = 0; step < 30; step++)
        {
            Tensor a = inOrder.Sketches(items, new Random(step));
            int[] back = items.Reverse().ToArray();
            Tensor b = reversed.Sketches(back, new Random(1000 + step));
            for (int j = 0; j < 6; j++)
            {
                served[items[j]].Add(a[j]);
                servedReversed[back[j]].Add(b[j]);
            }
        }
        int augmented = 0;
        for (int i = 0; i < 6; i++)
        {
            List<Tensor> distinct = Distinct(served[i]);
            Assert.InRange(distinct.Count, 1, 3);
            List<Tensor> distinctReversed = Distinct(servedReversed[i]);
            Assert.Equal(distinct.Count, distinctReversed.Count);
            Assert.All(distinct, t => Assert.Contains(distinctReversed, u => Close(t, u)));
            Assert.Contains(distinct, t => Close(t, plain[i])); // version 0 is among those drawn in 30 steps
            augmented += distinct.Count(t => !Close(t, plain[i]));
        }
        Assert.True(augmented > 0, "no served version differs from the image itself: nothing was augmented");
        Assert.Equal(3 * oneVersion, inOrder.CachedBytes); // every version of every item, each computed once
        Assert.True(Close(plain, inOrder.Sketches(items, null)));

        // Photos and their sketch-tokens are served in versions too: the same draws give the same tensors in both caches.
        (Tensor photos, Tensor tokens) = inOrder.Photos(items, new Random(7));
        (Tensor photosAgain, Tensor tokensAgain) = reversed.Photos(items, new Random(7));
        Assert.True(Close(photos, photosAgain));
        Assert.True(Close(tokens, tokensAgain));
    }

    /// <summary>Equal up to float rounding: the frozen stages' output of an item depends on the batch it ran in, in the last bits.</summary>
    private static bool Close(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 1e-4, atol: 1e-5);

    private static List<Tensor> Distinct(IEnumerable<Tensor> rows)
    {
        var distinct = new List<Tensor>();
        foreach (Tensor row in rows)
        {
            if (!distinct.Any(d => Close(d, row)))
            {
                distinct.Add(row);
            }
        }
        return distinct;
    }

    [Fact]
    public void Uncached_AugmentsEveryBatch_AndRunsTheFrozenStagesEachTime()
    {
        var (network, data) = Setup();
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: false);
        using var scope = NewDisposeScope();
        Assert.False(inputs.Caching);
        int[] indices = { 0, 1, 2, 3, 4, 5 };
        Tensor augmented = inputs.Sketches(indices, new Random(3));
        Assert.True(Equal(network.SketchBoundary(data.SketchBatch(indices, new Random(3)), SketchBranch.Sketch), augmented));
        Assert.False(Equal(network.SketchBoundary(data.SketchBatch(indices, null), SketchBranch.Sketch), augmented)); // some flipped
        Assert.Equal(0, inputs.CachedBytes);
    }

    [Fact]
    public void NothingFrozen_ServesTheImagesThemselves()
    {
        var (network, data) = Setup(Architecture.WithFrozen(0, 0));
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: true);
        using var scope = NewDisposeScope();
        Assert.False(inputs.Caching);
        Assert.True(Equal(data.SketchBatch(new[] { 2 }, null), inputs.Sketches(new[] { 2 }, null)));
    }

    [Fact]
    public void OnlyTheSketchTrunkFrozen_CachesSketches_ButAugmentsPhotosEveryBatch()
    {
        var (network, data) = Setup(Architecture.WithFrozen(3, 0));
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: true);
        using var scope = NewDisposeScope();
        Assert.True(inputs.Caching);
        Assert.False(inputs.CachingPhotos);
        int[] indices = { 0, 1, 2, 3, 4, 5 };
        (Tensor photos, Tensor tokens) = inputs.Photos(indices, new Random(3));
        (Tensor p, Tensor t) = data.PhotoBatch(indices, new Random(3));
        Assert.True(Equal(p, photos)); // the photo trunk learns from its first layer: images, augmented
        Assert.True(Equal(network.SketchBoundary(t, SketchBranch.Token), tokens)); // tokens share the photos' transform
        Assert.Equal(0, inputs.CachedBytes);
        inputs.Sketches(new[] { 0 }, new Random(3));
        Assert.True(inputs.CachedBytes > 0);
    }

    [Fact]
    public void OnlyThePhotoTrunkFrozen_CachesNothing()
    {
        var (network, data) = Setup(Architecture.WithFrozen(0, 4));
        using var _ = network;
        using var inputs = new FrozenStageInputs(network, data, cache: true);
        using var scope = NewDisposeScope();
        Assert.False(inputs.Caching);
        Assert.False(inputs.CachingPhotos);
        inputs.Photos(new[] { 0, 1 }, new Random(3));
        Assert.Equal(0, inputs.CachedBytes);
    }
}
