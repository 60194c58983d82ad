using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>An extractor that also works on ImageSharp images directly, skipping the <see cref="RgbImage"/> copies.</summary>
internal interface IImageTokenExtractor
{
    /// <summary>The map of <paramref name="photo"/> as a new image of its size; the caller disposes it.</summary>
    Image<Rgb24> ExtractImage(Image<Rgb24> photo);
}
