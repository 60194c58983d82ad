using System.Globalization;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Quality;

/// <summary>
/// Test-time views for the probes: each item's image transformed, written as PNG (so nothing but the transform changes)
/// and encoded the way the model encodes its domain; outputs averaged with the item's own.
/// </summary>
internal static class ImageViews
{
    /// <summary>The items' outputs with each image replaced by <paramref name="view"/> of it, the PNGs kept in <paramref name="dir"/> for later runs.</summary>
    public static IReadOnlyList<float[]> Embed(DshModel model, IReadOnlyList<SbirItem> items, string dir, bool photos, Func<Image<Rgb24>, Image> view)
    {
        Directory.CreateDirectory(dir);
        var paths = new string[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            paths[i] = Path.Combine(dir, i.ToString("D5", CultureInfo.InvariantCulture) + ".png");
            if (!File.Exists(paths[i]))
            {
                using Image<Rgb24> image = Image.Load<Rgb24>(items[i].Path!);
                using Image transformed = view(image);
                transformed.SaveAsPng(paths[i]);
            }
        }
        return EmbedFiles(model, paths, photos);
    }

    /// <summary>The files' outputs, encoded the way the model encodes photos or sketches; a file it skips is an error here.</summary>
    public static IReadOnlyList<float[]> EmbedFiles(DshModel model, IReadOnlyList<string> paths, bool photos)
    {
        EncodedFiles encoded = photos ? model.EmbedPhotoFiles(paths) : model.EmbedSketchFiles(paths);
        if (encoded.Skipped.Count > 0)
        {
            throw new InvalidDataException(encoded.Skipped[0].ToString());
        }
        return encoded.Embeddings!;
    }

    /// <summary>The codes of real-valued outputs: each output's signs.</summary>
    public static BinaryCodeSet Codes(IReadOnlyList<float[]> embeddings, int codeLength) =>
        BinaryCodeSet.FromSigns([.. embeddings.SelectMany(e => e)], codeLength);

    /// <summary>
    /// One row of the probes' four-column tables: <c>| name | mAP@all | re-ranked mAP@all | re-ranked P@10 |</c>, the
    /// re-ranking by codes over the first <paramref name="depth"/> Hamming candidates.
    /// </summary>
    public static string Row(string name, DshTrainAndEncode run, BinaryCodeSet queryCodes, IReadOnlyList<float[]>? queries, string?[]? queryGroups,
        BinaryCodeSet galleryCodes, IReadOnlyList<float[]>? gallery, string?[]? galleryGroups, int depth)
    {
        RankedRetrievalReport plain = RankedRetrievalEvaluation.Evaluate(queryCodes, queries, run.QueryLabels, queryGroups,
            galleryCodes, gallery, run.GalleryLabels, galleryGroups, RerankMode.None, 1);
        RankedRetrievalReport reranked = RankedRetrievalEvaluation.Evaluate(queryCodes, queries, run.QueryLabels, queryGroups,
            galleryCodes, gallery, run.GalleryLabels, galleryGroups, RerankMode.Codes, depth);
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {plain.MapAll:F3} | {reranked.MapAll:F3} | {reranked.PrecisionAt10:F3} |");
    }

    /// <summary>Per item, (<paramref name="ownWeight"/> · own + Σ views) / (<paramref name="ownWeight"/> + view count).</summary>
    public static IReadOnlyList<float[]> Average(IReadOnlyList<float[]> own, float ownWeight, IReadOnlyList<IReadOnlyList<float[]>> views) =>
        [.. own.Select((x, i) =>
        {
            float[] sum = [.. x.Select(v => v * ownWeight)];
            foreach (IReadOnlyList<float[]> view in views)
            {
                for (int j = 0; j < sum.Length; j++)
                {
                    sum[j] += view[i][j];
                }
            }
            return sum.Select(v => v / (ownWeight + views.Count)).ToArray();
        })];
}
