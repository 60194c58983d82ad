using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Tests.Training;

/// <summary><see cref="DshModel.MirrorSketches"/>: a sketch's output is the average of its own and its mirror image's, on every path.</summary>
public sealed class MirroredSketchesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-mirror-").FullName;
    private readonly DshModel _model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());

    public MirroredSketchesTests() => _model.TokenExtractor = new ContourTokenExtractor();

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An asymmetric sketch at the model's input side (no letterbox leftover), and the same sketch mirrored.</summary>
    private (string Sketch, string Mirrored) Pair(int seed)
    {
        int side = _model.Architecture.SketchInput.Size;
        using Image<Rgb24> image = ShapeImages.Sketch("triangle", side, new Random(seed));
        for (int y = 2; y < side / 2; y++) // an unmistakably one-sided stroke
        {
            for (int x = y / 3; x < y / 3 + 3; x++)
            {
                image[x, y] = new Rgb24(0, 0, 0);
            }
        }
        string sketch = Path.Combine(_dir, $"s{seed}.png"), mirrored = Path.Combine(_dir, $"m{seed}.png");
        image.SaveAsPng(sketch);
        image.Mutate(x => x.Flip(FlipMode.Horizontal));
        image.SaveAsPng(mirrored);
        return (sketch, mirrored);
    }

    [Fact]
    public void A_mirrored_sketch_output_is_the_mean_of_the_sketch_and_its_mirror_image()
    {
        var (sketch, mirrored) = Pair(1);
        float[] plain = _model.EmbedSketch(sketch), flipped = _model.EmbedSketch(mirrored);
        Assert.NotEqual(plain, flipped); // the pair is a real test: the network tells the two apart

        _model.MirrorSketches = true;
        float[] averaged = _model.EmbedSketch(sketch);

        float scale = plain.Concat(flipped).Max(Math.Abs);
        for (int j = 0; j < plain.Length; j++)
        {
            Assert.True(Math.Abs(averaged[j] - (plain[j] + flipped[j]) / 2) <= 1e-3f * scale, $"output {j}: {averaged[j]} vs {(plain[j] + flipped[j]) / 2}");
        }
    }

    [Fact]
    public void Every_sketch_path_mirrors_alike_and_photos_are_not_mirrored()
    {
        var pairs = Enumerable.Range(1, 5).Select(Pair).ToArray();
        string[] sketches = [.. pairs.Select(p => p.Sketch)];
        string photo = Path.Combine(_dir, "photo.png");
        using (Image<Rgb24> image = ShapeImages.Photo("square", 48, new Random(3)))
        {
            image.SaveAsPng(photo);
        }
        var photoCode = _model.EncodePhoto(photo);
        float[] plainFirst = _model.EmbedSketch(sketches[0]);

        _model.MirrorSketches = true;
        _model.EncodeBatchSize = 2; // several batches, one of them short
        EncodedFiles batched = _model.EmbedSketchFiles(sketches);
        float[] single = _model.EmbedSketch(sketches[0]);
        float[] fromStream;
        using (FileStream stream = File.OpenRead(sketches[0]))
        {
            fromStream = _model.EmbedSketch(stream);
        }

        Assert.Equal(single, fromStream);
        Assert.NotEqual(plainFirst, single);
        for (int i = 0; i < sketches.Length; i++)
        {
            float[] one = _model.EmbedSketch(sketches[i]);
            Assert.Equal(one.Length, batched.Embeddings![i].Length);
            for (int j = 0; j < one.Length; j++)
            {
                Assert.Equal(one[j], batched.Embeddings[i][j], 1e-4f);
            }
            Assert.Equal(_model.EncodeSketch(sketches[i]), batched.Codes[i]);
        }
        Assert.Equal(photoCode, _model.EncodePhoto(photo));
    }

    [Fact]
    public void A_model_starts_mirroring_sketches_as_its_architecture_says_and_its_file_keeps_that()
    {
        Assert.False(_model.MirrorSketches); // the fixture's architecture does not ask for it
        var network = new DshNetwork(_model.Architecture with { MirrorSketches = true });
        network.load_state_dict(_model.Network.state_dict());
        using var mirroring = new DshModel(network, _model.Categories, _model.Summary, _model.TokenExtractorName);
        Assert.True(mirroring.MirrorSketches);
        var (sketch, _) = Pair(4);
        float[] byDefault = mirroring.EmbedSketch(sketch);
        _model.MirrorSketches = true;
        Assert.Equal(_model.EmbedSketch(sketch), byDefault);

        string path = Path.Combine(_dir, "mirroring.dshm");
        mirroring.Save(path);
        using (DshModel loaded = DshModel.Load(path))
        {
            Assert.True(loaded.Architecture.MirrorSketches);
            Assert.True(loaded.MirrorSketches);
            loaded.MirrorSketches = false; // each query may still choose
            Assert.NotEqual(byDefault, loaded.EmbedSketch(sketch));
        }
        // written only when set, so a model without it is stored as it was before the property existed
        Assert.DoesNotContain(nameof(DshArchitecture.MirrorSketches),
            System.Text.Json.JsonSerializer.Serialize(_model.Architecture, Dsh.Persistence.DshJson.Options), StringComparison.Ordinal);
        Assert.True(DshArchitecture.ResNet18(64).MirrorSketches);
    }

    [Fact]
    public void Mirrored_copies_reverse_every_line_of_every_plane()
    {
        DshArchitecture architecture = TrainingFixtures.TinyArchitecture;
        var batch = new ImageBatchInputs(architecture, photos: false, 3);
        var random = new Random(2);
        for (int row = 0; row < 3; row++)
        {
            using Image<Rgb24> image = ShapeImages.Sketch(ShapeImages.Categories[row], 40, random);
            batch.Write(row, image, extractor: null);
        }
        int side = architecture.SketchInput.Size, per = 3 * side * side;

        ImageBatchInputs both = batch.WithMirroredCopies([2, 0]);

        var (source, _) = batch.ToArrays([0, 1, 2]);
        var (copies, _) = both.ToArrays([0, 1, 2, 3]);
        int[] order = [2, 0];
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(source.AsSpan(order[i] * per, per).ToArray(), copies.AsSpan(i * per, per).ToArray());
            AssertMirrored(source.AsSpan(order[i] * per, per), copies.AsSpan((2 + i) * per, per), side);
        }
    }

    /// <summary>Every line of every plane of <paramref name="mirror"/> is that line of <paramref name="image"/> reversed.</summary>
    private static void AssertMirrored(ReadOnlySpan<float> image, ReadOnlySpan<float> mirror, int side)
    {
        for (int line = 0; line < 3 * side; line++)
        {
            float[] expected = image.Slice(line * side, side).ToArray();
            Array.Reverse(expected);
            Assert.Equal(expected, mirror.Slice(line * side, side).ToArray());
        }
    }

    [Fact]
    public void Mirrored_photo_copies_mirror_the_photo_and_its_token_map()
    {
        DshArchitecture architecture = TrainingFixtures.TinyArchitecture;
        var batch = new ImageBatchInputs(architecture, photos: true, 2);
        var random = new Random(4);
        for (int row = 0; row < 2; row++)
        {
            using Image<Rgb24> image = ShapeImages.Photo(ShapeImages.Categories[row], 40, random);
            batch.Write(row, image, new ContourTokenExtractor());
        }

        ImageBatchInputs both = batch.WithMirroredCopies([1]);

        var (photos, tokens) = batch.ToArrays([1]);
        var (photoCopies, tokenCopies) = both.ToArrays([0, 1]);
        foreach (var (source, copies, side) in new[] { (photos, photoCopies, batch.FirstSize), (tokens!, tokenCopies!, batch.SecondSize) })
        {
            int per = 3 * side * side;
            Assert.Equal(source, copies.AsSpan(0, per).ToArray());
            AssertMirrored(source, copies.AsSpan(per, per), side);
        }
    }
}
