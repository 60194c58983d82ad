using System.Runtime.ExceptionServices;
using Dsh.Data;
using Dsh.Hashing;
using Dsh.Imaging;

namespace Dsh.Model;

/// <summary>
/// Runs an encoder over image files a batch at a time: each file is decoded, prepared and written straight into the
/// batch's input planes (only <see cref="ImageDecodingOptions.MaxParallelDecodes"/> full-size images exist at once,
/// whatever the batch size), then the batch goes through <c>run</c> (TorchSharp or ONNX Runtime), whose [rows, K]
/// outputs become codes (bit set where the output is &gt; 0) and, when asked, embeddings.
/// </summary>
internal static class FileBatchEncoder
{
    /// <summary>One batch's outputs, row-major [rows.Count, K].</summary>
    public delegate float[] BatchRunner(ImageBatchInputs batch, IReadOnlyList<int> rows);

    /// <summary>
    /// How a batch goes through <paramref name="run"/>: sketches with <paramref name="mirrorSketches"/>, and photos with
    /// <paramref name="mirrorPhotos"/> (the model's <see cref="DshArchitecture.MirrorPhotos"/>), as <see cref="MirrorAveraged"/>.
    /// </summary>
    public static BatchRunner For(BatchRunner run, bool photos, bool mirrorSketches, bool mirrorPhotos, int k) =>
        (photos ? mirrorPhotos : mirrorSketches) ? MirrorAveraged(run, k) : run;

    /// <summary>
    /// A runner whose K outputs for each row are the average of <paramref name="run"/>'s outputs for the image and for the
    /// image mirrored left to right (a photo with its sketch-token map; both in one call, as one batch of twice the rows).
    /// </summary>
    public static BatchRunner MirrorAveraged(BatchRunner run, int k) => (batch, rows) =>
    {
        int n = rows.Count;
        float[] outputs = run(batch.WithMirroredCopies(rows), [.. Enumerable.Range(0, 2 * n)]);
        var averaged = new float[n * k];
        for (int i = 0; i < averaged.Length; i++)
        {
            averaged[i] = (outputs[i] + outputs[n * k + i]) / 2;
        }
        return averaged;
    };

    /// <summary>One decoded image (a sketch, or a photo with its token map) through <paramref name="run"/>: its K outputs.</summary>
    public static float[] EncodeImage(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image, DshArchitecture architecture,
        bool photo, ISketchTokenExtractor? extractor, BatchRunner run)
    {
        var batch = new ImageBatchInputs(architecture, photo, 1);
        batch.Write(0, image, extractor);
        return run(batch, [0]);
    }

    /// <summary>
    /// Encodes <paramref name="paths"/> a batch at a time. With <paramref name="prepareAhead"/> the next batch is decoded
    /// and prepared on the thread pool while <paramref name="run"/> works on the current one (two batches of input planes
    /// exist at once; still at most <see cref="ImageDecodingOptions.MaxParallelDecodes"/> full-size images).
    /// </summary>
    public static EncodedFiles Encode(
        IReadOnlyList<string> paths, DshArchitecture architecture, bool photos, bool strict, bool keepEmbeddings, int batchSize,
        ImageDecodingOptions decoding, ISketchTokenExtractor? extractor, BatchRunner run, CancellationToken cancellationToken,
        bool prepareAhead = true)
    {
        ArgumentNullException.ThrowIfNull(paths);
        int k = architecture.CodeLength;
        var words = new List<ulong>();
        var indexes = new List<int>();
        var skipped = new List<SkippedFile>();
        var embeddings = keepEmbeddings ? new List<float[]>() : null;
        PreparedBatch Prepare(int start) => PreparedBatch.Read(paths, start, Math.Min(batchSize, paths.Count - start), architecture, photos,
            decoding, extractor, cancellationToken);
        Task<PreparedBatch>? ahead = null;
        try
        {
            for (int start = 0; start < paths.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PreparedBatch current = ahead is null ? Prepare(start) : ahead.GetAwaiter().GetResult();
                ahead = null;
                int next = start + batchSize;
                if (prepareAhead && next < paths.Count)
                {
                    ahead = Task.Run(() => Prepare(next), cancellationToken);
                }
                var encoded = new List<int>(current.Count);
                for (int i = 0; i < current.Count; i++)
                {
                    if (current.Failures[i] is not { } failure)
                    {
                        encoded.Add(i);
                    }
                    else if (strict)
                    {
                        ExceptionDispatchInfo.Capture(failure).Throw();
                    }
                    else
                    {
                        skipped.Add(new SkippedFile(paths[start + i], failure.Message.ReplaceLineEndings(" ")));
                    }
                }
                if (encoded.Count == 0)
                {
                    continue;
                }
                float[] outputs = run(current.Inputs, encoded);
                words.AddRange(BinaryCodeSet.FromSigns(outputs, k).Words);
                if (embeddings is not null)
                {
                    for (int r = 0; r < encoded.Count; r++)
                    {
                        embeddings.Add(outputs.AsSpan(r * k, k).ToArray());
                    }
                }
                indexes.AddRange(encoded.Select(i => start + i));
            }
        }
        finally
        {
            // Leaving early (a strict failure, a runner's exception, cancellation): the batch being prepared is waited for,
            // so no decoding outlives the call; its own failure is not the one to report.
            if (ahead is not null)
            {
                try
                {
                    ahead.Wait(CancellationToken.None);
                }
                catch (Exception)
                {
                }
            }
        }
        return new EncodedFiles(BinaryCodeSet.FromWords(words.ToArray(), k), indexes, skipped, embeddings);
    }

    /// <summary>One batch's input planes and, per item, why it could not be read (null when it was).</summary>
    private sealed record PreparedBatch(ImageBatchInputs Inputs, Exception?[] Failures)
    {
        public int Count => Failures.Length;

        public static PreparedBatch Read(IReadOnlyList<string> paths, int start, int count, DshArchitecture architecture, bool photos,
            ImageDecodingOptions decoding, ISketchTokenExtractor? extractor, CancellationToken cancellationToken)
        {
            var batch = new ImageBatchInputs(architecture, photos, count);
            var failures = new Exception?[count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = decoding.MaxParallelDecodes, CancellationToken = cancellationToken };
            Parallel.For(0, count, parallel, i =>
            {
                string path = paths[start + i] ?? throw new ArgumentException($"Path {start + i} is null.", nameof(paths));
                try
                {
                    batch.Write(i, path, decoding, extractor);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    failures[i] = e;
                }
            });
            return new PreparedBatch(batch, failures);
        }
    }
}
