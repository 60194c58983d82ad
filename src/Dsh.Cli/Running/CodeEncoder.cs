using System.Diagnostics;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Hashing;

namespace Dsh.Cli.Running;

/// <summary>Encodes image files with a model, a batch at a time, showing progress and measuring the time.</summary>
internal static class CodeEncoder
{
    /// <summary>The codes of <paramref name="paths"/> in order, and the wall time encoding took.</summary>
    /// <param name="model">The model.</param>
    /// <param name="paths">Image files (at least one).</param>
    /// <param name="photos">Photos (true) or sketches (false).</param>
    /// <param name="sink">Progress.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public static (BinaryCodeSet Codes, TimeSpan Elapsed) Encode(DshModel model, IReadOnlyList<string> paths, bool photos,
        IProgressSink sink, CancellationToken cancellationToken)
    {
        string name = photos ? "encode photos" : "encode sketches";
        IProgressTask task = sink.AddTask(name, paths.Count);
        var codes = new List<BinaryCode>(paths.Count);
        var clock = Stopwatch.StartNew();
        foreach (string[] chunk in paths.Chunk(model.EncodeBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            BinaryCodeSet part = photos ? model.EncodePhotos(chunk) : model.EncodeSketches(chunk);
            codes.AddRange(part);
            if (codes.Count == paths.Count)
            {
                break; // Complete reports the last batch
            }
            double rate = codes.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            TimeSpan eta = TimeSpan.FromSeconds((paths.Count - codes.Count) / Math.Max(rate, 1e-9));
            task.Update(codes.Count, $"{rate:0.0} img/s, ETA {Format.Duration(eta)}");
        }
        clock.Stop();
        task.Complete($"{codes.Count} images in {Format.Duration(clock.Elapsed)} ({1000 * clock.Elapsed.TotalSeconds / codes.Count:0.0} ms/image)");
        return (BinaryCodeSet.FromCodes(codes, model.CodeLength), clock.Elapsed);
    }

    /// <summary>Encodes image files and returns them as catalog entries with ids from <paramref name="firstId"/>.</summary>
    public static (BinaryCodeSet Codes, List<CatalogItem> Items) EncodeFiles(DshModel model, IReadOnlyList<ImageFile> files, bool photos, long firstId,
        IProgressSink sink, CancellationToken cancellationToken)
    {
        (BinaryCodeSet codes, _) = Encode(model, files.Select(f => f.Path).ToList(), photos, sink, cancellationToken);
        var items = files.Select((f, i) => new CatalogItem(firstId + i, f.Path, f.Category)).ToList();
        return (codes, items);
    }
}
