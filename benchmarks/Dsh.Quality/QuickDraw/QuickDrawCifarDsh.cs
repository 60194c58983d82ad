using System.Globalization;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Pretrained;
using Dsh.Training;
using Dsh.Trunks;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// <c>quickdraw-cifar dsh [bits] [epochs] [resnet18|compact|paper] [key=value …]</c>: trains DSH on the training side of the
/// QuickDraw × CIFAR-10 split and scores the query drawings against the photo gallery. Learning rate: <c>lr=</c>, else
/// the profile's (<see cref="DshProfile.DefaultLearningRate(DshArchitecture)"/>: 1e-2 for K ≤ 64, 1e-2 · 64 / K above with the photo trunk's last stage learning). Frozen ResNet stages:
/// <c>sketchFrozen=</c>, <c>photoFrozen=</c> (profile defaults 3 and 4). Checkpoints in the output folder,
/// so an interrupted run resumes. <c>mirror=1</c>: also score test-time mirroring (<see cref="MirroredScores"/>); <c>ensembleWith=</c>: also score saved models side by side (<see cref="EnsembleProbe"/>).
/// </summary>
internal static class QuickDrawCifarDsh
{
    public static int Run(QuickDrawCifarSplit split, QuickDrawCifarProtocol protocol, QuickDrawDshSettings settings, bool mirror, bool reuse, string? ensembleWith, string outDir,
        Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        var (bits, epochs, profile, architecture, lr, photoFrozenGiven, schedule, variants, dissimilar, trainSeed, averaged, sketchTrunkFactor, weightDecay, batch) = settings;
        // without photoFrozen= the small-photo rule decides the photo stages: its checkpoints must not mix with a fixed count's
        string tag = string.Create(inv, $"{profile}-{bits}-lr{lr:G3}-e{epochs}-f{FrozenStages(architecture.SketchTrunk)}{(photoFrozenGiven ? FrozenStages(architecture.PhotoTrunk) : "-rule")}{(schedule == LearningRateSchedule.Constant ? "" : "-" + schedule.ToString().ToLowerInvariant())}{(variants == 1 ? "" : "-variants" + variants)}{(dissimilar is null ? "" : "-dissimilar" + dissimilar)}{(architecture.TokenInputSize is { } tokens ? "-tokens" + tokens : "")}{(architecture.Members > 1 ? "-members" + architecture.Members : "")}{(trainSeed is { } seed ? "-seed" + seed : "")}{(averaged is { } average ? "-average" + average : "")}{(sketchTrunkFactor is { } factor ? "-sketchlr" + factor.ToString(inv) : "")}{(weightDecay is { } wd ? "-wd" + wd.ToString(inv) : "")}{(batch is { } b ? "-b" + b : "")}{MirrorTag(architecture, profile.Architecture(bits))}{protocol.Tag()}");
        DshTrainerOptions options = settings.TrainerOptions() with
        {
            TokenCacheDirectory = Path.Combine(outDir, "tokens"),
            CheckpointDirectory = Path.Combine(outDir, "checkpoints-" + tag),
        };
        SbirDataset train = split.TrainingDataset();
        string name = profile == DshProfile.ResNet18 ? "DSH ResNet18 profile" : $"DSH {profile} profile from scratch";
        say(string.Create(inv, $"{name}, {bits} bits, {epochs} epochs, frozen stages sketch {FrozenStages(architecture.SketchTrunk)} photo {FrozenStages(architecture.PhotoTrunk)}, batch {options.BatchSize}, lr {lr:G3}, clip {options.GradientClipNorm}, seed {options.Seed}, 2 threads"));
        say($"train: {train.Sketches.Count} drawings, {train.Photos.Count} photos; queries {split.QuerySketches.Count}, gallery {split.GalleryPhotos.Count}");
        using DshTrainAndEncode run = DshTrainAndEncode.Run(options, train, split.QuerySketches, split.GalleryPhotos,
            Path.Combine(outDir, $"dsh-{tag}.dshm"), networkStepLines: false, keepEmbeddings: true, reuseModel: reuse);
        DshModel model = run.Model;
        RetrievalScores scores = RetrievalScores.Evaluate(run.Queries, run.QueryLabels, run.Gallery, run.GalleryLabels, split.Categories.Count);
        say("");
        say(RetrievalScores.Header);
        say(scores.Row(string.Create(inv, $"{name}, lr {lr:G3}, {epochs} epochs"), bits,
            string.Create(inv, $"train {run.TrainTime.TotalMinutes:F1} min, encode {run.EncodedPerSecond:F0} images/s")));
        say("");
        say(RetrievalScores.CategoryHeader(split.Categories));
        say(scores.CategoryRow(string.Create(inv, $"{name}, {bits} bits")));
        say(string.Create(inv, $"class vectors: {model.Summary.SemanticSource}; final batch loss {model.Summary.FinalBatchLoss:F2}; steps {model.Summary.Steps}, epochs {model.Summary.Epochs}"));
        say("| second stage | depth | mAP@all | P@10 |");
        say("| --- | ---: | ---: | ---: |");
        foreach (var (mode, depth) in new[] { (RerankMode.None, 1), (RerankMode.Codes, 100), (RerankMode.Codes, run.Gallery.Count) })
        {
            RankedRetrievalReport r = RankedRetrievalEvaluation.Evaluate(run.Queries, run.QueryEmbeddings, run.QueryLabels, null,
                run.Gallery, null, run.GalleryLabels, null, mode, depth);
            say(string.Create(inv, $"| {mode} | {depth} | {r.MapAll:F3} | {r.PrecisionAt10:F3} |"));
        }
        CodeGeometry.Run(run, say, split.Categories);
        if (mirror)
        {
            MirroredScores.Run(model, run, split.QuerySketches, split.GalleryPhotos, groups: false, outDir, tag, 100, say);
        }
        if (ensembleWith is not null)
        {
            EnsembleProbe.Run(run, split.QuerySketches, split.GalleryPhotos, groups: false, ensembleWith, 100, say);
        }
        return 0;
    }

    /// <summary>"" when the model mirrors as the profile's do, else what differs (the saved model keeps its choice).</summary>
    private static string MirrorTag(DshArchitecture architecture, DshArchitecture profiles) =>
        (architecture.MirrorPhotos == profiles.MirrorPhotos ? "" : "-mirrorphotos" + (architecture.MirrorPhotos ? 1 : 0)) +
        (architecture.MirrorSketches == profiles.MirrorSketches ? "" : "-mirrorsketches" + (architecture.MirrorSketches ? 1 : 0));

    private static int FrozenStages(TrunkSpec trunk) => trunk is ResNet18TrunkSpec resnet ? resnet.FrozenStages : 0;
}
