using Dsh.Cli.Progress;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;

namespace Dsh.Cli.Running;

/// <summary>What <see cref="EvaluationRunner.Run"/> measured, with what it needs to show sample queries.</summary>
internal sealed record EvaluationOutcome(
    RetrievalReport Report,
    int RequestedK,
    IReadOnlyList<string> Categories,
    IReadOnlyList<SbirItem> Queries,
    IReadOnlyList<SbirItem> Gallery,
    BinaryCodeSet QueryCodes,
    BinaryCodeSet GalleryCodes,
    TimeSpan SketchEncodeTime,
    TimeSpan PhotoEncodeTime,
    IReadOnlyList<SkippedFile> Skipped,
    RankedRetrievalReport HammingOnly,
    RankedRetrievalReport? Reranked,
    IReadOnlyList<float[]> QueryEmbeddings)
{
    /// <summary>Mean time to encode one query sketch, in milliseconds.</summary>
    public double SketchEncodeMsPerImage => SketchEncodeTime.TotalMilliseconds / Queries.Count;

    /// <summary>Mean time to encode one gallery photo (with its sketch-token map), in milliseconds.</summary>
    public double PhotoEncodeMsPerImage => PhotoEncodeTime.TotalMilliseconds / Gallery.Count;

    /// <summary>
    /// The <paramref name="k"/> nearest gallery items of query <paramref name="query"/> (ties by gallery order), re-ordered
    /// as <see cref="Reranked"/> measured when there is a second stage.
    /// </summary>
    public IReadOnlyList<Neighbor> TopResults(int query, int k)
    {
        RerankMode mode = Reranked?.Rerank ?? RerankMode.None;
        int[] ranking = GalleryRanking.Rank(QueryCodes[query], QueryEmbeddings[query], GalleryCodes, null, mode, Reranked?.Depth ?? 1);
        return ranking.Take(k).Select(g => new Neighbor(g, BinaryCode.Distance(QueryCodes[query], GalleryCodes[g]))).ToArray();
    }
}

/// <summary>
/// Every sketch under a folder as a query against every photo under another: labels are the category folders present
/// on both sides (a category on one side only is skipped and reported), the gallery is put in a seeded shuffled
/// order so the deterministic tie rule does not favour categories sorted first.
/// </summary>
internal static class EvaluationRunner
{
    /// <summary>Encodes both sides with <paramref name="model"/> and evaluates Hamming ranking.</summary>
    /// <exception cref="InputDataException">No category has both sketches and photos.</exception>
    /// <remarks>With <paramref name="rerankDepth"/> &gt; 0 the ranking is also measured with that many Hamming candidates re-ordered by each query's real-valued output.</remarks>
    public static EvaluationOutcome Run(IDshEncoder model, string sketchDir, string photoDir, int k, int gallerySeed, bool strict, int rerankDepth, IProgressSink sink,
        CancellationToken cancellationToken)
    {
        SbirDataset data = TrainingRunner.LoadDataset(sketchDir, photoDir, sink, strict);
        var queries = data.Sketches.ToList();
        var gallery = data.Photos.ToList();
        var random = new Random(gallerySeed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(gallery));
        var unknown = data.Categories.Where(c => !model.Categories.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            sink.Message($"eval: {unknown.Count} of {data.Categories.Count} categories were not among the model's training categories (zero-shot): {string.Join(", ", unknown.Take(8))}");
        }
        // The loader decoded every file once already; a file that fails now (changed since) stops the evaluation.
        var queryEmbeddings = new List<float[]>(queries.Count);
        (BinaryCodeSet queryCodes, _, _, TimeSpan sketchTime) = CodeEncoder.Encode(model, queries.Select(q => q.Path!).ToList(), photos: false, strict: true, sink, cancellationToken, queryEmbeddings);
        (BinaryCodeSet galleryCodes, _, _, TimeSpan photoTime) = CodeEncoder.Encode(model, gallery.Select(g => g.Path!).ToList(), photos: true, strict: true, sink, cancellationToken);
        IProgressTask task = sink.AddTask("evaluate", queries.Count);
        RetrievalReport report = RetrievalEvaluation.Evaluate(queryCodes, queries.Select(q => q.Label).ToList(), galleryCodes, gallery.Select(g => g.Label).ToList(),
            new RetrievalEvaluationOptions { K = k }, new SyncProgress<int>(n => task.Update(n)), cancellationToken);
        report = report.WithEncodeTime(sketchTime, queries.Count);
        task.Complete($"mAP@all {Format.Metric(report.MapAll)}");
        RankedRetrievalReport Ranked(RerankMode mode, int depth) => RankedRetrievalEvaluation.Evaluate(queryCodes, queryEmbeddings,
            queries.Select(q => q.Label).ToList(), queries.Select(q => q.Group).ToList(), galleryCodes, null, gallery.Select(g => g.Label).ToList(),
            gallery.Select(g => g.Group).ToList(), mode, depth, cancellationToken);
        RankedRetrievalReport hammingOnly = Ranked(RerankMode.None, 1);
        RankedRetrievalReport? reranked = rerankDepth > 0 ? Ranked(RerankMode.Codes, rerankDepth) : null;
        return new EvaluationOutcome(report, k, data.Categories, queries, gallery, queryCodes, galleryCodes, sketchTime, photoTime, data.Report.SkippedFiles,
            hammingOnly, reranked, queryEmbeddings);
    }
}
