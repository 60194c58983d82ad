using System.Globalization;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>
/// An 8-bit RGB picture in plain memory: <see cref="Width"/> × <see cref="Height"/> pixels, row-major, three bytes a
/// pixel (R, G, B), no padding between rows. Immutable: the constructor copies the bytes it is given. Load one from a file,
/// a stream or encoded bytes with <see cref="Load(string, ImageDecodingOptions)"/>,
/// <see cref="Load(Stream, ImageDecodingOptions)"/> or <see cref="Decode"/>, which apply the limits of
/// <see cref="ImageDecodingOptions"/>. See docs/imaging.md.
/// </summary>
public sealed class RgbImage
{
    /// <summary>
    /// The most pixels an image may have: the pixel bytes (3 a pixel) must fit in one .NET array of at most
    /// 2,147,483,591 bytes (<see cref="Array.MaxLength"/>).
    /// </summary>
    public const long MaxPixels = 0x7FFFFFC7 / 3;

    private readonly byte[] _pixels;

    /// <summary>An image of the given size holding a copy of <paramref name="rgb"/>.</summary>
    /// <param name="width">Pixels a row; at least 1.</param>
    /// <param name="height">Rows; at least 1.</param>
    /// <param name="rgb">The pixels, row-major, R, G, B a pixel: exactly 3 · <paramref name="width"/> · <paramref name="height"/> bytes.</param>
    /// <exception cref="ArgumentException">A side is below 1, the image has more than <see cref="MaxPixels"/> pixels, or
    /// <paramref name="rgb"/> has another length.</exception>
    public RgbImage(int width, int height, ReadOnlyMemory<byte> rgb)
        : this(CheckedCopy(width, height, rgb), width, height)
    {
    }

    /// <summary>An image over <paramref name="pixels"/> (taken, not copied), checked by the caller.</summary>
    private RgbImage(byte[] pixels, int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = pixels;
    }

    /// <summary>Pixels a row (at least 1).</summary>
    public int Width { get; }

    /// <summary>Rows (at least 1).</summary>
    public int Height { get; }

    /// <summary>The pixels, row-major, R, G, B a pixel: 3 · <see cref="Width"/> · <see cref="Height"/> bytes.</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <summary>The colour of one pixel.</summary>
    /// <param name="x">Column, 0 to <see cref="Width"/> − 1.</param>
    /// <param name="y">Row, 0 to <see cref="Height"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pixel is outside the image.</exception>
    public RgbColor GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        int i = 3 * (y * Width + x);
        return new RgbColor(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    /// <summary>
    /// Decodes an image file in any format the library reads (PNG, JPEG, BMP, GIF — first frame —, TGA, TIFF, WebP, PBM)
    /// within the given limits, checked from the header before any pixel is decoded; transparent pixels are composited
    /// over white.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="options">The limits; null for <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a known format, is corrupt, or is over a limit (then wrapping an
    /// <see cref="ImageLimitExceededException"/>); the message names the path.</exception>
    public static RgbImage Load(string path, ImageDecodingOptions? options = null)
    {
        using Image<Rgb24> image = ImageDecoding.Load(path, options);
        return FromImage(image);
    }

    /// <summary>
    /// Decodes an image from a stream, from its position, with the rules of <see cref="Load(string, ImageDecodingOptions)"/>.
    /// A stream that cannot seek is read into memory first, but never past <see cref="ImageDecodingOptions.MaxEncodedBytes"/>.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of the image.</param>
    /// <param name="options">The limits; null for <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <exception cref="InvalidDataException">The content is not a known format, is corrupt, or is over a limit (then wrapping an
    /// <see cref="ImageLimitExceededException"/>).</exception>
    public static RgbImage Load(Stream stream, ImageDecodingOptions? options = null)
    {
        using Image<Rgb24> image = ImageDecoding.Load(stream, options);
        return FromImage(image);
    }

    /// <summary>Decodes an encoded image (the bytes of a PNG, JPEG, … file) with the rules of <see cref="Load(string, ImageDecodingOptions)"/>.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="options">The limits; null for <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <exception cref="InvalidDataException">The content is empty, not a known format, corrupt, or over a limit (then wrapping an
    /// <see cref="ImageLimitExceededException"/>).</exception>
    public static RgbImage Decode(ReadOnlyMemory<byte> encoded, ImageDecodingOptions? options = null)
    {
        using Image<Rgb24> image = DecodeImage(encoded, "the encoded image", options);
        return FromImage(image);
    }

    /// <summary>Writes the image to a PNG file (8-bit RGB), replacing any file there.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void SavePng(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using Image<Rgb24> image = ToImage();
        image.Save(path, PngEncoder);
    }

    /// <summary>The image encoded as a PNG file (8-bit RGB).</summary>
    public byte[] EncodePng()
    {
        using Image<Rgb24> image = ToImage();
        using var stream = new MemoryStream();
        image.Save(stream, PngEncoder);
        return stream.ToArray();
    }

    private static PngEncoder PngEncoder { get; } = new() { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 };

    /// <summary>A copy of <paramref name="image"/>'s pixels.</summary>
    internal static RgbImage FromImage(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckSize(image.Width, image.Height);
        byte[] pixels = new byte[3L * image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return new RgbImage(pixels, image.Width, image.Height);
    }

    /// <summary>A new ImageSharp image of these pixels; the caller disposes it.</summary>
    internal Image<Rgb24> ToImage() => Image.LoadPixelData<Rgb24>(_pixels, Width, Height);

    /// <summary>Decodes encoded bytes within the limits; <paramref name="source"/> names them in error messages.</summary>
    internal static Image<Rgb24> DecodeImage(ReadOnlyMemory<byte> encoded, string source, ImageDecodingOptions? options)
    {
        options = (options ?? ImageDecodingOptions.Default).Validated();
        ImageDecoding.CheckEncodedSize(encoded.Length, source, options);
        if (encoded.IsEmpty)
        {
            throw new InvalidDataException($"{char.ToUpperInvariant(source[0])}{source[1..]} is empty.");
        }
        using MemoryStream stream = MemoryMarshal.TryGetArray(encoded, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(encoded.ToArray(), writable: false);
        return ImageDecoding.Decode(stream, source, options);
    }

    private static byte[] CheckedCopy(int width, int height, ReadOnlyMemory<byte> rgb)
    {
        CheckSize(width, height);
        long expected = 3L * width * height;
        if (rgb.Length != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"A {width}x{height} RGB image needs exactly {expected:N0} bytes (3 a pixel, R, G, B, row-major), but {rgb.Length:N0} were given."),
                nameof(rgb));
        }
        return rgb.ToArray();
    }

    private static void CheckSize(int width, int height)
    {
        if (width < 1 || height < 1)
        {
            throw new ArgumentException($"An image must be at least 1x1 pixels, not {width}x{height}.", width < 1 ? nameof(width) : nameof(height));
        }
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"A {width}x{height} image has {(long)width * height:N0} pixels, more than RgbImage.MaxPixels ({MaxPixels:N0}): its bytes would not fit in one array."),
                nameof(width));
        }
    }
}
