using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Cli.Reporting;
using Dsh.Cli.Running;
using Dsh.Training;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Persistence;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh demo</c>: trains the default profile on the bundled pacs-mini train split, evaluates on its test split
/// (70 sketch queries, 70 photos) and prints mAP, precision@10/@200, timings and the top photos of a few queries.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var data = CliOptions.ExistingDirectory("--data", "The demo data (train|test/sketch|photo/<category>/); default: DemoData/pacs-mini next to dsh, else samples/data/pacs-mini above the current folder.", required: false);
        var bits = CliOptions.Bits();
        var epochs = CliOptions.Epochs();
        var profile = CliOptions.Profile();
        var seed = CliOptions.Seed();
        var classVectors = CliOptions.ClassVectors();
        var threads = CliOptions.Threads();
        var queries = CliOptions.Int("--queries", "How many sample queries to show.", 3, 0, 100);
        var top = CliOptions.Int("--top", "Photos shown per sample query.", 5, 1, 100, "-k");
        var output = CliOptions.OutputPath("--out", "Where to save the trained model (default: pacs-mini-<profile>-<bits>.dshm in the demo folder of the user's dsh cache, ~/.cache/dsh/demo on Linux).", required: false);
        var json = CliOptions.Json();
        var command = new Command("demo", "Train on the bundled real data (pacs-mini), evaluate, show timings and a few queries: the whole loop, no arguments needed.")
        {
            data, bits, epochs, profile, seed, classVectors, threads, queries, top, output, json,
        };
        command.SetAction(parse =>
        {
            string root = DemoData.Find(parse.GetValue(data))
                ?? throw new UsageException($"no demo data: pass --data DIR (pacs-mini layout), or run from the repository (samples/data/pacs-mini); {DemoData.BesideProgram} is missing");
            if (!DemoData.IsDemoData(root))
            {
                throw new InputDataException($"'{root}' lacks train/sketch, train/photo, test/sketch or test/photo.");
            }
            int codeLength = parse.GetValue(bits);
            string profileName = parse.GetValue(profile)!;
            DshTrainerOptions options = TrainingSetup.Options(TrainingSetup.Profile(profileName), codeLength, o => o with
            {
                Epochs = parse.GetValue(epochs),
                // as dsh train: the profile's epochs, and at least its minimum steps (252 on pacs-mini), unless --epochs is given
                MinimumSteps = parse.GetResult(epochs) is { Implicit: false } ? 0 : null,
                Seed = parse.GetValue(seed),
                ClassVectors = parse.GetValue(classVectors),
                Threads = parse.GetValue(threads),
            });
            string modelPath = OutputPaths.CheckFile(parse.GetValue(output) ?? Path.Combine(DshDirectories.CacheFolder("demo"), $"pacs-mini-{profileName}-{codeLength}.dshm"), "--out");
            bool asJson = parse.GetValue(json);
            var (model, trainTime, outcome) = ProgressSurface.Run(context, sink =>
            {
                sink.Message($"demo: data {root}; profile {profileName}, {codeLength} bits, {TrainingSetup.EpochsText(options)}, seed {options.Seed}; class vectors {options.EffectiveClassVectors}");
                SbirDataset train = TrainingRunner.LoadDataset(Path.Combine(root, "train", "sketch"), Path.Combine(root, "train", "photo"), sink);
                return TrainingRunner.TrainAndSave(options, train, modelPath, sink, context.CancellationToken, trained =>
                    EvaluationRunner.Run(trained, Path.Combine(root, "test", "sketch"), Path.Combine(root, "test", "photo"), 200, 1, strict: true,
                        Dsh.Serving.SketchSearchOptions.DefaultRerankDepth, sink, context.CancellationToken));
            });
            using (model)
            {
                RetrievalReport at10 = RetrievalEvaluation.Evaluate(outcome.QueryCodes, outcome.Queries.Select(q => q.Label).ToList(), outcome.GalleryCodes,
                    outcome.Gallery.Select(g => g.Label).ToList(), new RetrievalEvaluationOptions { K = 10, MeasureSearchTime = false });
                var samples = Samples(outcome, parse.GetValue(queries), parse.GetValue(top));
                if (asJson)
                {
                    JsonObject result = EvalJson.Build(outcome, modelPath, null);
                    result.Remove("reportPath");
                    result["data"] = root;
                    result["profile"] = profileName;
                    result["epochs"] = model.Summary.Epochs;
                    result["trainSeconds"] = trainTime.TotalSeconds;
                    result["precisionAt10"] = at10.PrecisionAtK;
                    result["samples"] = new JsonArray(samples.Select(s => (JsonNode)new JsonObject
                    {
                        ["query"] = s.Query.Path,
                        ["category"] = outcome.Categories[s.Query.Label],
                        ["results"] = new JsonArray(s.Hits.Select(h => (JsonNode)new JsonObject
                        {
                            ["path"] = outcome.Gallery[(int)h.Id].Path,
                            ["category"] = outcome.Categories[outcome.Gallery[(int)h.Id].Label],
                            ["distance"] = h.Distance,
                        }).ToArray()),
                    }).ToArray());
                    context.Out.WriteLine(result.ToJsonString(CliJson.Options));
                    return ExitCodes.Success;
                }
                TextWriter o = context.Out;
                o.WriteLine();
                o.WriteLine($"dsh demo: {profileName}, {codeLength} bits, {model.Summary.Epochs} epochs on {root}");
                o.WriteLine($"training:          {Format.Duration(trainTime)} ({model.Summary.Steps} steps, final loss {model.Summary.FinalBatchLoss:0.000}); model saved to {modelPath}");
                EvalCommand.WriteSummary(o, outcome, at10, kAskedFor: false);
                foreach (var (query, hits) in samples)
                {
                    o.WriteLine();
                    o.WriteLine($"query {Path.GetRelativePath(root, query.Path!)} ({outcome.Categories[query.Label]}):");
                    int rank = 1;
                    foreach (Neighbor hit in hits)
                    {
                        SbirItem photo = outcome.Gallery[(int)hit.Id];
                        string mark = photo.Label == query.Label ? "+" : "-";
                        o.WriteLine($"  {rank++,2}. {mark} {outcome.Categories[photo.Label],-10} d={hit.Distance,-3} {Path.GetRelativePath(root, photo.Path!)}");
                    }
                }
                o.WriteLine();
                o.WriteLine($"next: dsh index build --model {modelPath} --photos {Path.Combine(root, "test", "photo")} --out photos.dshi");
                return ExitCodes.Success;
            }
        });
        return command;
    }

    /// <summary>The top <paramref name="top"/> photos of <paramref name="count"/> queries spread over the categories.</summary>
    private static List<(SbirItem Query, IReadOnlyList<Neighbor> Hits)> Samples(EvaluationOutcome outcome, int count, int top)
    {
        var chosen = new List<(SbirItem, IReadOnlyList<Neighbor>)>();
        int categories = outcome.Categories.Count;
        for (int i = 0; i < Math.Min(count, categories); i++)
        {
            int label = i * categories / Math.Min(count, categories);
            int query = outcome.Queries.ToList().FindIndex(q => q.Label == label);
            if (query >= 0)
            {
                chosen.Add((outcome.Queries[query], outcome.TopResults(query, top)));
            }
        }
        return chosen;
    }
}
