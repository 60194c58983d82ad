using System.Collections.Concurrent;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>
/// Decodes files and streams into <see cref="Image{Rgb24}"/> within <see cref="ImageDecodingOptions"/>: the encoded size
/// and the header's pixel count are checked before any pixel buffer exists, only the first frame is decoded, and the
/// pixels come from an allocator whose single-buffer limit follows the pixel limit. Transparent parts are composited
/// over white. Every failure is an <see cref="InvalidDataException"/> naming the source.
/// </summary>
internal static class ImageDecoding
{
    /// <summary>The formats ImageSharp 2.1 decodes, for messages.</summary>
    public const string Formats = "PNG, JPEG, BMP, GIF, TGA, TIFF, WebP, PBM";

    /// <summary>Bytes a pixel the allocator may hand out in one buffer: 16-bit RGBA frames (8) with room to spare.</summary>
    private const long BufferBytesPerPixel = 16;

    private static readonly ConcurrentDictionary<long, Configuration> Configurations = new();

    public static Image<Rgb24> Load(string path, ImageDecodingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options = (options ?? ImageDecodingOptions.Default).Validated();
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The image file '{path}' does not exist.", path);
        }
        string source = $"the image '{path}'";
        CheckEncodedSize(file.Length, source, options);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return DecodeSeekable(stream, source, options);
    }

    public static Image<Rgb24> Load(Stream stream, ImageDecodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = stream is FileStream file ? $"the image '{file.Name}'" : "the image in the stream";
        return Decode(stream, source, options);
    }

    /// <summary>Decodes the stream from its position; <paramref name="source"/> names it in error messages ("the image 'x.png'").</summary>
    internal static Image<Rgb24> Decode(Stream stream, string source, ImageDecodingOptions? options = null)
    {
        options = (options ?? ImageDecodingOptions.Default).Validated();
        if (stream.CanSeek)
        {
            CheckEncodedSize(stream.Length - stream.Position, source, options);
            return DecodeSeekable(stream, source, options);
        }
        using MemoryStream buffered = ReadBounded(stream, source, options);
        return DecodeSeekable(buffered, source, options);
    }

    /// <summary>The header's size and format, checked against the limits; no pixel is decoded. The stream is left where it was.</summary>
    internal static ImageFileInfo IdentifyFile(Stream stream, string source, ImageDecodingOptions options)
    {
        CheckEncodedSize(stream.Length - stream.Position, source, options);
        (int width, int height, IImageFormat format) = Identify(stream, source, options);
        string extension = "." + (format.FileExtensions.FirstOrDefault() ?? format.Name.ToLowerInvariant());
        return new ImageFileInfo(width, height, format.Name, format.DefaultMimeType, extension);
    }

    /// <summary>The header's size, checked against the limits; no pixel is decoded. The stream is left where it was.</summary>
    internal static (int Width, int Height, IImageFormat Format) Identify(Stream stream, string source, ImageDecodingOptions options)
    {
        long start = stream.Position;
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(ConfigurationFor(options), stream, out format);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Unreadable(e, source);
        }
        finally
        {
            stream.Position = start;
        }
        if (info is null || format is null)
        {
            throw new InvalidDataException($"{Subject(source)} is in no format this library decodes ({Formats}).");
        }
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new InvalidDataException($"{Subject(source)} declares an empty size ({info.Width}x{info.Height}).");
        }
        long pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxPixels)
        {
            throw new ImageLimitExceededException(
                $"{Subject(source)} is {info.Width}x{info.Height} pixels ({Megapixels(pixels)} MP), more than the limit of {Megapixels(options.MaxPixels)} MP (ImageDecodingOptions.MaxPixels).",
                nameof(ImageDecodingOptions.MaxPixels), pixels, options.MaxPixels).AsInvalidData();
        }
        return (info.Width, info.Height, format);
    }

    /// <summary>The stream's bytes from its position, refused as soon as they pass the encoded-size limit.</summary>
    internal static MemoryStream ReadBounded(Stream stream, string source, ImageDecodingOptions options)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            CheckEncodedSize(buffer.Length + read, source, options);
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    internal static void CheckEncodedSize(long bytes, string source, ImageDecodingOptions options)
    {
        if (bytes > options.MaxEncodedBytes)
        {
            throw new ImageLimitExceededException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Subject(source)} is {bytes:N0} bytes or more, more than the limit of {options.MaxEncodedBytes:N0} bytes (ImageDecodingOptions.MaxEncodedBytes)."),
                nameof(ImageDecodingOptions.MaxEncodedBytes), bytes, options.MaxEncodedBytes).AsInvalidData();
        }
    }

    private static Image<Rgb24> DecodeSeekable(Stream stream, string source, ImageDecodingOptions options)
    {
        Image decoded = DecodeNative(stream, source, options);
        if (decoded is Image<Rgb24> { Frames.Count: 1 } ready)
        {
            return ready;
        }
        using (decoded)
        {
            return ToOpaqueRgb(decoded);
        }
    }

    /// <summary>The first frame in the file's own pixel type, after the limits were checked from the header.</summary>
    internal static Image DecodeNative(Stream stream, string source, ImageDecodingOptions options)
    {
        Identify(stream, source, options);
        try
        {
            return Image.Load(ConfigurationFor(options), stream);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Unreadable(e, source);
        }
    }

    /// <summary>
    /// Any decoder failure as one <see cref="InvalidDataException"/>: a crafted file can make a decoder throw almost anything
    /// (format, index, argument, allocation errors), and none of it may escape as a crash.
    /// </summary>
    private static InvalidDataException Unreadable(Exception e, string source) => e switch
    {
        InvalidDataException invalid => invalid,
        UnknownImageFormatException => new InvalidDataException($"{Subject(source)} is in no format this library decodes ({Formats}).", e),
        ImageFormatException => new InvalidDataException($"{Subject(source)} is corrupt: {OneLine(e.Message)}", e),
        InvalidMemoryOperationException or OutOfMemoryException =>
            new InvalidDataException($"{Subject(source)} needs more memory than the decoder may allocate (corrupt or hostile header?): {OneLine(e.Message)}", e),
        NotSupportedException => new InvalidDataException($"{Subject(source)} uses a feature the decoder does not support: {OneLine(e.Message)}", e),
        _ => new InvalidDataException($"{Subject(source)} cannot be decoded ({e.GetType().Name}: {OneLine(e.Message)}).", e),
    };

    /// <summary>
    /// One ImageSharp configuration per pixel limit: GIF and TIFF decoders that stop after the first frame, and an allocator
    /// whose single-buffer limit is the pixel limit times <see cref="BufferBytesPerPixel"/> (a backstop for decoders that
    /// allocate from fields <c>Identify</c> does not report) with a small pool, so a server does not keep peak memory.
    /// </summary>
    private static Configuration ConfigurationFor(ImageDecodingOptions options) =>
        Configurations.GetOrAdd(options.MaxPixels, static maxPixels =>
        {
            Configuration configuration = Configuration.Default.Clone();
            long limitMegabytes = Math.Max(64, (maxPixels * BufferBytesPerPixel + (1 << 20) - 1) >> 20);
            configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = (int)Math.Min(int.MaxValue, limitMegabytes),
                MaximumPoolSizeMegabytes = 64,
            });
            configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
            configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
            return configuration;
        });

    /// <summary>The first frame of <paramref name="image"/> as a new opaque RGB image, transparent parts over white.</summary>
    private static Image<Rgb24> ToOpaqueRgb(Image image)
    {
        if (image is Image<Rgb24> rgb)
        {
            return rgb.Frames.CloneFrame(0);
        }
        using Image<Rgba32> rgba = image.Frames.Count == 1 ? image.CloneAs<Rgba32>() : FirstFrame(image);
        rgba.Mutate(x => x.BackgroundColor(Color.White));
        return rgba.CloneAs<Rgb24>();
    }

    private static Image<Rgba32> FirstFrame(Image image)
    {
        using Image<Rgba32> all = image.CloneAs<Rgba32>();
        return all.Frames.CloneFrame(0);
    }

    private static string Megapixels(long pixels) => (pixels / 1e6).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>The source as the subject of a sentence: "the image 'x.png'" becomes "The image 'x.png'".</summary>
    private static string Subject(string source) => source.Length == 0 ? source : char.ToUpperInvariant(source[0]) + source[1..];
}
