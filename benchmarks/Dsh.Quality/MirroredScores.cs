using System.Globalization;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Quality;

/// <summary>
/// The <c>mirror=1</c> rows of <c>dsh-pacs</c> and <c>quickdraw-cifar dsh</c>: test-time mirroring. Each validation image is also encoded mirrored
/// left to right (written as PNG, so nothing but the mirroring changes), its real-valued output averaged with the
/// plain one, and the code taken from the average's signs; scored with the queries averaged, the gallery averaged, and
/// both, against neither (every image encoded as it is, whatever the model's <see cref="DshModel.MirrorSketches"/>).
/// </summary>
internal static class MirroredScores
{
    /// <param name="groups">Whether the items' groups (the photo a sketch was drawn from) are known.</param>
    public static void Run(DshModel model, DshTrainAndEncode run, IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery, bool groups,
        string outDir, string tag, int depth, Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        string dir = Path.Combine(outDir, $"mirrored-{tag}");
        // Every image as it is given (the run's queries may have been encoded with the library's mirroring).
        bool libraryMirroring = model.MirrorSketches;
        model.MirrorSketches = false;
        IReadOnlyList<float[]> queryPlain, queryMirrored, galleryMirrored;
        try
        {
            // the run's own outputs when it encoded the queries as drawn; otherwise once more, as drawn
            queryPlain = libraryMirroring ? Embed(model, queries, null, photos: false) : run.QueryEmbeddings!;
            queryMirrored = Embed(model, queries, Path.Combine(dir, "sketches"), photos: false);
            galleryMirrored = Embed(model, gallery, Path.Combine(dir, "photos"), photos: true);
        }
        finally
        {
            model.MirrorSketches = libraryMirroring;
        }
        int k = model.CodeLength;
        IReadOnlyList<float[]> queryAveraged = Average(queryPlain, queryMirrored);
        IReadOnlyList<float[]> galleryAveraged = Average(run.GalleryEmbeddings!, galleryMirrored);
        string?[]? queryGroups = groups ? [.. queries.Select(q => q.Group)] : null;
        string?[]? galleryGroups = groups ? [.. gallery.Select(g => g.Group)] : null;
        say("| mirrored and averaged | mAP@all | re-ranked (codes, depth " + depth.ToString(inv) + ") | P@10 | re-ranked (stored photo outputs, depth " + depth.ToString(inv) + ") | whole gallery |");
        say("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, q, g) in new[]
        {
            ("neither", queryPlain, run.GalleryEmbeddings!),
            ("queries", queryAveraged, run.GalleryEmbeddings!),
            ("gallery", queryPlain, galleryAveraged),
            ("both", queryAveraged, galleryAveraged),
        })
        {
            BinaryCodeSet qCodes = ImageViews.Codes(q, k), gCodes = ImageViews.Codes(g, k);
            RankedRetrievalReport plain = RankedRetrievalEvaluation.Evaluate(qCodes, q, run.QueryLabels, queryGroups, gCodes, g,
                run.GalleryLabels, galleryGroups, RerankMode.None, 1);
            RankedRetrievalReport reranked = RankedRetrievalEvaluation.Evaluate(qCodes, q, run.QueryLabels, queryGroups, gCodes, g,
                run.GalleryLabels, galleryGroups, RerankMode.Codes, depth);
            RankedRetrievalReport stored = RankedRetrievalEvaluation.Evaluate(qCodes, q, run.QueryLabels, queryGroups, gCodes, g,
                run.GalleryLabels, galleryGroups, RerankMode.Embeddings, depth);
            RankedRetrievalReport storedAll = RankedRetrievalEvaluation.Evaluate(qCodes, q, run.QueryLabels, queryGroups, gCodes, g,
                run.GalleryLabels, galleryGroups, RerankMode.Embeddings, g.Count);
            say(string.Create(inv, $"| {name} | {plain.MapAll:F3} | {reranked.MapAll:F3} | {reranked.PrecisionAt10:F3} | {stored.MapAll:F3} | {storedAll.MapAll:F3} |"));
        }
        // The library's own path (DshModel.MirrorSketches mirrors the prepared input planes): it should score as "queries".
        model.MirrorSketches = true;
        EncodedFiles mirrored;
        try
        {
            mirrored = model.EmbedSketchFiles([.. queries.Select(q => q.Path!)]);
        }
        finally
        {
            model.MirrorSketches = libraryMirroring;
        }
        say(ImageViews.Row("queries, DshModel.MirrorSketches", run, mirrored.Codes, mirrored.Embeddings, queryGroups,
            run.Gallery, run.GalleryEmbeddings, galleryGroups, depth));
    }

    /// <summary>The items' outputs: the files themselves when <paramref name="dir"/> is null, else mirrored copies written there.</summary>
    private static IReadOnlyList<float[]> Embed(DshModel model, IReadOnlyList<SbirItem> items, string? dir, bool photos)
    {
        if (dir is not null)
        {
            return ImageViews.Embed(model, items, dir, photos, image => image.Clone(x => x.Flip(FlipMode.Horizontal)));
        }
        return ImageViews.EmbedFiles(model, [.. items.Select(item => item.Path!)], photos);
    }

    private static IReadOnlyList<float[]> Average(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b) => ImageViews.Average(a, 1, [b]);
}
