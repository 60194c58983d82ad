using System.Numerics.Tensors;
using Dsh.Imaging.Contours;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp;

namespace Dsh.Imaging.Contours;

/// <summary>
/// The built-in sketch-token extractor, a Canny-style contour detector tuned to look like a drawing: multi-scale
/// Gaussian + Sobel gradient magnitude, non-maximum suppression along the gradient, hysteresis with thresholds taken
/// from the photo's own gradient distribution, speck removal, 1 px thickening and a faded border. It stands in for the
/// learned Sketch Tokens of Lim, Zitnick and Dollár (CVPR 2013) that the paper used. Stateless and thread-safe.
/// </summary>
public sealed class ContourTokenExtractor : ISketchTokenExtractor, IImageTokenExtractor
{
    /// <summary>Bumped whenever the algorithm changes its output, so cached maps of an older version are not reused.</summary>
    private const string Version = "contour-v1";

    /// <summary>An extractor with <see cref="ContourTokenOptions.Default"/>.</summary>
    public ContourTokenExtractor()
        : this(ContourTokenOptions.Default)
    {
    }

    /// <summary>An extractor with the given settings (validated; the σ list is copied).</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public ContourTokenExtractor(ContourTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated() with { Scales = options.Scales.ToArray() };
        Name = $"{Version}({Options.Describe()})";
    }

    /// <summary>The settings in use.</summary>
    public ContourTokenOptions Options { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public RgbImage Extract(RgbImage photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        using Image<Rgb24> image = photo.ToImage();
        using Image<Rgb24> map = ExtractImage(image);
        return RgbImage.FromImage(map);
    }

    /// <inheritdoc/>
    Image<Rgb24> IImageTokenExtractor.ExtractImage(Image<Rgb24> photo) => ExtractImage(photo);

    /// <summary>The map of <paramref name="photo"/> as a new image of its size; the caller disposes it.</summary>
    internal Image<Rgb24> ExtractImage(Image<Rgb24> photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        int longer = Math.Max(photo.Width, photo.Height);
        if (longer <= Options.MaxWorkingSide)
        {
            return ExtractAtSize(photo);
        }
        (int width, int height) = TensorWriter.FittedSize(photo.Width, photo.Height, Options.MaxWorkingSide);
        using Image<Rgb24> small = photo.Clone(x => x.Resize(width, height, KnownResamplers.Bicubic));
        Image<Rgb24> map = ExtractAtSize(small);
        map.Mutate(x => x.Resize(photo.Width, photo.Height, KnownResamplers.Bicubic));
        return map;
    }

    private Image<Rgb24> ExtractAtSize(Image<Rgb24> photo)
    {
        var luma = new Plane(photo.Width, photo.Height, GreyImages.LumaPlane(photo));
        Plane strokes = ContourPipeline.Strokes(luma, Options);
        // Ink is black: 255 · (1 − stroke).
        float[] values = strokes.Data;
        TensorPrimitives.Multiply(values, -255f, values);
        TensorPrimitives.Add(values, 255f, values);
        var bytes = new byte[values.Length];
        TensorPrimitives.ConvertSaturating<float, byte>(values, bytes);
        return GreyImages.FromLuma(bytes, photo.Width, photo.Height);
    }
}
