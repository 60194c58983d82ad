using Dsh.Baselines;
using Dsh.Data;
using Dsh.Evaluation;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// The supervised linear hash (α = 1) on frozen ImageNet ResNet-18 features, fitted on exactly the training items a
/// DSH run gets and scored on the same validation queries and gallery: the bar each DSH regime must clear.
/// </summary>
internal static class LinearHashOnSameData
{
    public static (double Map, double P200) Score(SbirDataset all, string pacsRoot, string outDir, IReadOnlyList<SbirItem> trainSketches,
        IReadOnlyList<SbirItem> trainPhotos, GroupedValidationSplit split, int bits)
    {
        var entries = all.Sketches.Select(s => new FrozenFeatureCache.Entry(s.Path!, true))
            .Concat(all.Photos.Select(p => new FrozenFeatureCache.Entry(p.Path!, false))).ToList();
        var (features, _) = FrozenFeatureCache.LoadOrCompute(entries, pacsRoot, Path.Combine(outDir, "features-224.bin"), 224, 32);
        var rows = new FeatureRows(entries, features);
        static int[] Labels(IReadOnlyList<SbirItem> items) => items.Select(i => i.Label).ToArray();
        using var scope = NewDisposeScope();
        var hash = LinearSupervisedHasher.Fit(rows.Matrix(trainSketches, sketches: true), Labels(trainSketches), rows.Matrix(trainPhotos, sketches: false), Labels(trainPhotos),
            split.Categories.Count, bits);
        var q = hash.EncodeSketches(rows.Matrix(split.QuerySketches, sketches: true));
        var g = hash.EncodePhotos(rows.Matrix(split.GalleryPhotos, sketches: false));
        int[] ql = Labels(split.QuerySketches), gl = Labels(split.GalleryPhotos);
        return (RetrievalMetrics.MeanAveragePrecision(q, ql, g, gl), RetrievalMetrics.PrecisionAt(200, q, ql, g, gl));
    }
}
