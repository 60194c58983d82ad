using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>Sketch-token extraction on ImageSharp images, the form the encoders and the trainer work on.</summary>
internal static class TokenExtraction
{
    /// <summary>
    /// The map of <paramref name="photo"/> as a new image (the caller disposes it): an <see cref="IImageTokenExtractor"/> (the
    /// built-in one) works on the image directly, any other extractor through an <see cref="RgbImage"/> copy. A map of another size than the photo is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The extractor returned no map, or one of another size.</exception>
    public static Image<Rgb24> ExtractImage(this ISketchTokenExtractor extractor, Image<Rgb24> photo)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(photo);
        if (extractor is IImageTokenExtractor direct)
        {
            return direct.ExtractImage(photo);
        }
        RgbImage map = extractor.Extract(RgbImage.FromImage(photo))
            ?? throw new InvalidOperationException($"The extractor '{extractor.Name}' returned no map.");
        if (map.Width != photo.Width || map.Height != photo.Height)
        {
            throw new InvalidOperationException(
                $"The extractor '{extractor.Name}' returned a {map.Width}×{map.Height} map for a {photo.Width}×{photo.Height} photo; maps must have the photo's size.");
        }
        return map.ToImage();
    }
}
