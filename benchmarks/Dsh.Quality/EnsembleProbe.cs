using System.Globalization;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;

namespace Dsh.Quality;

/// <summary>
/// The <c>ensembleWith=FILE[,FILE…]</c> rows: the run's model and other saved models, each image's outputs concatenated
/// (the code: every model's signs side by side), scored like one model of the summed code length.
/// </summary>
internal static class EnsembleProbe
{
    /// <param name="groups">Whether the items' groups (the photo a sketch was drawn from) are known.</param>
    public static void Run(DshTrainAndEncode run, IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery, bool groups, string files, int depth, Action<string> say)
    {
        string?[]? queryGroups = groups ? [.. queries.Select(q => q.Group)] : null;
        string?[]? galleryGroups = groups ? [.. gallery.Select(g => g.Group)] : null;
        List<float[]> q = [.. run.QueryEmbeddings!], g = [.. run.GalleryEmbeddings!];
        int bits = run.Model.CodeLength;
        say("| ensemble | mAP@all | re-ranked | P@10 |");
        say("| --- | ---: | ---: | ---: |");
        foreach (string file in files.Split(','))
        {
            using DshModel other = DshModel.Load(file);
            other.MirrorSketches = run.Model.MirrorSketches;
            IReadOnlyList<float[]> oq = ImageViews.EmbedFiles(other, [.. queries.Select(x => x.Path!)], photos: false);
            IReadOnlyList<float[]> og = ImageViews.EmbedFiles(other, [.. gallery.Select(x => x.Path!)], photos: true);
            BinaryCodeSet alone = ImageViews.Codes(oq, other.CodeLength);
            say(ImageViews.Row($"{Path.GetFileName(file)} alone", run, alone, oq, queryGroups, ImageViews.Codes(og, other.CodeLength), og, galleryGroups, depth));
            q = SideBySide(q, oq);
            g = SideBySide(g, og);
            bits += other.CodeLength;
            say(ImageViews.Row(string.Create(CultureInfo.InvariantCulture, $"+ {Path.GetFileName(file)} ({bits} bits)"), run,
                ImageViews.Codes(q, bits), q, queryGroups, ImageViews.Codes(g, bits), g, galleryGroups, depth));
        }
    }

    /// <summary>Each item's outputs from the first list followed by its outputs from the second.</summary>
    /// <exception cref="ArgumentException">The lists hold different numbers of items.</exception>
    public static List<float[]> SideBySide(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second)
    {
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"{first.Count} items against {second.Count}.", nameof(second));
        }
        return [.. first.Zip(second, (a, b) => a.Concat(b).ToArray())];
    }
}
