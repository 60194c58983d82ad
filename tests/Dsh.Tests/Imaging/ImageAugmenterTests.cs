using Dsh.Imaging.Augmentation;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static Dsh.Tests.Imaging.TestImages;

namespace Dsh.Tests.Imaging;

public class ImageAugmenterTests
{
    private static Image<Rgb24> Photo() => DiscPhoto(48, 20, 26, 12, seed: 4);

    /// <summary>A black-on-white drawing: an off-centre L.</summary>
    private static Image<Rgb24> Sketch() => FromFunction(40, 40, (x, y) => (x == 12 && y is > 5 and < 30) || (y == 29 && x is > 11 and < 30) ? Grey(0) : Grey(255));

    private static Image<Rgb24> Mirror(Image<Rgb24> image) =>
        FromFunction(image.Width, image.Height, (x, y) => image[image.Width - 1 - x, y]);

    [Fact]
    public void None_ReturnsUnchangedCopies()
    {
        var augmenter = new ImageAugmenter(AugmentationOptions.None);
        using Image<Rgb24> photo = Photo(), sketch = Sketch();
        var random = new Random(1);
        using Image<Rgb24> p = augmenter.AugmentPhoto(photo, random);
        using Image<Rgb24> s = augmenter.AugmentSketch(sketch, random);
        (Image<Rgb24> p2, Image<Rgb24> t2) = augmenter.AugmentPhotoWithToken(photo, sketch, random);
        using (p2)
        using (t2)
        {
            Assert.NotSame(photo, p);
            Assert.NotSame(sketch, s);
            Assert.Equal(Pixels(photo), Pixels(p));
            Assert.Equal(Pixels(sketch), Pixels(s));
            Assert.Equal(Pixels(photo), Pixels(p2));
            Assert.Equal(Pixels(sketch), Pixels(t2));
        }
    }

    [Fact]
    public void SameSeed_SameOutput_OtherSeeds_OtherOutputs()
    {
        var augmenter = new ImageAugmenter(AugmentationOptions.Default);
        using Image<Rgb24> photo = Photo(), sketch = Sketch();
        Rgb24[] Run(int seed, bool isPhoto)
        {
            using Image<Rgb24> result = isPhoto ? augmenter.AugmentPhoto(photo, new Random(seed)) : augmenter.AugmentSketch(sketch, new Random(seed));
            Assert.Equal((isPhoto ? 48 : 40, isPhoto ? 48 : 40), (result.Width, result.Height));
            return Pixels(result);
        }
        foreach (bool isPhoto in new[] { true, false })
        {
            Assert.Equal(Run(7, isPhoto), Run(7, isPhoto));
            Assert.Contains(Enumerable.Range(8, 4), seed => !Run(seed, isPhoto).SequenceEqual(Run(7, isPhoto)));
        }
        Assert.Equal(Pixels(photo), Pixels(Photo()));   // inputs untouched
    }

    [Fact]
    public void Flip_IsAnExactMirror()
    {
        var flipOnly = new ImageAugmenter(AugmentationOptions.None with { PhotoFlipProbability = 1, SketchFlipProbability = 1 });
        using Image<Rgb24> photo = Photo(), sketch = Sketch();
        using Image<Rgb24> p = flipOnly.AugmentPhoto(photo, new Random(1));
        using Image<Rgb24> s = flipOnly.AugmentSketch(sketch, new Random(1));
        using Image<Rgb24> mp = Mirror(photo), ms = Mirror(sketch);
        Assert.Equal(Pixels(mp), Pixels(p));
        Assert.Equal(Pixels(ms), Pixels(s));
    }

    [Fact]
    public void PhotoAndToken_ShareTheGeometry()
    {
        var augmenter = new ImageAugmenter(AugmentationOptions.Default);
        using Image<Rgb24> photo = Photo();
        using Image<Rgb24> token = new ContourTokenExtractor().ExtractImage(photo);
        for (int seed = 0; seed < 6; seed++)
        {
            // A "token" that is the photo itself must come out identical to the photo.
            (Image<Rgb24> p, Image<Rgb24> t) = augmenter.AugmentPhotoWithToken(photo, photo, new Random(seed));
            using (p)
            using (t)
            {
                Assert.Equal(Pixels(p), Pixels(t));
            }
            // And the pair equals augmenting each alone with the same seed.
            (Image<Rgb24> p2, Image<Rgb24> t2) = augmenter.AugmentPhotoWithToken(photo, token, new Random(seed));
            using Image<Rgb24> alone = augmenter.AugmentPhoto(photo, new Random(seed));
            using (p2)
            using (t2)
            {
                Assert.Equal(Pixels(alone), Pixels(p2));
                Assert.Equal((48, 48), (t2.Width, t2.Height));
            }
        }
    }

