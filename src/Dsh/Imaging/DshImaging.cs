using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Dsh.Imaging;

/// <summary>
/// Pixels to network inputs: decoding, sketch clean-up, aspect-preserving letterboxing and normalisation into CHW
/// float tensors. See docs/imaging.md.
/// </summary>
public static class DshImaging
{
    /// <summary>
    /// Padding for sketches and sketch-tokens: white, the paper colour (+1 after <see cref="ImageNormalization.Sketch"/>).
    /// </summary>
    public static RgbColor SketchPadColor { get; } = RgbColor.White;

    /// <summary>
    /// Padding for photos: the ImageNet mean colour (124, 116, 104), i.e. round(255 · mean), so padded pixels become
    /// ≈ 0 (within 0.01) after <see cref="ImageNormalization.Photo"/> and carry no signal.
    /// </summary>
    public static RgbColor PhotoPadColor { get; } = new(124, 116, 104);

    /// <summary>Decodes an image file within <see cref="ImageDecodingOptions.Default"/>; the caller disposes the result.</summary>
    internal static Image<Rgb24> Load(string path) => ImageDecoding.Load(path);

    /// <summary>Decodes an image file within the given limits; the caller disposes the result.</summary>
    internal static Image<Rgb24> Load(string path, ImageDecodingOptions? options) => ImageDecoding.Load(path, options);

    /// <summary>Decodes an image from a stream within <see cref="ImageDecodingOptions.Default"/>; the caller disposes the result.</summary>
    internal static Image<Rgb24> Load(Stream stream) => ImageDecoding.Load(stream);

    /// <summary>Decodes an image from a stream within the given limits; the caller disposes the result.</summary>
    internal static Image<Rgb24> Load(Stream stream, ImageDecodingOptions? options) => ImageDecoding.Load(stream, options);

    /// <summary>
    /// Reads an image's header from <paramref name="stream"/> (from its position, which is restored) and checks it against
    /// the limits, without decoding a pixel: the format, its media type and extension, and the first frame's size.
    /// </summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="options">The limits; null for <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    /// <exception cref="InvalidDataException">Not a known format, a broken header, or over a limit (then wrapping an
    /// <see cref="ImageLimitExceededException"/>).</exception>
    public static ImageFileInfo Identify(Stream stream, ImageDecodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be able to seek.", nameof(stream));
        }
        return ImageDecoding.IdentifyFile(stream, "the image in the stream", (options ?? ImageDecodingOptions.Default).Validated());
    }

    /// <summary>
    /// A new image of <paramref name="sketch"/> as grey (BT.709 luma) black strokes on white, R = G = B: a drawing on
    /// dark paper is inverted (see <see cref="SketchPreparation.Invert"/>), and an optional threshold binarises it.
    /// </summary>
    /// <param name="sketch">The drawing.</param>
    /// <param name="options">Inversion and threshold; <c>null</c> for <see cref="SketchPreparation.Default"/>.</param>
    public static RgbImage PrepareSketch(RgbImage sketch, SketchPreparation? options = null)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        using Image<Rgb24> image = sketch.ToImage();
        using Image<Rgb24> prepared = SketchPreparer.Prepare(image, options);
        return RgbImage.FromImage(prepared);
    }

    /// <summary>
    /// Writes <paramref name="image"/> as normalised CHW floats (R plane, G plane, B plane) of
    /// <see cref="ImageInputSpec.Size"/>²: scaled (bicubic) so its longer side is that size, centred (an odd leftover
    /// goes to the right/bottom), the rest filled with <see cref="ImageInputSpec.PadColor"/>, every pixel normalised by
    /// <see cref="ImageInputSpec.Normalization"/>.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="input">Size, padding and normalisation (a model's <c>Architecture.SketchInput</c> or <c>PhotoInput</c>).</param>
    /// <param name="destination">Exactly <see cref="ImageInputSpec.FloatsPerImage"/> floats.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
    public static void WriteTensor(RgbImage image, ImageInputSpec input, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        using Image<Rgb24> pixels = image.ToImage();
        TensorWriter.Write(pixels, input, destination);
    }

    /// <summary>A float32 tensor [N, 3, size, size] of the images, each written as by <see cref="WriteTensor(RgbImage, ImageInputSpec, Span{float})"/>.</summary>
    /// <param name="images">At least one image.</param>
    /// <param name="input">Size, padding and normalisation (a model's <c>Architecture.SketchInput</c> or <c>PhotoInput</c>).</param>
    /// <exception cref="ArgumentException">The list is empty or holds a null image.</exception>
    public static Tensor ToTensor(IReadOnlyList<RgbImage> images, ImageInputSpec input) =>
        TensorWriter.ToTensor(images, input);

    /// <summary>The prepared sketch as a new image (see <see cref="PrepareSketch(RgbImage, SketchPreparation?)"/>); the caller disposes it.</summary>
    internal static Image<Rgb24> PrepareSketch(Image<Rgb24> sketch, SketchPreparation? options = null) =>
        SketchPreparer.Prepare(sketch, options);

    /// <summary>See <see cref="WriteTensor(RgbImage, ImageInputSpec, Span{float})"/>.</summary>
    internal static void WriteTensor(Image<Rgb24> image, ImageInputSpec input, Span<float> destination) =>
        TensorWriter.Write(image, input, destination);

    /// <summary>See <see cref="ToTensor(IReadOnlyList{RgbImage}, ImageInputSpec)"/>.</summary>
    internal static Tensor ToTensor(IReadOnlyList<Image<Rgb24>> images, ImageInputSpec input) =>
        TensorWriter.ToTensor(images, input);
}
