using System.Text.Json.Nodes;
using Dsh.Cli.Running;
using Dsh.Evaluation;

namespace Dsh.Cli.Reporting;

/// <summary>The one JSON object <c>dsh eval --json</c> prints (fields listed in docs/cli.md).</summary>
internal static class EvalJson
{
    /// <summary>Builds the object.</summary>
    /// <param name="outcome">What was measured.</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="reportPath">The report folder, or null with <c>--no-report</c>.</param>
    /// <param name="mirrorSketches">Whether the queries were encoded mirrored too (the model's choice or <c>--mirror-sketches</c>).</param>
    /// <param name="mirrorPhotos">Whether the model encodes photos mirrored too (<c>dsh train --mirror-photos</c>).</param>
    public static JsonObject Build(EvaluationOutcome outcome, string modelPath, string? reportPath, bool mirrorSketches = false, bool mirrorPhotos = false)
    {
        RetrievalReport r = outcome.Report;
        var json = new JsonObject
        {
            ["model"] = Path.GetFullPath(modelPath),
            ["bits"] = r.Bits,
            ["categories"] = outcome.Categories.Count,
            ["queries"] = r.Queries,
            ["gallery"] = r.GalleryCount,
            ["queriesWithoutRelevant"] = r.QueriesWithoutRelevant,
            ["mapAll"] = r.MapAll,
            ["tieAwareMapAll"] = r.TieAwareMapAll,
            ["requestedK"] = outcome.RequestedK,
            ["k"] = r.K,
            ["precisionAtK"] = r.PrecisionAtK,
            ["recallAtK"] = r.RecallAtK,
            ["tieAwarePrecisionAtK"] = r.TieAwarePrecisionAtK,
            ["tieAwareRecallAtK"] = r.TieAwareRecallAtK,
            ["msPerQuery"] = r.MeanQueryMilliseconds,
            ["encodeMsPerImage"] = outcome.SketchEncodeMsPerImage,
            ["photoEncodeMsPerImage"] = outcome.PhotoEncodeMsPerImage,
            ["searchMsPerQuery"] = r.MeanSearchMilliseconds,
            ["bytesPerCode"] = r.PackedBytesPerGalleryItem,
            ["mirrorSketches"] = mirrorSketches,
            ["mirrorPhotos"] = mirrorPhotos,
            ["reportPath"] = reportPath,
            ["skipped"] = SkippedJson.Build(outcome.Skipped),
            ["hammingOnly"] = SecondStage(outcome.HammingOnly),
            ["reranked"] = outcome.Reranked is { } reranked ? SecondStage(reranked) : null,
        };
        // precisionAt<requested K> holds precision at that K even when the gallery is smaller (as trec_eval counts it: the
        // ranks past the gallery retrieve nothing relevant, so it is the relevant count in the gallery's ranking over K);
        // the capped measure is precisionAtK and the field named after the K measured.
        json[$"precisionAt{outcome.RequestedK}"] = r.K == outcome.RequestedK ? r.PrecisionAtK : r.PrecisionAtK * r.K / outcome.RequestedK;
        if (r.K != outcome.RequestedK)
        {
            json[$"precisionAt{r.K}"] = r.PrecisionAtK;
        }
        return json;
    }

    /// <summary>The measures of one ranking: category mAP and P@10, and where each query's own photo ranks.</summary>
    private static JsonObject SecondStage(RankedRetrievalReport s) => new()
    {
        ["rerank"] = s.Rerank == Dsh.Hashing.RerankMode.None ? "none" : "codes",
        ["depth"] = s.Rerank == Dsh.Hashing.RerankMode.None ? 0 : s.Depth,
        ["mapAll"] = s.MapAll,
        ["precisionAt10"] = s.PrecisionAt10,
        ["instanceQueries"] = s.InstanceQueries,
        ["accuracyAt1"] = s.AccuracyAt1,
        ["accuracyAt10"] = s.AccuracyAt10,
        ["medianTargetRank"] = s.MedianTargetRank,
    };
}
