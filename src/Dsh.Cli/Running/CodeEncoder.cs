using System.Diagnostics;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Data;
using Dsh.Hashing;
using Dsh.Model;

namespace Dsh.Cli.Running;

/// <summary>What <see cref="CodeEncoder.Encode"/> made: the codes, which inputs they belong to, what it skipped, how long it took.</summary>
internal sealed record EncodedImages(BinaryCodeSet Codes, IReadOnlyList<int> Indexes, IReadOnlyList<SkippedFile> Skipped, TimeSpan Elapsed);

/// <summary>Encodes image files with a model, a batch at a time, showing progress and measuring the time.</summary>
internal static class CodeEncoder
{
    /// <summary>Images handed to the encoder at once: the progress line moves after each such chunk (the encoders batch inside it).</summary>
    private const int ProgressChunk = 64;

    /// <summary>
    /// The codes of <paramref name="paths"/> in order. An unreadable, corrupt or over-limit file is skipped and reported on
    /// <paramref name="sink"/>, unless <paramref name="strict"/>: then it stops the command.
    /// </summary>
    /// <param name="model">The model (TorchSharp or ONNX Runtime).</param>
    /// <param name="paths">Image files (at least one).</param>
    /// <param name="photos">Photos (true) or sketches (false).</param>
    /// <param name="strict">Fail on the first bad file instead of skipping it.</param>
    /// <param name="sink">Progress.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <exception cref="InputDataException">No file could be encoded.</exception>
    /// <param name="embeddings">When given, receives each encoded image's real-valued network output, in code order.</param>
    public static EncodedImages Encode(IDshEncoder model, IReadOnlyList<string> paths, bool photos, bool strict,
        IProgressSink sink, CancellationToken cancellationToken, List<float[]>? embeddings = null)
    {
        string name = photos ? "encode photos" : "encode sketches";
        IProgressTask task = sink.AddTask(name, paths.Count);
        var words = new List<ulong>(paths.Count * ((model.CodeLength + 63) >> 6));
        var indexes = new List<int>(paths.Count);
        var skipped = new List<SkippedFile>();
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < paths.Count; start += ProgressChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] chunk = paths.Skip(start).Take(ProgressChunk).ToArray();
            EncodedFiles part = embeddings is not null
                ? photos ? model.EmbedPhotoFiles(chunk, cancellationToken) : model.EmbedSketchFiles(chunk, cancellationToken)
                : photos ? model.EncodePhotoFiles(chunk, cancellationToken) : model.EncodeSketchFiles(chunk, cancellationToken);
            if (strict && part.Skipped.Count > 0)
            {
                throw new InputDataException($"'{part.Skipped[0].Path}': {part.Skipped[0].Reason}");
            }
            embeddings?.AddRange(part.Embeddings!);
            words.AddRange(part.Codes.Words);
            indexes.AddRange(part.Indexes.Select(i => start + i));
            foreach (SkippedFile file in part.Skipped)
            {
                skipped.Add(file);
                sink.Message($"skipped '{file.Path}': {file.Reason}");
            }
            int done = start + chunk.Length;
            if (done == paths.Count)
            {
                break; // Complete reports the last batch
            }
            double rate = done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            TimeSpan eta = TimeSpan.FromSeconds((paths.Count - done) / Math.Max(rate, 1e-9));
            task.Update(done, $"{rate:0.0} img/s, ETA {Format.Duration(eta)}");
        }
        clock.Stop();
        string skippedNote = skipped.Count == 0 ? "" : $", {skipped.Count} skipped";
        task.Complete($"{indexes.Count} images in {Format.Duration(clock.Elapsed)} ({1000 * clock.Elapsed.TotalSeconds / Math.Max(1, paths.Count):0.0} ms/image){skippedNote}");
        if (indexes.Count == 0)
        {
            throw new InputDataException($"None of the {paths.Count} images could be read (the first: {skipped[0].Reason}).");
        }
        return new EncodedImages(BinaryCodeSet.FromWords(words.ToArray(), model.CodeLength), indexes, skipped, clock.Elapsed);
    }

    /// <summary>Encodes image files and returns the encoded ones as catalog entries, ids counting up from <paramref name="firstId"/>.</summary>
    public static (BinaryCodeSet Codes, List<EncodedFile> Items, IReadOnlyList<SkippedFile> Skipped) EncodeFiles(IDshEncoder model, IReadOnlyList<ImageFile> files,
        bool photos, bool strict, long firstId, IProgressSink sink, CancellationToken cancellationToken)
    {
        EncodedImages encoded = Encode(model, files.Select(f => f.Path).ToList(), photos, strict, sink, cancellationToken);
        var items = encoded.Indexes.Select((input, row) => new EncodedFile(firstId + row, files[input].Path, files[input].Category)).ToList();
        return (encoded.Codes, items, encoded.Skipped);
    }
}