    [Fact]
    public void PhotoCrops_KeepAtLeastTheMinimumArea_AndStayInside()
    {
        var random = new Random(3);
        var sizes = new[] { new Size(227, 227), new Size(300, 120), new Size(50, 400), new Size(1, 1) };
        double smallest = 1;
        for (int i = 0; i < 2000; i++)
        {
            PhotoCrop crop = PhotoCrop.Draw(AugmentationOptions.Default, random);
            Assert.InRange(crop.Width * crop.Height, 0.85 - 1e-12, 1);
            smallest = Math.Min(smallest, crop.Width * crop.Height);
            foreach (Size size in sizes)
            {
                Rectangle r = crop.In(size);
                Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= size.Width && r.Bottom <= size.Height, $"{r} outside {size}");
                Assert.True(r.Width * (double)r.Height >= 0.85 * size.Width * size.Height - 1e-9, $"{r} of {size} is too small");
            }
        }
        Assert.InRange(smallest, 0.85, 0.86);   // the lower end is reached
    }

    [Fact]
    public void SketchAffine_FillsUncoveredAreaWithPaper()
    {
        // Shrink an all-ink image to half: a white frame appears around a black centre.
        var shrink = new ImageAugmenter(AugmentationOptions.None with { SketchMinScale = 0.5, SketchMaxScale = 0.5 });
        using Image<Rgb24> ink = Solid(40, 40, Grey(0));
        using Image<Rgb24> small = shrink.AugmentSketch(ink, new Random(1));
        Assert.Equal(Grey(255), small[2, 2]);
        Assert.Equal(Grey(255), small[37, 20]);
        Assert.Equal(Grey(0), small[20, 20]);

        // The defaults rotate by up to 10°: some corner of an all-ink image is uncovered for most seeds.
        var augmenter = new ImageAugmenter(AugmentationOptions.Default);
        int uncovered = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            using Image<Rgb24> moved = augmenter.AugmentSketch(ink, new Random(seed));
            Rgb24[] px = Pixels(moved);
            Assert.All(px, p => Assert.True(p.R == p.G && p.G == p.B));
            uncovered += px.Any(p => p.R > 200) ? 1 : 0;
        }
        Assert.True(uncovered >= 8, $"only {uncovered} of 10 transforms uncovered any paper");
    }

    [Fact]
    public void Options_AreValidated()
    {
        AugmentationOptions d = AugmentationOptions.Default;
        Assert.Contains("PhotoCropMinArea", Assert.Throws<ArgumentException>(() => new ImageAugmenter(d with { PhotoCropMinArea = 0 })).Message);
        Assert.Contains("PhotoCropMaxAspectChange", Assert.Throws<ArgumentException>(() => (d with { PhotoCropMaxAspectChange = 0.5 }).Validated()).Message);
        Assert.Contains("PhotoFlipProbability", Assert.Throws<ArgumentException>(() => (d with { PhotoFlipProbability = 1.5 }).Validated()).Message);
        Assert.Contains("SketchFlipProbability", Assert.Throws<ArgumentException>(() => (d with { SketchFlipProbability = double.NaN }).Validated()).Message);
        Assert.Contains("SketchMaxRotationDegrees", Assert.Throws<ArgumentException>(() => (d with { SketchMaxRotationDegrees = -1 }).Validated()).Message);
        Assert.Contains("SketchMinScale", Assert.Throws<ArgumentException>(() => (d with { SketchMinScale = 1.2 }).Validated()).Message);
        Assert.Contains("SketchMaxTranslation", Assert.Throws<ArgumentException>(() => (d with { SketchMaxTranslation = 0.6 }).Validated()).Message);
        Assert.Equal((0.85, 0.5, 0.5, 10.0, 0.9, 1.1, 0.05), (d.PhotoCropMinArea, d.PhotoFlipProbability, d.SketchFlipProbability,
            d.SketchMaxRotationDegrees, d.SketchMinScale, d.SketchMaxScale, d.SketchMaxTranslation));
        Assert.Equal(RgbColor.White, d.SketchFillColor);
    }
}
