using System.Globalization;
using System.Text;
using Dsh.Cli.Running;
using Dsh.Evaluation;

namespace Dsh.Cli.Reporting;

/// <summary>
/// Writes <c>report.md</c> (numbers, command, precision–recall table), <c>pr-curve.png</c> and <c>contact-sheet.png</c>
/// (queries and their top results) into a folder.
/// </summary>
internal static class EvalReportWriter
{
    /// <summary>The Markdown file's name.</summary>
    public const string MarkdownName = "report.md";

    /// <summary>The plot's name.</summary>
    public const string PlotName = "pr-curve.png";

    /// <summary>The default report folder of a model: <c>&lt;model-name&gt;.eval/</c> next to it.</summary>
    public static string DefaultFolder(string modelPath)
    {
        string full = Path.GetFullPath(modelPath);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", Path.GetFileNameWithoutExtension(full) + ".eval");
    }

    /// <summary>Writes both files; returns the folder's full path.</summary>
    public static string Write(string folder, EvaluationOutcome outcome, string modelPath, string sketchDir, string photoDir, string command)
    {
        string full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        RetrievalReport r = outcome.Report;
        PrCurvePlot.Write(r, $"DSH {r.Bits} bits: {r.Queries} sketch queries, {r.GalleryCount} photos", Path.Combine(full, PlotName));
        ContactSheet.Write(outcome, Path.Combine(full, ContactSheet.FileName));
        File.WriteAllText(Path.Combine(full, MarkdownName), Markdown(outcome, modelPath, sketchDir, photoDir, command));
        return full;
    }

    /// <summary>The Markdown text.</summary>
    internal static string Markdown(EvaluationOutcome outcome, string modelPath, string sketchDir, string photoDir, string command)
    {
        RetrievalReport r = outcome.Report;
        var md = new StringBuilder();
        string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        md.AppendLine("# dsh eval report").AppendLine();
        md.AppendLine($"- Model: `{Path.GetFullPath(modelPath)}` ({r.Bits} bits)");
        md.AppendLine($"- Queries: {r.Queries} sketches under `{Path.GetFullPath(sketchDir)}`");
        md.AppendLine($"- Gallery: {r.GalleryCount} photos under `{Path.GetFullPath(photoDir)}` (seeded shuffled order)");
        md.AppendLine($"- Categories: {outcome.Categories.Count} ({string.Join(", ", outcome.Categories.Take(20))}{(outcome.Categories.Count > 20 ? ", …" : "")})");
        md.AppendLine($"- Date (UTC): {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
        md.AppendLine().AppendLine("Command:").AppendLine().AppendLine("```").AppendLine(command).AppendLine("```").AppendLine();
        md.AppendLine("| measure | value |").AppendLine("| --- | --- |");
        md.AppendLine($"| mAP@all (ties in gallery order) | {F(r.MapAll)} |");
        md.AppendLine($"| mAP@all, tie-aware | {F(r.TieAwareMapAll)} |");
        md.AppendLine($"| precision@{r.K} | {F(r.PrecisionAtK)} |");
        md.AppendLine($"| precision@{r.K}, tie-aware | {F(r.TieAwarePrecisionAtK)} |");
        md.AppendLine($"| recall@{r.K} | {F(r.RecallAtK)} |");
        md.AppendLine($"| queries without a relevant photo | {r.QueriesWithoutRelevant} |");
        md.AppendLine($"| encode, ms per sketch | {outcome.SketchEncodeMsPerImage.ToString("0.00", CultureInfo.InvariantCulture)} |");
        md.AppendLine($"| encode, ms per photo | {outcome.PhotoEncodeMsPerImage.ToString("0.00", CultureInfo.InvariantCulture)} |");
        md.AppendLine($"| search, ms per query | {r.MeanSearchMilliseconds?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "n/a"} |");
        md.AppendLine($"| query (encode + search), ms | {r.MeanQueryMilliseconds?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"} |");
        md.AppendLine($"| bytes per code (packed) | {r.PackedBytesPerGalleryItem} |");
        md.AppendLine().AppendLine("Two-stage search: the Hamming order, and the first candidates re-ordered by the sketch's real-valued network output against their codes. " +
            "\"Own photo\" counts queries drawn from a specific gallery photo (same group, e.g. Sketchy's `nSYNSET-K.png` and `nSYNSET.jpg`).").AppendLine();
        md.AppendLine("| ranking | mAP@all | P@10 | own photo acc@1 | own photo acc@10 | median rank of own photo | queries with own photo |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (RankedRetrievalReport s in new[] { outcome.HammingOnly, outcome.Reranked }.OfType<RankedRetrievalReport>())
        {
            string name = s.Rerank == Dsh.Hashing.RerankMode.None ? "Hamming" : $"re-ranked, top {s.Depth}";
            string Opt(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
            md.AppendLine($"| {name} | {F(s.MapAll)} | {F(s.PrecisionAt10)} | {Opt(s.AccuracyAt1, "0.0000")} | {Opt(s.AccuracyAt10, "0.0000")} | {Opt(s.MedianTargetRank, "0.#")} | {s.InstanceQueries} |");
        }
        if (outcome.RequestedK != r.K)
        {
            md.AppendLine().AppendLine($"K = {outcome.RequestedK} was asked for; the gallery holds {r.GalleryCount} photos, so K = {r.K}.");
        }
        md.AppendLine().AppendLine("Times are wall-clock on the machine that ran the command; on a shared machine they vary.").AppendLine();
        md.AppendLine("## Queries and their top results").AppendLine();
        md.AppendLine($"![one query sketch per category and its top results]({ContactSheet.FileName})").AppendLine();
        md.AppendLine("One row per category: its first query sketch, then the top results in the order above (re-ranked when a second stage is on); green frames mark photos of the query's category, red the others.").AppendLine();
        md.AppendLine("## Precision–recall (Hamming radius)").AppendLine();
        md.AppendLine($"![precision-recall curve]({PlotName})").AppendLine();
        md.AppendLine("Every photo within Hamming distance r of a query counts as retrieved. Precision is the mean over queries that retrieve something.").AppendLine();
        md.AppendLine("| radius | precision | recall | mean retrieved | queries with results |").AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (PrecisionRecallPoint p in r.PrecisionRecallCurve)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {p.Radius} | {p.Precision:0.0000} | {p.Recall:0.0000} | {p.MeanRetrieved:0.0} | {p.QueriesWithResults} |"));
            if (p.Recall >= 1 && p.QueriesWithResults == r.Queries)
            {
                break; // the rest of the rows repeat this one
            }
        }
        return md.ToString();
    }
}
