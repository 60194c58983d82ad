using System.Globalization;
using System.Text;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Imaging.Augmentation;
using Dsh.Pretrained;
using Dsh.Training;

namespace Dsh.Quality.Pacs;

/// <summary>
/// <c>dsh-pacs [bits] [epochs] [compact|resnet18|paper] [key=value …]</c>: trains DSH (compact or paper profile from
/// scratch, or the ResNet18 profile from ImageNet weights) on the training side of the same group-preserving PACS split as
/// <c>frozen-baselines</c>, then scores validation sketch queries against the validation photo gallery (mAP@all, P@200).
/// Defaults: 64 bits, 15 epochs, compact; otherwise the profile's (<see cref="DshProfile.TrainerOptions"/>: seed 1, learning
/// rate <see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>: for resnet18 2.5e-3 up to 128 bits and 1e-2 · 32 / K
/// above, or 1e-2 up to 64 bits and 64 / K above with <c>photoFrozen</c> under 4; compact and paper 1e-2 up to 64 bits and
/// 1e-2 · 32 / K above). The model and report files' names do not include <c>lr</c>: add a <c>tag</c>.
/// Keys: <c>size</c> (input side), <c>sketchFrozen</c>, <c>photoFrozen</c> (ResNet stages), <c>lr</c>, <c>schedule</c> (constant or cosine), <c>cache</c> (float32 or float16: the frozen-stage cache), <c>variants</c> (augmented versions in that cache), <c>augment</c> (default; flip: exact mirror images; photos: the photos only), <c>init</c> (random or categorycodes: the initial codes), <c>average</c> (the last epochs averaged into the weights), <c>sketchLr</c> (the sketch trunk's factor on the learning rate), <c>fusionLr</c> (the fusion head's), <c>wd</c> (weight decay), <c>classCode</c> and <c>classScale</c> (the class-code term's weight and logit scale), <c>photoSize</c> (the photo trunk's input side), <c>mirrorPhotos</c> (0 or 1: whether the model mirrors photos; the profile's default 1), <c>mirrorSketches</c> (0 or 1: likewise the queries), <c>batch</c>, <c>clip</c>,
/// <c>subset</c> (SxP: at most S sketches and P photos a category), <c>linear</c> (also fit the linear hash on the same items),
/// <c>minSteps</c>, <c>tokens</c> (<c>blank</c>: white sketch-token maps), <c>onnx</c> (also score the ONNX exports, float32 and INT8), <c>mirror</c> (also score test-time mirroring), <c>crops</c> (a fraction: also score gallery photos averaged with crops keeping it, <see cref="CropViews"/>), <c>sketchViews</c> (also score zoomed and rotated queries, <see cref="SketchViews"/>), <c>expand</c> (also score query expansion, <see cref="QueryExpansionProbe"/>), <c>geometry</c> (where the codes lie, <see cref="CodeGeometry"/>), <c>dissimilar</c> (paper, simplex or a number: the pairwise term's target for different classes), <c>trainSeed</c> (the training seed; the split keeps its own), <c>vectors</c> (class vectors), <c>lambda</c>, <c>gamma</c>, <c>balance</c> (0: every pair weighs 1, file names get <c>-unbalanced</c>; 1, the default: weigh the photos by class, <see cref="Dsh.Objective.DshObjectiveOptions.BalancePhotoClasses"/>), <c>depth</c> (re-ranking), <c>reuse</c> (score the model file a run with the same keys saved, without training), <c>tokenSide</c> (the sketch-token trunk at lower input sizes, <see cref="TokenSideProbe"/>), <c>ensembleWith</c> (comma-separated model files: also score the run's model with theirs, codes side by side, <see cref="EnsembleProbe"/>), <c>tokenSize</c> (train and encode with sketch-token maps of that side), <c>members</c> (member networks, <see cref="DshArchitecture.Members"/>), <c>sketchDropout</c> (the sketch head's dropout), <c>fusionDropout</c> (A,B: the fusion head's two branches' dropout), <c>tag</c> (file names),
/// <c>pacs</c> (data folder), <c>out</c> (output folder, default /tmp/dsh-results). Checkpoints in the output folder, so an
/// interrupted run resumes. See docs/results.md.
/// </summary>
internal static class DshPacsTraining
{
    internal const int Seed = 2017;

    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        int bits = args.Length > 0 ? int.Parse(args[0], inv) : DshProfile.DefaultCodeLength;
        int epochs = args.Length > 1 ? int.Parse(args[1], inv) : 15;
        DshProfile profile = args.Length > 2 ? DshProfile.Parse(args[2]) : DshProfile.Compact;
        var keys = args.Skip(3).Select(a => a.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
        string Key(string name, string fallback) => keys.TryGetValue(name, out string? v) ? v : fallback;
        int? Count(string name) => keys.TryGetValue(name, out string? v) ? int.Parse(v, inv) : null;
        string pacsRoot = Path.GetFullPath(Key("pacs", Path.Combine(RepoRoot.Find(), "..", "shared", "data", "pacs")));
        string outDir = Key("out", "/tmp/dsh-results");
        DshArchitecture architecture = profile.Architecture(bits);
        if (architecture is { SketchTrunk: ResNet18TrunkSpec sketchTrunk, PhotoTrunk: ResNet18TrunkSpec photoTrunk })
        {
            int size = int.Parse(Key("size", sketchTrunk.InputSize.ToString(inv)), inv);
            architecture = architecture with
            {
                SketchTrunk = sketchTrunk with { InputSize = size, FrozenStages = Count("sketchFrozen") ?? sketchTrunk.FrozenStages },
                PhotoTrunk = photoTrunk with { InputSize = Count("photoSize") ?? size, FrozenStages = Count("photoFrozen") ?? photoTrunk.FrozenStages },
            };
        }
        if (keys.TryGetValue("sketchDropout", out string? sketchDropout))
        {
            // sketchDropout=P: the sketch head's dropout after both hidden layers (the profile's 0.25)
            double dropout = double.Parse(sketchDropout, inv);
            architecture = architecture with { SketchHead = architecture.SketchHead with { Dropout = new[] { dropout, dropout } } };
        }
        if (keys.TryGetValue("fusionDropout", out string? fusionDropout))
        {
            // fusionDropout=A,B: the fusion head's dropout after both hidden layers of its two branches (the profile's 0.3, 0.4)
            double[] ab = fusionDropout.Split(',').Select(v => double.Parse(v, inv)).ToArray();
            if (ab.Length != 2)
            {
                throw new ArgumentException($"fusionDropout={fusionDropout}: two probabilities, A,B");
            }
            architecture = architecture with { FusionHead = architecture.FusionHead with { DropoutA = new[] { ab[0], ab[0] }, DropoutB = new[] { ab[1], ab[1] } } };
        }
        if (Count("members") is { } members)
        {
            architecture = architecture with { Members = members }; // members=N: N member networks of bits/N bits each
        }
        double lr = keys.TryGetValue("lr", out string? lrText) ? double.Parse(lrText, inv) : DshProfile.DefaultLearningRate(architecture);
        string tag = architecture is { SketchTrunk: ResNet18TrunkSpec s, PhotoTrunk: ResNet18TrunkSpec p }
            ? $"resnet18-{bits}-s{s.InputSize}-f{s.FrozenStages}{p.FrozenStages}"
            : $"{profile}-{bits}";
        if (Count("mirrorPhotos") is { } mirrorPhotos)
        {
            // mirrorPhotos=0|1: whether the model encodes every photo as it is and mirrored (DshArchitecture.MirrorPhotos; the
            // ResNet18 profile's default is 1); training is the same
            architecture = architecture with { MirrorPhotos = mirrorPhotos == 1 };
        }
        if (architecture.MirrorPhotos)
        {
            tag += "-mirrorphotos";
        }
        if (architecture.Members > 1)
        {
            tag += "-members" + architecture.Members.ToString(inv);
        }
        if (Count("mirrorSketches") is { } mirrorSketches)
        {
            // mirrorSketches=0|1: whether queries are encoded mirrored too (DshArchitecture.MirrorSketches; the profile's
            // default 1); neither training nor photo codes depend on it, so file names do not either
            architecture = architecture with { MirrorSketches = mirrorSketches == 1 };
        }
        if (Count("photoSize") is { } photoSide)
        {
            tag += "-photo" + photoSide.ToString(inv);
        }
        if (sketchDropout is not null)
        {
            tag += "-sdrop" + sketchDropout;
        }
        if (fusionDropout is not null)
        {
            tag += "-fdrop" + fusionDropout.Replace(',', '-');
        }
        if (keys.TryGetValue("clip", out string? clip))
        {
            tag += "-clip" + clip;
        }
        if (keys.TryGetValue("tokenSize", out string? tokenSize))
        {
            // tokenSize=N: the token branch reads N px sketch-token maps (DshArchitecture.TokenInputSize)
            architecture = (architecture with { TokenInputSize = int.Parse(tokenSize, inv) }).Validated();
        }
        if (architecture.TokenInputSize is { } tokenSide)
        {
            tag += "-tokens" + tokenSide.ToString(inv); // the profile's own (128) too, so that its files never mix with 224 px runs'
        }
        Directory.CreateDirectory(outDir);
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        SbirDataset all = SbirDataset.FromFolders(Path.Combine(pacsRoot, "sketch"), Path.Combine(pacsRoot, "photo"));
        var split = GroupedValidationSplit.Create(all, 0.2, Seed);
        IReadOnlyList<SbirItem> trainSketches = split.TrainSketches, trainPhotos = split.TrainPhotos;
        if (keys.TryGetValue("subset", out string? subset))
        {
            // subset=SxP: at most S training sketches and P training photos a category (seeded), the small-data regimes
            string[] sp = subset.Split('x');
            (trainSketches, trainPhotos) = FrozenBaselines.Subset(split, int.Parse(sp[0], inv), int.Parse(sp[1], inv));
            tag += "-sub" + subset;
        }
        bool blankTokens = Key("tokens", "contour") switch
        {
            "contour" => false,
            "blank" => true,
            string other => throw new ArgumentException($"tokens={other}: contour or blank"),
        };
        if (blankTokens)
        {
            tag += "-blanktokens";
        }
        LearningRateSchedule schedule = Enum.Parse<LearningRateSchedule>(Key("schedule", "constant"), ignoreCase: true);
        if (schedule != LearningRateSchedule.Constant)
        {
            tag += "-" + schedule.ToString().ToLowerInvariant();
        }
        CachePrecision cachePrecision = Enum.Parse<CachePrecision>(Key("cache", "float32"), ignoreCase: true);
        if (cachePrecision != CachePrecision.Float32)
        {
            tag += "-cache" + cachePrecision.ToString().ToLowerInvariant();
        }
        int variants = Count("variants") ?? 1;
        if (variants != 1)
        {
            tag += "-variants" + variants;
        }
        // augment=flip: the augmented cache versions are exact mirror images (no crop, rotation or scaling); with variants=2
        // every item is cached as it is and mirrored. augment=photos: only the photos' versions are augmented.
        AugmentationOptions? augmentation = Key("augment", "default") switch
        {
            "default" => null, // the profile's
            "flip" => AugmentationOptions.None with { PhotoFlipProbability = 1, SketchFlipProbability = 1 },
            // the profile's photo crops and flips, sketches left as drawn
            "photos" => AugmentationOptions.Default with
            {
                SketchFlipProbability = 0, SketchMaxRotationDegrees = 0, SketchMinScale = 1, SketchMaxScale = 1, SketchMaxTranslation = 0,
            },
            string other => throw new ArgumentException($"augment={other}: default, flip or photos"),
        };
        if (augmentation is not null)
        {
            tag += "-augment" + Key("augment", "");
        }
        CodeInitialization initialCodes = Enum.Parse<CodeInitialization>(Key("init", "random"), ignoreCase: true);
        if (initialCodes != CodeInitialization.Random)
        {
            tag += "-init" + initialCodes.ToString().ToLowerInvariant();
        }
        int? averaged = Count("average"); // null: the architecture decides
        if (averaged is { } averagedEpochs)
        {
            tag += "-average" + averagedEpochs.ToString(inv);
        }
        // a number given by key, its text appended to the file tag after the suffix; the fallback when absent
        double TaggedNumber(string name, string suffix, double fallback)
        {
            if (!keys.TryGetValue(name, out string? text))
            {
                return fallback;
            }
            tag += "-" + suffix + text;
            return double.Parse(text, inv);
        }
        double sketchTrunkFactor = TaggedNumber("sketchLr", "sketchlr", 1);
        double fusionHeadFactor = TaggedNumber("fusionLr", "fusionlr", 1);
        double weightDecay = TaggedNumber("wd", "wd", new DshTrainerOptions().WeightDecay);
        double classCodeWeight = TaggedNumber("classCode", "classcode", 0);
        double classCodeScale = TaggedNumber("classScale", "classscale", new DshTrainerOptions().ClassCodeScale);
        if (keys.TryGetValue("balance", out string? balanceText) && balanceText != "1")
        {
            tag += "-unbalanced"; // every pair weighs 1, unlike the default
        }
        if (keys.TryGetValue("tag", out string? extraTag))
        {
            tag += "-" + extraTag;
        }
        SbirDataset train = SbirDataset.FromItems(split.Categories,
            trainSketches.Select(s => s with { Split = SbirSplit.Train }),
            trainPhotos.Select(p => p with { Split = SbirSplit.Gallery }));
        DshTrainerOptions options = profile.TrainerOptions(bits) with
        {
            Architecture = architecture.Validated(),
            Epochs = epochs,
            BatchSize = int.Parse(Key("batch", "32"), inv),
            LearningRate = lr,
            GradientClipNorm = double.Parse(Key("clip", "10"), inv),
            LearningRateSchedule = schedule,
            FrozenStageCachePrecision = cachePrecision,
            FrozenStageCacheVariants = variants,
            InitialCodes = initialCodes,
            AveragedEpochs = averaged,
            SketchTrunkLearningRateFactor = sketchTrunkFactor,
            FusionHeadLearningRateFactor = fusionHeadFactor,
            WeightDecay = weightDecay,
            ClassCodeWeight = classCodeWeight,
            ClassCodeScale = classCodeScale,
            Threads = 2,
            SmallPhotoSide = Count("photoFrozen") is null ? new DshTrainerOptions().SmallPhotoSide : 0, // photoFrozen= is what trains
            TokenCacheDirectory = Path.Combine(outDir, "tokens"),
            CheckpointDirectory = Path.Combine(outDir, $"checkpoints-{tag}-lr{lrText ?? lr.ToString("G3", inv)}-b{Key("batch", "32")}-e{epochs}"),
        };
        if (Count("trainSeed") is { } trainSeed)
        {
            options = options with { Seed = trainSeed }; // the split keeps its own seed
        }
        if (Count("minSteps") is { } minSteps)
        {
            options = options with { MinimumSteps = minSteps }; // minSteps=0: exactly the epochs given
        }
        if (blankTokens)
        {
            options = options with { TokenExtractor = new BlankTokenExtractor() };
        }
        if (keys.TryGetValue("vectors", out string? vectors))
        {
            options = options with { ClassVectors = vectors };
        }
        if (augmentation is not null)
        {
            options = options with { Augmentation = augmentation };
        }
        options = options with
        {
            Objective = options.Objective with
            {
                Lambda = double.Parse(Key("lambda", options.Objective.Lambda.ToString(inv)), inv),
                Gamma = double.Parse(Key("gamma", options.Objective.Gamma.ToString(inv)), inv),
                BalancePhotoClasses = balanceText is null ? options.Objective.BalancePhotoClasses : balanceText == "1",
                DissimilarPairTarget = keys.TryGetValue("dissimilar", out string? dissimilar)
                    ? DissimilarTarget.Parse(dissimilar)
                    : options.Objective.DissimilarPairTarget,
            },
        };
        string name = architecture is { SketchTrunk: ResNet18TrunkSpec st, PhotoTrunk: ResNet18TrunkSpec pt }
            ? $"DSH ResNet18 ({st.InputSize} px, frozen stages sketch {st.FrozenStages} / photo {pt.FrozenStages})"
            : $"DSH {profile} from scratch";
        Say($"{name}, {bits} bits, {epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, clip {options.GradientClipNorm}, seed {options.Seed}, 2 threads");
        Say($"train: {train.TrainingSketches.Count()} sketches, {train.Photos.Count} photos; validation: {split.QuerySketches.Count} queries, {split.GalleryPhotos.Count} gallery photos");
        if (keys.ContainsKey("linear"))
        {
            // The supervised linear hash on frozen ImageNet features, fitted on the same training items: the bar to beat.
            var (linearMap, linearP200) = LinearHashOnSameData.Score(all, pacsRoot, outDir, trainSketches, trainPhotos, split, bits);
            Say(string.Create(inv, $"| Linear supervised hash (α = 1), same training items | {bits} | {linearMap:F3} | {linearP200:F3} |"));
        }
        using DshTrainAndEncode run = DshTrainAndEncode.Run(options, train, split.QuerySketches, split.GalleryPhotos,
            Path.Combine(outDir, $"dsh-{tag}.dshm"), networkStepLines: true, keepEmbeddings: true, reuseModel: keys.ContainsKey("reuse"));
        DshModel model = run.Model;
        // The protocol of every row in docs/results.md: mAP@all with Hamming ties in gallery order (= RetrievalMetrics), P@200, tie-aware mAP.
        RetrievalReport scores = RetrievalEvaluation.Evaluate(run.Queries, run.QueryLabels, run.Gallery, run.GalleryLabels,
            new RetrievalEvaluationOptions { K = 200, MeasureSearchTime = false });
        Say($"| {name} | {bits} | {scores.MapAll:F3} | {scores.PrecisionAtK:F3} | train {run.TrainTime.TotalMinutes:F1} min ({model.Summary.Steps} steps, {model.Summary.Epochs} epochs) | encode {run.EncodedPerSecond:F0} images/s |");
        Say($"tie-aware mAP@all {scores.TieAwareMapAll:F3}");
        Say($"class vectors: {model.Summary.SemanticSource}; final batch loss {model.Summary.FinalBatchLoss:F2}; pairwise/pair {model.Summary.FinalTerms?.PairwisePerPair:F1}");
        Say($"class vectors: {model.Summary.SemanticSource}");
        int depth = int.Parse(Key("depth", "100"), inv);
        Say("| second stage | depth | mAP@all | P@10 | acc@1 | acc@10 | median rank of own photo | instance queries |");
        Say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (mode, d) in new[] { (RerankMode.None, 1), (RerankMode.Codes, depth), (RerankMode.Codes, run.Gallery.Count), (RerankMode.Embeddings, depth), (RerankMode.Embeddings, run.Gallery.Count) })
        {
            RankedRetrievalReport r = RankedRetrievalEvaluation.Evaluate(run.Queries, run.QueryEmbeddings, run.QueryLabels,
                split.QuerySketches.Select(q => q.Group).ToArray(), run.Gallery, run.GalleryEmbeddings, run.GalleryLabels,
                split.GalleryPhotos.Select(g => g.Group).ToArray(), mode, d);
            Say(string.Create(inv, $"| {mode} | {d} | {r.MapAll:F3} | {r.PrecisionAt10:F3} | {r.AccuracyAt1:F3} | {r.AccuracyAt10:F3} | {r.MedianTargetRank:F1} | {r.InstanceQueries} |"));
        }
        if (keys.ContainsKey("onnx"))
        {
            OnnxPacsScores.Run(model, run, trainSketches, trainPhotos, split.QuerySketches, split.GalleryPhotos, outDir, tag, depth, Say);
        }
        if (keys.ContainsKey("geometry"))
        {
            CodeGeometry.Run(run, Say, split.Categories);
        }
        if (keys.ContainsKey("mirror"))
        {
            MirroredScores.Run(model, run, split.QuerySketches, split.GalleryPhotos, groups: true, outDir, tag, depth, Say);
        }
        if (keys.TryGetValue("crops", out string? cropFraction))
        {
            CropViews.Run(model, run, split.QuerySketches, split.GalleryPhotos, double.Parse(cropFraction, inv), outDir, tag, depth, Say);
        }
        if (keys.ContainsKey("expand"))
        {
            QueryExpansionProbe.Run(run, split.QuerySketches, split.GalleryPhotos, depth, Say);
        }
        if (keys.ContainsKey("sketchViews"))
        {
            SketchViews.Run(model, run, split.QuerySketches, split.GalleryPhotos, outDir, tag, depth, Say);
        }
        if (keys.TryGetValue("ensembleWith", out string? ensembleFiles))
        {
            EnsembleProbe.Run(run, split.QuerySketches, split.GalleryPhotos, groups: true, ensembleFiles, depth, Say);
        }
        if (keys.ContainsKey("tokenSide"))
        {
            TokenSideProbe.Run(model, run, split.QuerySketches, split.GalleryPhotos, depth, Say);
        }
        File.WriteAllText(Path.Combine(outDir, $"dsh-pacs-{tag}.md"), report.ToString());
        return 0;
    }
}
