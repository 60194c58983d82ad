using System.Collections.Concurrent;
using Dsh.Data;
using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Data;

/// <summary>
/// Turns dataset items into prepared images: a sketch as black strokes on white, a photo with its sketch-token map
/// (from the on-disk cache keyed by file content for files, from an in-memory cache for in-memory photos).
/// Thread-safe. The caller disposes the returned images.
/// </summary>
internal sealed class DshImageSource : IDisposable
{
    private readonly ISketchTokenExtractor _extractor;
    private readonly SketchTokenCache? _cache;
    private readonly ImageDecodingOptions _decoding;
    private readonly ConcurrentDictionary<RgbImage, Lazy<Image<Rgb24>>> _memoryTokens = new(ReferenceEqualityComparer.Instance);

    public DshImageSource(ISketchTokenExtractor extractor, string? tokenCacheDirectory, ImageDecodingOptions? decoding = null)
    {
        _extractor = extractor;
        _decoding = (decoding ?? ImageDecodingOptions.Default).Validated();
        _cache = tokenCacheDirectory is null ? null : new SketchTokenCache(tokenCacheDirectory, extractor, _decoding);
    }

    public ISketchTokenExtractor Extractor => _extractor;

    public Image<Rgb24> Sketch(SbirItem item)
    {
        if (item.Image is not null)
        {
            using Image<Rgb24> image = item.Image.ToImage();
            return DshImaging.PrepareSketch(image);
        }
        using Image<Rgb24> raw = ImageDecoding.Load(item.Path!, _decoding);
        return DshImaging.PrepareSketch(raw);
    }

    public void Dispose()
    {
        foreach (var token in _memoryTokens.Values)
        {
            if (token.IsValueCreated)
            {
                token.Value.Dispose();
            }
        }
        _memoryTokens.Clear();
    }

    private Image<Rgb24> ExtractFrom(RgbImage photo)
    {
        using Image<Rgb24> image = photo.ToImage();
        return _extractor.ExtractImage(image);
    }

    public (Image<Rgb24> Photo, Image<Rgb24> Token) PhotoWithToken(SbirItem item)
    {
        if (item.Image is not null)
        {
            // Lazy: computed once even when two threads ask for the same photo at the same time.
            Image<Rgb24> memoryPhoto = item.Image.ToImage();
            try
            {
                Image<Rgb24> token = _memoryTokens.GetOrAdd(item.Image, image => new Lazy<Image<Rgb24>>(() => ExtractFrom(image))).Value;
                return (memoryPhoto, token.Clone());
            }
            catch
            {
                memoryPhoto.Dispose();
                throw;
            }
        }
        Image<Rgb24> photo = ImageDecoding.Load(item.Path!, _decoding);
        try
        {
            Image<Rgb24> tokenMap = _cache is not null ? _cache.GetOrCreate(item.Path!) : _extractor.ExtractImage(photo);
            return (photo, tokenMap);
        }
        catch
        {
            photo.Dispose();
            throw;
        }
    }
}
