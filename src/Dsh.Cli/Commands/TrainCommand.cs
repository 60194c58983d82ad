using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Cli.Running;
using Dsh.Training;

namespace Dsh.Cli.Commands;

/// <summary><c>dsh train --sketches DIR --photos DIR --bits N --out FILE [--profile …] [--epochs N] [--seed N] …</c></summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var sketches = CliOptions.ExistingDirectory("--sketches", "Training sketches: one sub-folder per category.");
        var photos = CliOptions.ExistingDirectory("--photos", "Training photos: one sub-folder per category (same names as the sketches').");
        var bits = CliOptions.Bits();
        var output = CliOptions.OutputPath("--out", "The model file to write (.dshm).");
        var profile = CliOptions.Profile();
        var epochs = CliOptions.Epochs();
        var seed = CliOptions.Seed();
        var classVectors = CliOptions.ClassVectors();
        var learningRate = new Option<double?>("--lr") { Description = "SGD learning rate (default for resnet18: 2.5e-3 up to 128 bits, 1e-2*32/bits above; when the photo trunk learns 1e-2 up to 64 bits, 1e-2*64/bits above; compact and paper: 1e-2 up to 64 bits, 1e-2*32/bits above).", HelpName = "RATE" };
        learningRate.Validators.Add(r =>
        {
            if (CliOptions.TryGetValue(r, out double? value) && value is { } v && !(v > 0 && double.IsFinite(v)))
            {
                r.AddError($"--lr must be a finite number > 0, not {v}");
            }
        });
        var sketchTrunkFactor = LearningRateFactor("--sketch-trunk-lr-factor",
            "Factor on the learning rate of the sketch trunk's learning stages, in (0, 10] (default 1: the rate of the heads).");
        var fusionHeadFactor = LearningRateFactor("--fusion-head-lr-factor",
            "Factor on the learning rate of the photo network's fusion head, in (0, 10] (default 1: the rate of the sketch side).");
        string[] schedules = Enum.GetNames<LearningRateSchedule>().Select(n => n.ToLowerInvariant()).ToArray();
        var schedule = new Option<string?>("--lr-schedule")
        {
            Description = "How the learning rate changes over the steps: constant, or cosine (from the full rate down to 0).",
            HelpName = string.Join('|', schedules),
        };
        schedule.CompletionSources.Add(schedules);
        schedule.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var name }] && !schedules.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                r.AddError($"--lr-schedule must be {string.Join(" or ", schedules)}, not '{name}'");
            }
        });
        var dissimilarTarget = CliOptions.DissimilarTarget();
        var photoFrozen = CliOptions.FrozenStages("--photo-frozen-stages", "resnet18 only: photo trunk stages kept at their ImageNet weights, 0-4 (default 4, or 3 when the photos' median side is under 96 px).");
        var sketchFrozen = CliOptions.FrozenStages("--sketch-frozen-stages", "resnet18 only: sketch trunk stages kept at their ImageNet weights, 0-4 (default 3).");
        var tokenSize = CliOptions.TokenSize();
        var mirrorPhotos = new Option<bool>("--mirror-photos")
        {
            Description = "Whether the model encodes every photo as it is and mirrored, and takes its code from the average of the two outputs: better photo codes for twice a photo's encoding time (training is unchanged). Default: on for the resnet18 profile unless the photos are small, off for the others; --mirror-photos false encodes each photo once.",
        };
        var mirrorSketches = new Option<bool>("--mirror-sketches")
        {
            Description = "Whether the model's sketches are encoded mirrored too by default (search, eval, encode and serve may say otherwise with their own --mirror-sketches): slightly better ranking for twice a sketch's encoding time. Default: on for the resnet18 profile, off for the others.",
        };
        var balancePhotoClasses = new Option<bool>("--balance-photo-classes")
        {
            Description = "Whether the pairwise term weighs each photo by how few photos its class has, so that every class's photos count alike however many each class has (matters when the classes have unequal numbers of photos; equal classes train exactly as without it). Default: on; false weighs every photo alike, as in the paper.",
        };
        var members = CliOptions.OptionalInt("--members",
            $"Member networks that make the code, 1-{DshArchitecture.MaxMembers} (default 1): each learns its own --bits/N bits on its own codes, batch order and augmentation, sharing the frozen stages, for about N times the training time and one more pass of the learning stages per member when encoding (on PACS not better on average than one network: docs/results.md). --bits must be a multiple of N, at least 8 bits a member.",
            1, DshArchitecture.MaxMembers);
        var batchSize = CliOptions.Int("--batch-size", "Mini-batch size per domain.", 32, 1, 4096);
        var averagedEpochs = CliOptions.OptionalInt("--average-epochs",
            $"The last N epochs' steps are averaged into the saved weights (stochastic weight averaging); 0 keeps the last step's (default: {DshTrainerOptions.LearningPhotoTrunkAveragedEpochs} when the photo trunk's last stage learns, else 0).",
            0, 1_000_000);
        var threads = CliOptions.Threads();
        var checkpoint = CliOptions.OutputPath("--checkpoint", "Checkpoint folder: written every epoch; a rerun with the same folder and settings resumes.", "DIR", required: false);
        var imageNet = CliOptions.ExistingFile("--imagenet", "The ImageNet ResNet-18 ONNX file (default: the copy next to dsh).", required: false);
        var strict = CliOptions.Strict();
        var json = CliOptions.Json();
        var command = new Command("train", "Train a model on <category>/ folders of sketches and photos and save it. Progress lines show the last batch's loss and the objective's terms after each code update ('dsh help conventions' explains them).")
        {
            sketches, photos, bits, output, profile, epochs, seed, classVectors, learningRate, sketchTrunkFactor, fusionHeadFactor, schedule, dissimilarTarget, balancePhotoClasses, photoFrozen, sketchFrozen, tokenSize, mirrorPhotos, mirrorSketches, members, batchSize, averagedEpochs, threads, checkpoint, imageNet, strict, json,
        };
        command.SetAction(parse =>
        {
            int codeLength = parse.GetValue(bits);
            string profileName = parse.GetValue(profile)!;
            if (parse.GetValue(members) is { } memberCount && (codeLength % memberCount != 0 || codeLength / memberCount < DshArchitecture.MinCodeLength))
            {
                throw new UsageException(
                    $"--members {memberCount} must divide --bits {codeLength} into equal parts of at least {DshArchitecture.MinCodeLength} bits");
            }
            DshTrainerOptions options = TrainingSetup.Options(TrainingSetup.Profile(profileName), codeLength, o =>
            {
                o = o with
                {
                    Epochs = parse.GetValue(epochs),
                    MinimumSteps = parse.GetResult(epochs) is { Implicit: false } ? 0 : null, // --epochs N: exactly N epochs
                    Seed = parse.GetValue(seed),
                    ClassVectors = parse.GetValue(classVectors),
                    BatchSize = parse.GetValue(batchSize),
                    AveragedEpochs = parse.GetValue(averagedEpochs),
                    SketchTrunkLearningRateFactor = parse.GetValue(sketchTrunkFactor) ?? 1,
                    FusionHeadLearningRateFactor = parse.GetValue(fusionHeadFactor) ?? 1,
                    Threads = parse.GetValue(threads),
                    CheckpointDirectory = parse.GetValue(checkpoint),
                    ImageNetWeightsPath = parse.GetValue(imageNet),
                };
                if (parse.GetValue(schedule) is { } name)
                {
                    o = o with { LearningRateSchedule = Enum.Parse<LearningRateSchedule>(name, ignoreCase: true) };
                }
                if (parse.GetValue(dissimilarTarget) is { } targetText && Dsh.Objective.DshObjectiveOptions.TryParseDissimilarPairTarget(targetText, out double? target))
                {
                    o = o with { Objective = o.Objective with { DissimilarPairTarget = target } };
                }
                if (parse.Given(balancePhotoClasses) is { } balanced)
                {
                    o = o with { Objective = o.Objective with { BalancePhotoClasses = balanced } };
                }
                if (parse.GetValue(members) is { } count)
                {
                    o = o with { Architecture = o.Architecture with { Members = count } };
                }
                if (parse.GetValue(tokenSize) is { } side)
                {
                    o = o with { Architecture = o.Architecture with { TokenInputSize = side } };
                }
                if (parse.Given(mirrorPhotos) is { } mirrored)
                {
                    o = o with { Architecture = o.Architecture with { MirrorPhotos = mirrored } };
                }
                if (parse.Given(mirrorSketches) is { } queriesMirrored)
                {
                    o = o with { Architecture = o.Architecture with { MirrorSketches = queriesMirrored } };
                }
                return parse.GetValue(learningRate) is { } rate ? o with { LearningRate = rate } : o;
            }, parse.GetValue(photoFrozen), parse.GetValue(sketchFrozen));
            bool asJson = parse.GetValue(json);
            string modelPath = OutputPaths.CheckFile(parse.GetValue(output)!, "--out");
            if (options.CheckpointDirectory is { } checkpoints)
            {
                OutputPaths.CheckFolder(checkpoints, "--checkpoint");
            }
            var (model, elapsed, dataset) = ProgressSurface.Run(context, sink =>
            {
                SbirDataset data = TrainingRunner.LoadDataset(parse.GetValue(sketches)!, parse.GetValue(photos)!, sink, parse.GetValue(strict));
                sink.Message($"train: profile {profileName}, {codeLength} bits{MembersText(options.Architecture)}, {TrainingSetup.EpochsText(options)}, lr {options.LearningRate:g3} ({options.LearningRateSchedule.ToString().ToLowerInvariant()}{(options.SketchTrunkLearningRateFactor != 1 ? $", sketch trunk ×{options.SketchTrunkLearningRateFactor:g3}" : "")}{(options.FusionHeadLearningRateFactor != 1 ? $", fusion head ×{options.FusionHeadLearningRateFactor:g3}" : "")}), seed {options.Seed}; class vectors {options.EffectiveClassVectors}; different classes' target {options.Objective.DissimilarPairTargetText}" +
                    (options.Objective.BalancePhotoClasses ? "; photo classes balanced" : "; photo classes not balanced") +
                    (options.Architecture.TokenInputSize is { } side ? $"; sketch-token maps {side} px" : "") +
                    MirroringText(options.Architecture) +
                    (options.EffectiveAveragedEpochs > 0 ? $"; weights averaged over the last {options.EffectiveAveragedEpochs} epoch(s)" : ""));
                return TrainingRunner.TrainAndSave(options, data, modelPath, sink, context.CancellationToken, _ => data);
            });
            using (model)
            {
                if (asJson)
                {
                    context.Out.WriteLine(Summary(model, modelPath, profileName, elapsed, dataset, options.Objective).ToJsonString(CliJson.Options));
                }
                else
                {
                    context.Out.WriteLine($"saved {modelPath}: {model.CodeLength} bits, {model.Categories.Count} categories, {model.Summary.Epochs} epochs, " +
                        $"final loss {model.Summary.FinalBatchLoss:0.000}, class vectors {model.Summary.SemanticSource}, trained in {Format.Duration(elapsed)}");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The JSON summary of a training run.</summary>
    internal static JsonObject Summary(DshModel model, string modelPath, string profile, TimeSpan elapsed, SbirDataset dataset, Dsh.Objective.DshObjectiveOptions objective) => new()
    {
        ["model"] = modelPath,
        ["profile"] = profile,
        ["bits"] = model.CodeLength,
        ["epochs"] = model.Summary.Epochs,
        ["steps"] = model.Summary.Steps,
        ["categories"] = model.Categories.Count,
        ["sketches"] = dataset.Report.SketchCount,
        ["photos"] = dataset.Report.PhotoCount,
        ["finalBatchLoss"] = model.Summary.FinalBatchLoss,
        ["finalTotalLoss"] = model.Summary.FinalTerms?.Total,
        ["semanticSource"] = model.Summary.SemanticSource,
        ["mirrorPhotos"] = model.Architecture.MirrorPhotos,
        ["mirrorSketches"] = model.Architecture.MirrorSketches,
        ["members"] = model.Architecture.Members,
        ["balancePhotoClasses"] = objective.BalancePhotoClasses,
        ["trainSeconds"] = elapsed.TotalSeconds,
        ["skipped"] = Reporting.SkippedJson.Build(dataset.Report.SkippedFiles),
    };

    /// <summary>An option taking a factor on part of the network's learning rate, in (0, 10].</summary>
    private static Option<double?> LearningRateFactor(string name, string description)
    {
        var option = new Option<double?>(name) { Description = description, HelpName = "FACTOR" };
        option.Validators.Add(r =>
        {
            if (CliOptions.TryGetValue(r, out double? value) && value is { } v && !(v > 0 && v <= 10))
            {
                r.AddError($"{name} must be in (0, 10], not {v}");
            }
        });
        return option;
    }

    /// <summary>The start line's note on the members, when there are several.</summary>
    private static string MembersText(DshArchitecture architecture) =>
        architecture.Members == 1 ? "" : $" ({architecture.Members} members of {architecture.MemberArchitecture.CodeLength} bits)";

    /// <summary>The start line's note on test-time mirroring: which sides the model encodes mirrored too.</summary>
    private static string MirroringText(DshArchitecture architecture) => (architecture.MirrorPhotos, architecture.MirrorSketches) switch
    {
        (true, true) => "; sketches and photos encoded mirrored too",
        (true, false) => "; photos encoded mirrored too",
        (false, true) => "; sketches encoded mirrored too",
        _ => "",
    };
}
