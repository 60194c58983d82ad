using Dsh.Hashing;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Tests.Shared;
using Dsh.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Training;

/// <summary>Batch encoders that skip bad files, encoding from streams, and one model shared by many threads.</summary>
public sealed class DshModelSafeEncodingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-safe-encode-").FullName;
    private readonly DshModel _model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());

    public DshModelSafeEncodingTests() => _model.TokenExtractor = new ContourTokenExtractor();

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, Image<Rgb24> image)
    {
        string path = Path.Combine(_dir, name);
        image.SaveAsPng(path);
        image.Dispose();
        return path;
    }

    private string WriteBytes(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void Skipping_encoders_encode_the_good_files_as_single_calls_do_and_report_each_bad_one()
    {
        var random = new Random(5);
        string good0 = Write("good0.png", ShapeImages.Photo("circle", 72, random));
        string good1 = Write("good1.png", ShapeImages.Photo("square", 72, random));
        string good2 = Write("good2.png", ShapeImages.Photo("triangle", 72, random));
        string missing = Path.Combine(_dir, "missing.png");
        string garbage = WriteBytes("garbage.jpg", [1, 2, 3, 4, 5]);
        string bomb = WriteBytes("bomb.png", HostileImages.PngClaiming(30_000, 30_000));
        string[] paths = [garbage, good0, missing, good1, bomb, good2];
        _model.EncodeBatchSize = 4; // bad files in both batches

        EncodedFiles result = _model.EncodePhotoFiles(paths);

        Assert.Equal([1, 3, 5], result.Indexes);
        Assert.Equal(3, result.Codes.Count);
        Assert.Equal(_model.EncodePhoto(good0), result.Codes[0]);
        Assert.Equal(_model.EncodePhoto(good1), result.Codes[1]);
        Assert.Equal(_model.EncodePhoto(good2), result.Codes[2]);
        Assert.Equal([garbage, missing, bomb], result.Skipped.Select(s => s.Path));
        Assert.Contains("no format", result.Skipped[0].Reason);
        Assert.Contains("does not exist", result.Skipped[1].Reason);
        Assert.Contains("MaxPixels", result.Skipped[2].Reason);
        Assert.All(result.Skipped, s => Assert.DoesNotContain('\n', s.Reason));

        // The strict encoders stop at the first bad file with its own exception.
        Assert.Throws<InvalidDataException>(() => _model.EncodePhotos(paths));
        Assert.Throws<FileNotFoundException>(() => _model.EncodeSketches([good0, missing]));
        // Nothing usable: an empty result, not an error.
        EncodedFiles none = _model.EncodeSketchFiles([garbage, bomb]);
        Assert.Equal((0, 2), (none.Codes.Count, none.Skipped.Count));
        Assert.Empty(_model.EncodeSketchFiles([]).Codes);
    }

    [Fact]
    public void Streams_encode_like_files_within_the_models_limits()
    {
        var random = new Random(6);
        string sketch = Write("s.png", ShapeImages.Sketch("circle", 90, random));
        string photo = Write("p.png", ShapeImages.Photo("square", 90, random));
        using (var s = File.OpenRead(sketch))
        {
            Assert.Equal(_model.EncodeSketch(sketch), _model.EncodeSketch(s));
        }
        using (var p = File.OpenRead(photo))
        {
            Assert.Equal(_model.EncodePhoto(photo), _model.EncodePhoto(p));
        }

        _model.ImageDecoding = new ImageDecodingOptions { MaxPixels = 89 * 90 };
        var e = Assert.Throws<InvalidDataException>(() => _model.EncodeSketch(new MemoryStream(File.ReadAllBytes(sketch))));
        Assert.NotNull(ImageLimitExceededException.From(e));
        Assert.Throws<InvalidDataException>(() => _model.EncodePhoto(photo));
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.ImageDecoding = new ImageDecodingOptions { MaxParallelDecodes = 0 });
    }

    [Fact]
    public void Many_threads_sharing_one_model_get_the_codes_of_sequential_calls()
    {
        var random = new Random(7);
        string[] sketches = Enumerable.Range(0, 12).Select(i => Write($"cs{i}.png", ShapeImages.Sketch(ShapeImages.Categories[i % 4], 80, random))).ToArray();
        string[] photos = Enumerable.Range(0, 6).Select(i => Write($"cp{i}.png", ShapeImages.Photo(ShapeImages.Categories[i % 4], 80, random))).ToArray();
        BinaryCode[] sketchCodes = sketches.Select(_model.EncodeSketch).ToArray();
        BinaryCode[] photoCodes = photos.Select(_model.EncodePhoto).ToArray();
        byte[][] sketchBytes = sketches.Select(File.ReadAllBytes).ToArray();

        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int round = 0; round < 6; round++)
            {
                int i = (t * 7 + round) % sketches.Length;
                if (_model.EncodeSketch(new MemoryStream(sketchBytes[i])) != sketchCodes[i])
                {
                    mismatches.Add($"sketch {i} on thread {t}");
                }
                int j = (t + round) % photos.Length;
                if (_model.EncodePhoto(photos[j]) != photoCodes[j])
                {
                    mismatches.Add($"photo {j} on thread {t}");
                }
                if (!_model.EncodeSketches(sketches.Take(3)).SequenceEqual(sketchCodes.Take(3)))
                {
                    mismatches.Add($"batch on thread {t}");
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(mismatches);
        Assert.False(_model.Network.training);
    }

    [Fact]
    public void Encoding_gives_the_same_outputs_while_another_thread_collects_garbage()
    {
        // A server's other requests collect garbage while one request encodes; a tensor or scalar that only the managed
        // stack holds could be finalized during its native call (see Dsh.Native.HeldScalars).
        var random = new Random(11);
        string sketch = Write("gc-sketch.png", ShapeImages.Sketch("circle", 80, random));
        string photo = Write("gc-photo.png", ShapeImages.Photo("square", 80, random));
        float[] sketchOutput = _model.EmbedSketchFiles([sketch]).Embeddings![0];
        float[] photoOutput = _model.EmbedPhotoFiles([photo]).Embeddings![0];
        byte[] sketchBytes = File.ReadAllBytes(sketch);

        int mismatches = 0;
        using (new GarbageCollectingThread())
        {
            for (int i = 0; i < 300; i++)
            {
                mismatches += _model.EmbedSketchFiles([sketch]).Embeddings![0].SequenceEqual(sketchOutput) ? 0 : 1;
                mismatches += _model.EmbedPhotoFiles([photo]).Embeddings![0].SequenceEqual(photoOutput) ? 0 : 1;
                mismatches += _model.EncodeSketch(new MemoryStream(sketchBytes)) == BinaryCodeSet.FromSigns(sketchOutput, _model.CodeLength)[0] ? 0 : 1;
            }
        }
        Assert.Equal(0, mismatches);
    }
}
