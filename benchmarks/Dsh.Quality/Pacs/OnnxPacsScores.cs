using System.Diagnostics;
using System.Globalization;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Export;
using Dsh.Hashing;
using Dsh.Inference;
using Dsh.Model;

namespace Dsh.Quality.Pacs;

/// <summary>
/// The <c>onnx=1</c> rows of <c>dsh-pacs</c>: the trained model exported to ONNX (float32, and INT8 calibrated on 64
/// training sketches and 64 training photos), the validation queries and gallery encoded on ONNX Runtime (2 threads),
/// scored like the TorchSharp codes, with the share of code bits that differ from TorchSharp's.
/// </summary>
internal static class OnnxPacsScores
{
    public static void Run(DshModel model, DshTrainAndEncode torch, IReadOnlyList<SbirItem> trainSketches, IReadOnlyList<SbirItem> trainPhotos,
        IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery, string outDir, string tag, int depth, Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        static IReadOnlyList<string> Spread(IReadOnlyList<SbirItem> items, int count)
        {
            double step = Math.Max(1.0, items.Count / (double)count);
            return [.. Enumerable.Range(0, Math.Min(count, items.Count)).Select(i => items[(int)(i * step)].Path!)];
        }
        string fp32Dir = Path.Combine(outDir, $"onnx-{tag}"), int8Dir = Path.Combine(outDir, $"onnx-int8-{tag}");
        DshOnnxExport.Export(model, fp32Dir);
        var clock = Stopwatch.StartNew();
        DshOnnxExport.ExportInt8(model, int8Dir, Spread(trainSketches, 64), Spread(trainPhotos, 64));
        say(string.Create(inv, $"INT8 export with calibration: {clock.Elapsed.TotalSeconds:F1} s"));
        say("| runtime | mAP@all | re-ranked | P@10 | code bits differing from TorchSharp (queries / gallery) | encode images/s |");
        say("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, dir) in new[] { ("ONNX Runtime, float32", fp32Dir), ("ONNX Runtime, INT8", int8Dir) })
        {
            using var encoder = DshOnnxEncoder.Load(dir, new DshOnnxEncoderOptions { IntraOpThreads = 2 });
            clock.Restart();
            EncodedFiles q = encoder.EmbedSketchFiles([.. queries.Select(s => s.Path!)]);
            EncodedFiles g = encoder.EmbedPhotoFiles([.. gallery.Select(p => p.Path!)]);
            double perSecond = (queries.Count + gallery.Count) / clock.Elapsed.TotalSeconds;
            if (q.Skipped.Count > 0 || g.Skipped.Count > 0)
            {
                throw new InvalidOperationException($"{name}: {q.Skipped.Count + g.Skipped.Count} files skipped");
            }
            RankedRetrievalReport plain = RankedRetrievalEvaluation.Evaluate(q.Codes, q.Embeddings, torch.QueryLabels,
                queries.Select(s => s.Group).ToArray(), g.Codes, g.Embeddings, torch.GalleryLabels, gallery.Select(p => p.Group).ToArray(), RerankMode.None, 1);
            RankedRetrievalReport reranked = RankedRetrievalEvaluation.Evaluate(q.Codes, q.Embeddings, torch.QueryLabels,
                queries.Select(s => s.Group).ToArray(), g.Codes, g.Embeddings, torch.GalleryLabels, gallery.Select(p => p.Group).ToArray(), RerankMode.Codes, depth);
            say(string.Create(inv, $"| {name} | {plain.MapAll:F3} | {reranked.MapAll:F3} | {reranked.PrecisionAt10:F3} | {Differing(torch.Queries, q.Codes):P2} / {Differing(torch.Gallery, g.Codes):P2} | {perSecond:F0} |"));
        }
    }

    private static double Differing(BinaryCodeSet a, BinaryCodeSet b)
    {
        long bits = 0;
        for (int i = 0; i < a.Count; i++)
        {
            bits += BinaryCode.Distance(a[i], b[i]);
        }
        return bits / (double)((long)a.Count * a.CodeLength);
    }
}
