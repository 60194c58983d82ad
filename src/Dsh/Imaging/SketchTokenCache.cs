using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Dsh.Hashing.Persistence;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>
/// Sketch-token maps cached on disk, keyed by the photo's content and the extractor's name:
/// <c>&lt;directory&gt;/&lt;xxh128(extractor name)&gt;/f&lt;xxh128(file bytes)&gt;.png</c> for files and
/// <c>…/p&lt;xxh128(width, height, pixels)&gt;.png</c> for in-memory photos, 8-bit grey PNG, each written atomically
/// (temporary file + rename). A cached file that cannot be decoded or has the wrong size is recomputed and replaced.
/// Safe for concurrent callers, in one process or several: two callers may compute the same map, and the last rename wins.
/// </summary>
internal sealed class SketchTokenCache
{
    private static readonly PngEncoder Encoder = new() { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 };

    /// <summary>A cache of <paramref name="extractor"/>'s maps under <paramref name="directory"/> (created if missing).</summary>
    /// <param name="directory">The cache's root folder; several extractors can share it.</param>
    /// <param name="extractor">Computes the maps on a miss; its <see cref="ISketchTokenExtractor.Name"/> is part of every key.</param>
    /// <param name="decoding">The limits photo files are read within; null for <see cref="ImageDecodingOptions.Default"/>.</param>
    public SketchTokenCache(string directory, ISketchTokenExtractor extractor, ImageDecodingOptions? decoding = null)
    {
        Decoding = (decoding ?? ImageDecodingOptions.Default).Validated();
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(extractor);
        string name = extractor.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("The extractor's Name is empty; it must identify the algorithm and its settings.", nameof(extractor));
        }
        Extractor = extractor;
        Directory = Path.GetFullPath(directory);
        ExtractorDirectory = Path.Combine(Directory, Hex(XxHash128.Hash(Encoding.UTF8.GetBytes(name))));
        System.IO.Directory.CreateDirectory(ExtractorDirectory);
        string label = Path.Combine(ExtractorDirectory, "extractor.txt");
        if (!File.Exists(label))
        {
            AtomicFile.Write(label, s => s.Write(Encoding.UTF8.GetBytes(name + "\n")));
        }
    }

    /// <summary>The cache's root folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>The folder of this extractor's maps (named by the hash of its name; <c>extractor.txt</c> holds the name).</summary>
    public string ExtractorDirectory { get; }

    /// <summary>The extractor that computes missing maps.</summary>
    public ISketchTokenExtractor Extractor { get; }

    /// <summary>The limits photo files are read within (<see cref="GetOrCreate(string)"/>).</summary>
    public ImageDecodingOptions Decoding { get; }

    /// <summary>The map of the photo file <paramref name="photoPath"/>, read from the cache or computed and stored. The caller disposes it.</summary>
    /// <param name="photoPath">The photo file.</param>
    /// <exception cref="FileNotFoundException">The photo does not exist.</exception>
    /// <exception cref="InvalidDataException">The photo cannot be decoded or is over a <see cref="Decoding"/> limit; the message names it.</exception>
    public Image<Rgb24> GetOrCreate(string photoPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(photoPath);
        var file = new FileInfo(photoPath);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The photo '{photoPath}' does not exist.", photoPath);
        }
        ImageDecoding.CheckEncodedSize(file.Length, $"the photo '{photoPath}'", Decoding);
        byte[] content = File.ReadAllBytes(photoPath);
        string path = PathOf("f" + Hex(XxHash128.Hash(content)));
        Size? size = TryIdentify(content);
        if (size is Size expected && TryRead(path, expected) is Image<Rgb24> cached)
        {
            return cached;
        }
        using var stream = new MemoryStream(content, writable: false);
        using Image<Rgb24> photo = ImageDecoding.Decode(stream, $"the photo '{photoPath}'", Decoding);
        return Compute(photo, path);
    }

    /// <summary>The map of an in-memory photo, keyed by its size and pixels. The caller disposes it.</summary>
    /// <param name="photo">The photo; not modified.</param>
    public Image<Rgb24> GetOrCreate(Image<Rgb24> photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        string path = PathOf("p" + PixelKey(photo));
        return TryRead(path, photo.Size()) ?? Compute(photo, path);
    }

    /// <summary>The cache file of a photo file (whether or not it exists yet).</summary>
    /// <param name="photoPath">The photo file.</param>
    public string PathFor(string photoPath) => PathOf("f" + Hex(XxHash128.Hash(File.ReadAllBytes(photoPath))));

    /// <summary>The cache file of an in-memory photo (whether or not it exists yet).</summary>
    /// <param name="photo">The photo.</param>
    public string PathFor(Image<Rgb24> photo) => PathOf("p" + PixelKey(photo));

    private string PathOf(string key) => Path.Combine(ExtractorDirectory, key + ".png");

    private Image<Rgb24> Compute(Image<Rgb24> photo, string path)
    {
        Image<Rgb24> map = Extractor.ExtractImage(photo);
        if (map.Width != photo.Width || map.Height != photo.Height)
        {
            map.Dispose();
            throw new InvalidOperationException(
                $"The extractor '{Extractor.Name}' returned a {map.Width}×{map.Height} map for a {photo.Width}×{photo.Height} photo; maps must have the photo's size.");
        }
        AtomicFile.Write(path, s => map.Save(s, Encoder));
        return map;
    }

    /// <summary>The cached map, or null when it is missing, unreadable or not <paramref name="expected"/> in size.</summary>
    private static Image<Rgb24>? TryRead(string path, Size expected)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            Image<Rgb24> map = ImageDecoding.Load(path);
            if (map.Size() == expected)
            {
                return map;
            }
            map.Dispose();
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;   // corrupt, truncated or vanished: recompute and replace it
        }
    }

    private static Size? TryIdentify(byte[] content)
    {
        try
        {
            IImageInfo? info = Image.Identify(content);
            return info is null ? null : new Size(info.Width, info.Height);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;   // the decode that follows reports what is wrong with the photo
        }
    }

    private static string PixelKey(Image<Rgb24> photo)
    {
        var hash = new XxHash128();
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header[..4], photo.Width);
        BitConverter.TryWriteBytes(header[4..], photo.Height);
        hash.Append(header);
        for (int y = 0; y < photo.Height; y++)
        {
            hash.Append(MemoryMarshal.AsBytes(photo.DangerousGetPixelRowMemory(y).Span));
        }
        return Hex(hash.GetCurrentHash());
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
