using Dsh.Imaging;
using Dsh.Model;
using Dsh.Tests.Support;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Model;

/// <summary>
/// The batched file encoder's preparing ahead: the next batch is decoded and prepared while the network runs the current
/// one, results and reported files are the same either way, and no preparation outlives the call.
/// </summary>
public sealed class FileBatchEncoderTests : IDisposable
{
    private static readonly DshArchitecture Architecture = DshArchitecture.ResNet18(64);
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-file-batches-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary><paramref name="count"/> photo files; the names in <paramref name="bad"/> hold bytes no decoder reads.</summary>
    private string[] Photos(int count, params int[] bad)
    {
        var random = new Random(8);
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            paths[i] = Path.Combine(_dir, $"{i}.png");
            if (bad.Contains(i))
            {
                File.WriteAllBytes(paths[i], [1, 2, 3, i > 255 ? (byte)0 : (byte)i]);
                continue;
            }
            using var image = ShapeImages.Photo(ShapeImages.Categories[i % ShapeImages.Categories.Length], 64, random);
            image.SaveAsPng(paths[i]);
        }
        return paths;
    }

    /// <summary>A network stand-in: each row's outputs are a fixed function of its input planes, so equal inputs give equal codes.</summary>
    private static float[] Outputs(ImageBatchInputs batch, IReadOnlyList<int> rows)
    {
        var (first, second) = batch.ToArrays(rows);
        int k = Architecture.CodeLength, perRow = first.Length / rows.Count, perToken = second!.Length / rows.Count;
        var outputs = new float[rows.Count * k];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int j = 0; j < k; j++)
            {
                outputs[r * k + j] = first[r * perRow + j * 97 % perRow] - first[r * perRow + j * 31 % perRow] + second[r * perToken + j * 53 % perToken];
            }
        }
        return outputs;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_next_batch_is_prepared_while_the_network_runs_only_when_asked(bool ahead)
    {
        string[] paths = Photos(6);
        var extractor = new CountingExtractor();
        bool nextPreparedDuringFirstRun = false;
        int runs = 0;
        FileBatchEncoder.Encode(paths, Architecture, photos: true, strict: true, keepEmbeddings: false, batchSize: 2, ImageDecodingOptions.Default,
            extractor, (batch, rows) =>
            {
                if (runs++ == 0)
                {
                    // Items 2 and 3 are the second batch: their token maps appear while this one runs only when prepared ahead.
                    nextPreparedDuringFirstRun = SpinWait.SpinUntil(() => extractor.Calls >= 4, TimeSpan.FromSeconds(ahead ? 30 : 1));
                }
                return Outputs(batch, rows);
            }, CancellationToken.None, ahead);

        Assert.Equal(3, runs);
        Assert.Equal(ahead, nextPreparedDuringFirstRun);
    }

    [Fact]
    public void Preparing_ahead_gives_the_same_codes_embeddings_and_skipped_files()
    {
        string[] paths = Photos(9, 1, 4, 5, 8); // bad files in the first, third and last batch, a whole batch unreadable
        EncodedFiles Encode(bool ahead) => FileBatchEncoder.Encode(paths, Architecture, photos: true, strict: false, keepEmbeddings: true, batchSize: 2,
            ImageDecodingOptions.Default, new CountingExtractor(), Outputs, CancellationToken.None, ahead);

        EncodedFiles serial = Encode(false), overlapped = Encode(true);

        Assert.Equal([0, 2, 3, 6, 7], overlapped.Indexes);
        Assert.Equal(serial.Indexes, overlapped.Indexes);
        Assert.Equal(serial.Codes.Words.ToArray(), overlapped.Codes.Words.ToArray());
        Assert.Equal(serial.Embeddings!.SelectMany(e => e), overlapped.Embeddings!.SelectMany(e => e));
        Assert.Equal(serial.Skipped, overlapped.Skipped);
        Assert.Equal([paths[1], paths[4], paths[5], paths[8]], overlapped.Skipped.Select(s => s.Path));
    }

    [Fact]
    public void A_strict_encoder_reports_the_first_bad_file_even_when_a_later_batch_was_prepared()
    {
        string[] paths = Photos(6, 3);
        File.Delete(paths[4]); // in the batch prepared ahead while the one holding the bad file 3 is checked
        var e = Assert.Throws<InvalidDataException>(() => FileBatchEncoder.Encode(paths, Architecture, photos: true, strict: true,
            keepEmbeddings: false, batchSize: 2, ImageDecodingOptions.Default, new CountingExtractor(), Outputs, CancellationToken.None));
        Assert.Contains("3.png", e.Message);
    }

    [Fact]
    public void When_the_network_fails_the_call_returns_only_after_the_batch_being_prepared_is_done()
    {
        string[] paths = Photos(6);
        var extractor = new CountingExtractor { Delay = TimeSpan.FromMilliseconds(300) };
        var e = Assert.Throws<InvalidOperationException>(() => FileBatchEncoder.Encode(paths, Architecture, photos: true, strict: true,
            keepEmbeddings: false, batchSize: 2, ImageDecodingOptions.Default, extractor,
            (_, _) => throw new InvalidOperationException("network failed"), CancellationToken.None));
        Assert.Equal("network failed", e.Message);
        int calls = extractor.Calls;
        Thread.Sleep(700);
        Assert.Equal(4, calls); // the first batch and the one prepared ahead, both finished; nothing after
        Assert.Equal(calls, extractor.Calls);
    }

    [Fact]
    public void Cancelling_stops_between_batches_and_while_preparing()
    {
        string[] paths = Photos(6);
        using var cancel = new CancellationTokenSource();
        int runs = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => FileBatchEncoder.Encode(paths, Architecture, photos: true, strict: true,
            keepEmbeddings: false, batchSize: 2, ImageDecodingOptions.Default, new CountingExtractor(), (batch, rows) =>
            {
                runs++;
                cancel.Cancel();
                return Outputs(batch, rows);
            }, cancel.Token));
        Assert.Equal(1, runs);
    }

    /// <summary>White token maps, counting the calls; optionally slow.</summary>
    private sealed class CountingExtractor : ISketchTokenExtractor
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TimeSpan Delay { get; init; }

        public string Name => "counting-white";

        public RgbImage Extract(RgbImage photo)
        {
            Thread.Sleep(Delay);
            Interlocked.Increment(ref _calls);
            byte[] white = new byte[photo.Width * photo.Height * 3];
            Array.Fill(white, (byte)255);
            return new RgbImage(photo.Width, photo.Height, white);
        }
    }
}
