using System.CommandLine;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Cli.Reporting;
using Dsh.Cli.Running;
using Dsh.Evaluation;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh eval --model FILE --sketches DIR --photos DIR [--json] [-k 200] [--report DIR | --no-report]</c>: every sketch a
/// query against every photo, labels from the category folders.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.EncoderModel();
        var runtime = CliOptions.Runtime();
        var sketches = CliOptions.ExistingDirectory("--sketches", "Query sketches: one sub-folder per category.");
        var photos = CliOptions.ExistingDirectory("--photos", "Gallery photos: one sub-folder per category (categories on one side only are skipped).");
        var k = CliOptions.Int("--top", "K of precision@K and recall@K (capped at the gallery size).", 200, 1, int.MaxValue, "-k");
        var report = CliOptions.OutputPath("--report", "Folder for report.md, pr-curve.png and contact-sheet.png (default: <model-name>.eval/ next to the model).", "DIR", required: false);
        var noReport = new Option<bool>("--no-report") { Description = "Write no report." };
        var gallerySeed = CliOptions.Int("--gallery-seed", "Seed of the gallery's shuffled order (ties are ranked in gallery order).", 1, int.MinValue);
        var strict = CliOptions.Strict();
        var rerank = CliOptions.Rerank();
        var mirror = CliOptions.MirrorSketches();
        var json = CliOptions.Json();
        var command = new Command("eval", "Evaluate a model: mAP@all, precision@K, recall@K, timings, a Markdown report with a precision-recall plot.")
        {
            model, runtime, sketches, photos, k, report, noReport, gallerySeed, strict, rerank, mirror, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(report) is { Implicit: false } && r.GetValue(noReport))
            {
                r.AddError("--report and --no-report exclude each other");
            }
        });
        command.SetAction(parse =>
        {
            string modelPath = ModelFiles.FullPath(parse.GetValue(model)!);
            string sketchDir = parse.GetValue(sketches)!, photoDir = parse.GetValue(photos)!;
            bool asJson = parse.GetValue(json);
            string? reportFolder = parse.GetValue(noReport)
                ? null
                : OutputPaths.CheckFolder(parse.GetValue(report) ?? EvalReportWriter.DefaultFolder(modelPath), "--report");
            using IDshEncoder dsh = ModelFiles.LoadEncoder(modelPath, parse.GetValue(runtime) == "onnx");
            if (parse.Given(mirror) is { } mirrored)
            {
                dsh.MirrorSketches = mirrored;
            }
            EvaluationOutcome outcome = ProgressSurface.Run(context, sink => EvaluationRunner.Run(dsh, sketchDir, photoDir, parse.GetValue(k),
                parse.GetValue(gallerySeed), parse.GetValue(strict), parse.GetValue(rerank), sink, context.CancellationToken));
            string? reportPath = null;
            if (reportFolder is not null)
            {
                reportPath = EvalReportWriter.Write(reportFolder, outcome, modelPath, sketchDir, photoDir,
                    "dsh " + string.Join(' ', parse.Tokens.Select(t => Quote(t.Value))));
            }
            if (asJson)
            {
                context.Out.WriteLine(EvalJson.Build(outcome, modelPath, reportPath, dsh.MirrorSketches, dsh.MirrorsPhotos).ToJsonString(CliJson.Options));
            }
            else
            {
                WriteSummary(context.Out, outcome);
                if (reportPath is not null)
                {
                    context.Out.WriteLine($"report:            {Path.Combine(reportPath, EvalReportWriter.MarkdownName)}");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The numbers for people; <paramref name="kAskedFor"/> false (the demo, whose user asked for no K) leaves out
    /// precision@K and recall@K, which on a gallery of a few photos a category say little beside P@10.
    /// </summary>
    internal static void WriteSummary(TextWriter output, EvaluationOutcome outcome, RetrievalReport? at10 = null, bool kAskedFor = true)
    {
        RetrievalReport r = outcome.Report;
        output.WriteLine($"queries x gallery: {r.Queries} sketches x {r.GalleryCount} photos, {outcome.Categories.Count} categories, {r.Bits} bits");
        output.WriteLine($"mAP@all:           {Format.Metric(r.MapAll)} (tie-aware {Format.Metric(r.TieAwareMapAll)})");
        if (at10 is not null && r.K != 10)
        {
            output.WriteLine($"precision@10:      {Format.Metric(at10.PrecisionAtK)} (tie-aware {Format.Metric(at10.TieAwarePrecisionAtK)})");
        }
        if (kAskedFor)
        {
            output.WriteLine($"precision@{r.K}:{new string(' ', Math.Max(1, 8 - r.K.ToString(System.Globalization.CultureInfo.InvariantCulture).Length))}{Format.Metric(r.PrecisionAtK)} (tie-aware {Format.Metric(r.TieAwarePrecisionAtK)})" +
                (outcome.RequestedK != r.K ? $" [K {outcome.RequestedK} capped at the gallery size]" : ""));
            output.WriteLine($"recall@{r.K}:{new string(' ', Math.Max(1, 11 - r.K.ToString(System.Globalization.CultureInfo.InvariantCulture).Length))}{Format.Metric(r.RecallAtK)}");
        }
        WriteSecondStage(output, outcome);
        output.WriteLine($"query time:        {Format.Ms(r.MeanQueryMilliseconds)} (encode {Format.Ms(outcome.SketchEncodeMsPerImage)} + search {Format.Ms(r.MeanSearchMilliseconds)}); photo encode {Format.Ms(outcome.PhotoEncodeMsPerImage)}");
    }

    /// <summary>P@10 and the instance measures, Hamming order against the re-ranked order.</summary>
    private static void WriteSecondStage(TextWriter output, EvaluationOutcome outcome)
    {
        string Line(RankedRetrievalReport s) =>
            $"P@10 {Format.Metric(s.PrecisionAt10)}" + (s.InstanceQueries > 0
                ? $", own photo: acc@1 {Format.Metric(s.AccuracyAt1!.Value)}, acc@10 {Format.Metric(s.AccuracyAt10!.Value)}, median rank {s.MedianTargetRank:0.#} ({s.InstanceQueries} queries drawn from a gallery photo)"
                : "");
        output.WriteLine($"Hamming order:     mAP@all {Format.Metric(outcome.HammingOnly.MapAll)}, {Line(outcome.HammingOnly)}");
        if (outcome.Reranked is { } r)
        {
            output.WriteLine($"re-ranked (top {r.Depth}): mAP@all {Format.Metric(r.MapAll)}, {Line(r)}");
        }
    }

    private static string Quote(string token) => token.Length == 0 || token.Any(char.IsWhiteSpace) ? $"\"{token}\"" : token;
}
