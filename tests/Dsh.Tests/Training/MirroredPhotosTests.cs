using Dsh.Imaging;
using Dsh.Model;
using Dsh.Tests.Support;
using Dsh.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Tests.Training;

/// <summary>
/// <see cref="DshArchitecture.MirrorPhotos"/>: a model that mirrors photos gives each photo the mean of the outputs for the
/// photo and for its mirror image, on every path, keeps it in its file, and leaves sketches alone.
/// </summary>
public sealed class MirroredPhotosTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-mirror-photos-").FullName;
    private readonly DshModel _plain = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());
    private readonly DshModel _mirroring;

    public MirroredPhotosTests()
    {
        _plain.TokenExtractor = new InvertingExtractor();
        var network = new DshNetwork(_plain.Architecture with { MirrorPhotos = true });
        network.load_state_dict(_plain.Network.state_dict());
        network.eval();
        _mirroring = new DshModel(network, _plain.Categories, _plain.Summary, _plain.TokenExtractorName) { TokenExtractor = new InvertingExtractor() };
    }

    public void Dispose()
    {
        _plain.Dispose();
        _mirroring.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A photo at the model's photo side (no letterbox leftover) with a one-sided mark, and the same photo mirrored.</summary>
    private (string Photo, string Mirrored) Pair(int seed)
    {
        int side = _plain.Architecture.PhotoInput.Size;
        using Image<Rgb24> image = ShapeImages.Photo(ShapeImages.Categories[seed % ShapeImages.Categories.Length], side, new Random(seed));
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side / 4; x++)
            {
                image[x, y] = new Rgb24(250, 20, 20);
            }
        }
        string photo = Path.Combine(_dir, $"p{seed}.png"), mirrored = Path.Combine(_dir, $"m{seed}.png");
        image.SaveAsPng(photo);
        image.Mutate(x => x.Flip(FlipMode.Horizontal));
        image.SaveAsPng(mirrored);
        return (photo, mirrored);
    }

    [Fact]
    public void A_photo_output_is_the_mean_of_the_photo_and_its_mirror_image()
    {
        var (photo, mirrored) = Pair(1);
        float[] plain = _plain.EmbedPhotoFiles([photo]).Embeddings![0], flipped = _plain.EmbedPhotoFiles([mirrored]).Embeddings![0];
        Assert.NotEqual(plain, flipped); // the pair is a real test: the network tells the two apart

        float[] averaged = _mirroring.EmbedPhotoFiles([photo]).Embeddings![0];

        float scale = plain.Concat(flipped).Max(Math.Abs);
        for (int j = 0; j < plain.Length; j++)
        {
            Assert.True(Math.Abs(averaged[j] - (plain[j] + flipped[j]) / 2) <= 1e-3f * scale, $"output {j}: {averaged[j]} vs {(plain[j] + flipped[j]) / 2}");
        }
    }

    [Fact]
    public void Every_photo_path_mirrors_alike_and_sketches_are_untouched()
    {
        string[] photos = [.. Enumerable.Range(1, 5).Select(i => Pair(i).Photo)];
        string sketch = Path.Combine(_dir, "sketch.png");
        using (Image<Rgb24> image = ShapeImages.Sketch("triangle", 48, new Random(3)))
        {
            image.SaveAsPng(sketch);
        }

        _mirroring.EncodeBatchSize = 2; // several batches, one of them short
        EncodedFiles batched = _mirroring.EmbedPhotoFiles(photos);

        for (int i = 0; i < photos.Length; i++)
        {
            Assert.Equal(_mirroring.EncodePhoto(photos[i]), batched.Codes[i]);
            using FileStream stream = File.OpenRead(photos[i]);
            Assert.Equal(batched.Codes[i], _mirroring.EncodePhoto(stream));
        }
        Assert.NotEqual(_plain.EmbedPhotoFiles(photos).Embeddings![0], batched.Embeddings![0]);
        Assert.Equal(_plain.EmbedSketch(sketch), _mirroring.EmbedSketch(sketch));
    }

    [Fact]
    public void The_model_file_keeps_the_choice_and_files_without_it_read_as_off()
    {
        string path = Path.Combine(_dir, "mirroring.dshm");
        _mirroring.Save(path);
        using (DshModel loaded = DshModel.Load(path))
        {
            Assert.True(loaded.Architecture.MirrorPhotos);
            Assert.Equal(_mirroring.Architecture, loaded.Architecture);
        }
        string plainPath = Path.Combine(_dir, "plain.dshm");
        _plain.Save(plainPath);
        using (DshModel loaded = DshModel.Load(plainPath))
        {
            Assert.False(loaded.Architecture.MirrorPhotos);
        }
        // the property is written only when set, so a model without it is stored as it was before the property existed
        string json = System.Text.Json.JsonSerializer.Serialize(_plain.Architecture, Dsh.Persistence.DshJson.Options);
        Assert.DoesNotContain(nameof(DshArchitecture.MirrorPhotos), json, StringComparison.Ordinal);
        Assert.Contains(nameof(DshArchitecture.MirrorPhotos),
            System.Text.Json.JsonSerializer.Serialize(_mirroring.Architecture, Dsh.Persistence.DshJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_resumes_with_the_choice_changed_and_trains_the_same()
    {
        string dir = Path.Combine(_dir, "checkpoints");
        var data = TrainingFixtures.Data();
        var mirroring = TrainingFixtures.Options(dir, epochs: 2) with { Architecture = TrainingFixtures.TinyArchitecture with { MirrorPhotos = true, MirrorSketches = true } };
        using (TrainingFixtures.Fit(TrainingFixtures.Options(dir, epochs: 1), data))
        {
        }
        var messages = new List<string>();
        using DshModel resumed = TrainingFixtures.Fit(mirroring, data, new SyncProgress<DshProgress>(p => messages.Add(p.Message)));
        using DshModel straight = TrainingFixtures.Fit(mirroring with { CheckpointDirectory = null }, data);

        Assert.Contains(messages, m => m.StartsWith("resumed from", StringComparison.Ordinal));
        Assert.True(resumed.Architecture.MirrorPhotos);
        Assert.True(resumed.MirrorSketches);
        Assert.Equal(straight.Summary.FinalBatchLoss, resumed.Summary.FinalBatchLoss);
        Assert.Equal(TrainingFixtures.Weights(straight), TrainingFixtures.Weights(resumed));
        // any other change of the architecture still refuses to mix two runs
        var other = mirroring with { Architecture = TrainingFixtures.TinyArchitecture with { TokenBatchNorm = TokenBatchNorm.Shared }, Epochs = 3 };
        Assert.Contains("different the architecture", Assert.Throws<InvalidOperationException>(() => TrainingFixtures.Fit(other, data)).Message);
    }

    /// <summary>A token map that is the photo's negative: pixel by pixel, so the map of a mirrored photo is the mirrored map.</summary>
    private sealed class InvertingExtractor : ISketchTokenExtractor
    {
        public string Name => "inverting";

        public RgbImage Extract(RgbImage photo)
        {
            byte[] pixels = photo.Pixels.ToArray();
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)(255 - pixels[i]);
            }
            return new RgbImage(photo.Width, photo.Height, pixels);
        }
    }
}
