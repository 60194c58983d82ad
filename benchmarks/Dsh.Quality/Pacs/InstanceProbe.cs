using System.Globalization;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Pretrained;
using Dsh.Trunks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// <c>instance-probe MODEL [depth]</c>: which features rank a Sketchy sketch's own photo first among the Hamming candidates?
/// Compares the query sketch's sketch-trunk features with the gallery photos' token-map features through the same trunk
/// (pooled 512-d, and a 2 × 2 spatial grid), on the validation split of dsh-pacs.
/// </summary>
internal static class InstanceProbe
{
    public static int Run(string[] args)
    {
        using DshModel model = DshModel.Load(args[0]);
        int depth = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var split = GroupedValidationSplit.OfSharedPacs();
        var q = model.EmbedSketchFiles(split.QuerySketches.Select(x => x.Path!).ToArray());
        var g = model.EmbedPhotoFiles(split.GalleryPhotos.Select(x => x.Path!).ToArray());
        var trunk = (ResNet18Trunk)model.Network.SketchTrunk;
        var qf = Features(split.QuerySketches.Select(x => x.Path!).ToList(), trunk, model, photos: false, SketchBranch.Sketch);
        var gfTok = Features(split.GalleryPhotos.Select(x => x.Path!).ToList(), trunk, model, photos: true, SketchBranch.Token);
        var gfSk = Features(split.GalleryPhotos.Select(x => x.Path!).ToList(), trunk, model, photos: true, SketchBranch.Sketch);
        int[] ql = split.QuerySketches.Select(x => x.Label).ToArray(), gl = split.GalleryPhotos.Select(x => x.Label).ToArray();
        string?[] qg = split.QuerySketches.Select(x => x.Group).ToArray(), gg = split.GalleryPhotos.Select(x => x.Group).ToArray();
        void Show(string name, RankedRetrievalReport r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {r.MapAll:F3} | {r.PrecisionAt10:F3} | {r.AccuracyAt1:F3} | {r.AccuracyAt10:F3} | {r.MedianTargetRank:F1} |"));
        Console.WriteLine("| ranking | mAP | P@10 | acc@1 | acc@10 | median |");
        Show("hamming", RankedRetrievalEvaluation.Evaluate(q.Codes, q.Embeddings, ql, qg, g.Codes, g.Embeddings, gl, gg, RerankMode.None, 1));
        Show("codes", RankedRetrievalEvaluation.Evaluate(q.Codes, q.Embeddings, ql, qg, g.Codes, g.Embeddings, gl, gg, RerankMode.Codes, depth));
        foreach (var (name, qv, gv) in new[] { ("pool token-branch", qf.Pool, gfTok.Pool), ("pool sketch-branch", qf.Pool, gfSk.Pool),
                     ("grid token-branch", qf.Grid, gfTok.Grid), ("grid sketch-branch", qf.Grid, gfSk.Grid), ("l3grid token", qf.L3, gfTok.L3), ("l3grid sketch", qf.L3, gfSk.L3) })
        {
            Show(name, RankedRetrievalEvaluation.Evaluate(q.Codes, qv, ql, qg, g.Codes, gv, gl, gg, RerankMode.Embeddings, depth));
        }
        // Hamming (or the asymmetric score) first; photos it cannot tell apart ordered by the token-map features.
        foreach (var (name, qv, gv) in new[] { ("grid token-branch", qf.Grid, gfTok.Grid), ("pool token-branch", qf.Pool, gfTok.Pool) })
        {
            foreach (bool asymmetric in new[] { false, true })
            {
                double ap = 0, p10 = 0;
                var ranks = new List<int>();
                for (int i = 0; i < q.Codes.Count; i++)
                {
                    var key = Enumerable.Range(0, g.Codes.Count).Select(j => (
                        Primary: asymmetric ? -Math.Round(AsymmetricReranker.Score(q.Embeddings![i], g.Codes.GetWords(j)), 3) : BinaryCode.Distance(q.Codes[i], g.Codes[j]),
                        Secondary: -System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(qv[i], gv[j]), j)).OrderBy(x => x.Primary).ThenBy(x => x.Secondary).ThenBy(x => x.j)
                        .Select(x => x.j).ToArray();
                    ap += RankedListMeasures.AveragePrecision(key, j => gl[j] == ql[i]);
                    p10 += RankedListMeasures.PrecisionAt(10, key, j => gl[j] == ql[i]);
                    if (qg[i] is { } grp && gg.Contains(grp))
                    {
                        ranks.Add(RankedListMeasures.FirstTargetRank(key, j => gg[j] == grp)!.Value);
                    }
                }
                ranks.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(asymmetric ? "asymmetric" : "hamming")}, ties by {name} | {ap / q.Codes.Count:F3} | {p10 / q.Codes.Count:F3} | {ranks.Count(r => r <= 1) / (double)ranks.Count:F3} | {ranks.Count(r => r <= 10) / (double)ranks.Count:F3} | {ranks[ranks.Count / 2]} |"));
            }
        }
        return 0;
    }

    private static (float[][] Pool, float[][] Grid, float[][] L3) Features(List<string> paths, ResNet18Trunk trunk, DshModel model, bool photos, SketchBranch branch)
    {
        var pool = new List<float[]>();
        var grid = new List<float[]>();
        var l3 = new List<float[]>();
        foreach (var chunk in paths.Chunk(32))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var images = chunk.Select(p =>
            {
                using Image<Rgb24> image = DshImaging.Load(p);
                return photos ? model.TokenExtractor.ExtractImage(image) : DshImaging.PrepareSketch(image);
            }).ToArray();
            Tensor x = DshImaging.ToTensor(images, model.Architecture.SketchInput);
            foreach (var i in images)
            {
                i.Dispose();
            }
            Tensor f3 = trunk.ForwardFeatures(x, 3, branch);
            Tensor f4 = trunk.ForwardFeatures(x, 4, branch);
            Tensor p = f4.mean([2, 3]);
            Tensor gr = nn.functional.adaptive_avg_pool2d(f4, [2, 2]).flatten(1);
            Tensor g3 = nn.functional.adaptive_avg_pool2d(f3, [3, 3]).flatten(1);
            Add(pool, p);
            Add(grid, gr);
            Add(l3, g3);
        }
        return (pool.ToArray(), grid.ToArray(), l3.ToArray());
    }

    private static void Add(List<float[]> list, Tensor t)
    {
        float[] flat = t.contiguous().data<float>().ToArray();
        int d = (int)t.shape[1];
        for (int r = 0; r < t.shape[0]; r++)
        {
            list.Add(flat.AsSpan(r * d, d).ToArray());
        }
    }
}
