using System.Numerics;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp;

namespace Dsh.Imaging.Augmentation;

/// <summary>
/// Seeded training-time augmentation (see <see cref="AugmentationOptions"/>). Every method returns new images of the
/// input's size and draws a fixed count of numbers from the <see cref="Random"/> it is given (photos 5, sketches 5),
/// whatever the options, so one seed gives one output. The instance holds no state and is thread-safe; a
/// <see cref="Random"/> is not, so give each thread its own.
/// </summary>
internal sealed class ImageAugmenter
{
    /// <summary>An augmenter with the given settings (validated).</summary>
    /// <param name="options">The transforms and their ranges.</param>
    public ImageAugmenter(AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated();
    }

    /// <summary>The settings in use.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>A randomly cropped (and scaled back) and possibly flipped copy of <paramref name="photo"/>.</summary>
    /// <param name="photo">The photo; not modified.</param>
    /// <param name="random">The source of randomness.</param>
    public Image<Rgb24> AugmentPhoto(Image<Rgb24> photo, Random random)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(random);
        (PhotoCrop crop, bool flip) = DrawPhoto(random);
        return ApplyPhoto(photo, crop, flip);
    }

    /// <summary>
    /// A photo and its sketch-token map under the same crop and flip (the crop is placed at the same fraction of each
    /// image, so maps of another size stay aligned).
    /// </summary>
    /// <param name="photo">The photo; not modified.</param>
    /// <param name="token">Its sketch-token map; not modified.</param>
    /// <param name="random">The source of randomness.</param>
    public (Image<Rgb24> Photo, Image<Rgb24> Token) AugmentPhotoWithToken(Image<Rgb24> photo, Image<Rgb24> token, Random random)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(random);
        (PhotoCrop crop, bool flip) = DrawPhoto(random);
        Image<Rgb24> outPhoto = ApplyPhoto(photo, crop, flip);
        try
        {
            return (outPhoto, ApplyPhoto(token, crop, flip));
        }
        catch
        {
            outPhoto.Dispose();
            throw;
        }
    }

    /// <summary>A possibly flipped, rotated, scaled and shifted copy of <paramref name="sketch"/>, uncovered parts filled with the paper colour.</summary>
    /// <param name="sketch">The sketch; not modified.</param>
    /// <param name="random">The source of randomness.</param>
    public Image<Rgb24> AugmentSketch(Image<Rgb24> sketch, Random random)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ArgumentNullException.ThrowIfNull(random);
        AugmentationOptions o = Options;
        bool flip = random.NextDouble() < o.SketchFlipProbability;
        double degrees = (2 * random.NextDouble() - 1) * o.SketchMaxRotationDegrees;
        double scale = o.SketchMinScale + (o.SketchMaxScale - o.SketchMinScale) * random.NextDouble();
        double tx = (2 * random.NextDouble() - 1) * o.SketchMaxTranslation * sketch.Width;
        double ty = (2 * random.NextDouble() - 1) * o.SketchMaxTranslation * sketch.Height;

        Image<Rgb24> result = sketch.Clone();
        if (flip)
        {
            result.Mutate(x => x.Flip(FlipMode.Horizontal));
        }
        if (degrees == 0 && scale == 1 && tx == 0 && ty == 0)
        {
            return result;
        }
        using (result)
        {
            return Affine(result, degrees, scale, tx, ty, o.SketchFillColor.ToRgb24());
        }
    }

    private (PhotoCrop Crop, bool Flip) DrawPhoto(Random random)
    {
        PhotoCrop crop = PhotoCrop.Draw(Options, random);
        bool flip = random.NextDouble() < Options.PhotoFlipProbability;
        return (crop, flip);
    }

    private static Image<Rgb24> ApplyPhoto(Image<Rgb24> image, PhotoCrop crop, bool flip)
    {
        Rectangle area = crop.In(image.Size());
        bool whole = area.Width == image.Width && area.Height == image.Height;
        return image.Clone(x =>
        {
            if (!whole)
            {
                x.Crop(area).Resize(image.Width, image.Height, KnownResamplers.Bicubic);
            }
            if (flip)
            {
                x.Flip(FlipMode.Horizontal);
            }
        });
    }

    /// <summary>Rotation and scale about the centre, then a shift; bicubic; uncovered pixels get <paramref name="fill"/>.</summary>
    private static Image<Rgb24> Affine(Image<Rgb24> image, double degrees, double scale, double tx, double ty, Rgb24 fill)
    {
        var centre = new Vector2(image.Width / 2f, image.Height / 2f);
        Matrix3x2 transform = Matrix3x2.CreateTranslation(-centre)
            * Matrix3x2.CreateScale((float)scale)
            * Matrix3x2.CreateRotation((float)(degrees * Math.PI / 180))
            * Matrix3x2.CreateTranslation(centre + new Vector2((float)tx, (float)ty));
        // Transformed in RGBA so that uncovered pixels are transparent, then composited over the fill colour.
        using Image<Rgba32> rgba = image.CloneAs<Rgba32>();
        rgba.Mutate(x => x
            .Transform(new Rectangle(0, 0, image.Width, image.Height), transform, image.Size(), KnownResamplers.Bicubic)
            .BackgroundColor(Color.FromRgb(fill.R, fill.G, fill.B)));
        return rgba.CloneAs<Rgb24>();
    }
}
