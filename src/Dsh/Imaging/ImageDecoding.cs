using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh;

/// <summary>Decodes files and streams into <see cref="Image{Rgb24}"/>: first frame, alpha composited over white.</summary>
internal static class ImageDecoding
{
    public static Image<Rgb24> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The image file '{path}' does not exist.", path);
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Decode(stream, $"'{path}'");
    }

    public static Image<Rgb24> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = stream is FileStream file ? $"'{file.Name}'" : "the stream";
        return Decode(stream, source);
    }

    /// <summary>Decodes the stream; <paramref name="source"/> names it in error messages (e.g. a quoted path).</summary>
    internal static Image<Rgb24> Decode(Stream stream, string source)
    {
        Image decoded;
        try
        {
            decoded = Image.Load(stream);
        }
        catch (UnknownImageFormatException e)
        {
            throw new InvalidDataException($"The image {source} is in no format this library decodes (PNG, JPEG, BMP, GIF, TGA, TIFF, WebP, PBM).", e);
        }
        catch (ImageFormatException e)
        {
            throw new InvalidDataException($"The image {source} is corrupt: {e.Message}", e);
        }
        catch (InvalidMemoryOperationException e)
        {
            throw new InvalidDataException($"The image {source} declares a size that cannot be allocated (corrupt header?): {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"The image {source} uses a feature the decoder does not support: {e.Message}", e);
        }

        if (decoded is Image<Rgb24> { Frames.Count: 1 } ready)
        {
            return ready;
        }
        using (decoded)
        {
            return ToOpaqueRgb(decoded);
        }
    }

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
}
