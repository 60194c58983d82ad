using System.Globalization;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Quality;

/// <summary>
/// The <c>tokenSide=1</c> rows of <c>dsh-pacs</c>: what the sketch-token trunk at a lower input resolution would cost in
/// quality, measured on a model trained at full resolution (a lower bound: a model trained at that resolution adapts to
/// it). Each gallery photo's letterboxed sketch-token map is area-averaged down to the side before the token trunk; the
/// photo trunk, the fusion head and the queries are unchanged. The first row (the model's own token side) must reproduce
/// the run's own photo codes; sides above it are left out (they would only upsample the map).
/// </summary>
internal static class TokenSideProbe
{
    public static void Run(DshModel model, DshTrainAndEncode run, IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery, int depth, Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        int full = model.Architecture.SketchTokenInputSize;
        string?[] queryGroups = [.. queries.Select(q => q.Group)];
        string?[] galleryGroups = [.. gallery.Select(g => g.Group)];
        say($"| sketch-token trunk input | mAP@all | re-ranked (codes, depth {depth.ToString(inv)}) | P@10 | photo codes equal to the run's |");
        say("| ---: | ---: | ---: | ---: | ---: |");
        foreach (int side in new[] { full, 160, 128 }.Where(s => s <= full).Distinct()) // the trunk takes sides of 32·n to 32·n + 3 px
        {
            EncodedFiles photos = FileBatchEncoder.Encode([.. gallery.Select(g => g.Path!)], model.Architecture, photos: true, strict: true,
                keepEmbeddings: true, 32, ImageDecodingOptions.Default, model.TokenExtractor, (batch, rows) => RunBatch(model.Network, batch, rows, side),
                CancellationToken.None);
            RankedRetrievalReport plain = RankedRetrievalEvaluation.Evaluate(run.Queries, run.QueryEmbeddings, run.QueryLabels, queryGroups,
                photos.Codes, photos.Embeddings, run.GalleryLabels, galleryGroups, RerankMode.None, 1);
            RankedRetrievalReport reranked = RankedRetrievalEvaluation.Evaluate(run.Queries, run.QueryEmbeddings, run.QueryLabels, queryGroups,
                photos.Codes, photos.Embeddings, run.GalleryLabels, galleryGroups, RerankMode.Codes, depth);
            int same = Enumerable.Range(0, photos.Codes.Count).Count(i => photos.Codes[i].Equals(run.Gallery[i]));
            say(string.Create(inv, $"| {side} px | {plain.MapAll:F3} | {reranked.MapAll:F3} | {reranked.PrecisionAt10:F3} | {same} of {photos.Codes.Count} |"));
        }
    }

    private static float[] RunBatch(DshNetwork network, ImageBatchInputs batch, IReadOnlyList<int> rows, int side)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (Tensor photos, Tensor? tokens) = batch.ToTensors(rows);
        Tensor small = tokens!.shape[3] == side ? tokens : nn.functional.interpolate(tokens, [side, side], mode: InterpolationMode.Area);
        Tensor outputs = network.FusionHead.forward(network.SketchTrunk.forward(small, SketchBranch.Token), network.PhotoTrunk.forward(photos, SketchBranch.Sketch));
        using Tensor cpu = outputs.detach().to(ScalarType.Float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
