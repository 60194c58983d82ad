using Dsh.Hashing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Dsh;

public sealed partial class DshModel
{
    private ISketchTokenExtractor? _tokenExtractor;

    /// <summary>
    /// The sketch-token extractor used for photos. Defaults to <see cref="ContourTokenExtractor"/> with default options
    /// when that is what the model was trained with; a model trained with another extractor needs it set here.
    /// </summary>
    public ISketchTokenExtractor TokenExtractor
    {
        get
        {
            if (_tokenExtractor is not null)
            {
                return _tokenExtractor;
            }
            var standard = new ContourTokenExtractor();
            if (TokenExtractorName.Length > 0 && TokenExtractorName != standard.Name)
            {
                throw new InvalidOperationException(
                    $"This model was trained with the sketch-token extractor \"{TokenExtractorName}\"; set DshModel.TokenExtractor to it before encoding photos.");
            }
            return _tokenExtractor = standard;
        }
        set => _tokenExtractor = value ?? throw new ArgumentNullException(nameof(value));
    }

    private int _encodeBatchSize = 64;

    /// <summary>Batch size of the batched encoders (default 64, at least 1).</summary>
    public int EncodeBatchSize
    {
        get => _encodeBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _encodeBatchSize = value;
        }
    }

    /// <summary>The code of a sketch image file (any common format; strokes are normalised to black on white).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image.</exception>
    public BinaryCode EncodeSketch(string imagePath) => EncodeSketches(new[] { imagePath })[0];

    /// <summary>The code of an in-memory sketch.</summary>
    public BinaryCode EncodeSketch(Image<Rgb24> sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(sketch);
        return EncodePreparedSketches(new[] { prepared })[0];
    }

    /// <summary>The code of a photo file; its sketch-token map is computed with <see cref="TokenExtractor"/>.</summary>
    public BinaryCode EncodePhoto(string imagePath) => EncodePhotos(new[] { imagePath })[0];

    /// <summary>The code of an in-memory photo.</summary>
    public BinaryCode EncodePhoto(Image<Rgb24> photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        using Image<Rgb24> token = TokenExtractor.Extract(photo);
        return EncodePreparedPhotos(new[] { photo }, new[] { token })[0];
    }

    /// <summary>Codes of many sketch files, <see cref="EncodeBatchSize"/> at a time, in order.</summary>
    /// <exception cref="ArgumentException">No paths were given.</exception>
    public BinaryCodeSet EncodeSketches(IEnumerable<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var codes = new List<BinaryCodeSet>();
        foreach (string[] chunk in imagePaths.Chunk(EncodeBatchSize))
        {
            var images = new Image<Rgb24>[chunk.Length];
            try
            {
                ParallelItems.For(chunk.Length, i =>
                {
                    using Image<Rgb24> raw = DshImaging.Load(chunk[i]);
                    images[i] = DshImaging.PrepareSketch(raw);
                });
                codes.Add(EncodePreparedSketches(images));
            }
            finally
            {
                DisposeAll(images);
            }
        }
        return Concat(codes, nameof(imagePaths));
    }

    /// <summary>Codes of many photo files, <see cref="EncodeBatchSize"/> at a time, in order.</summary>
    /// <exception cref="ArgumentException">No paths were given.</exception>
    public BinaryCodeSet EncodePhotos(IEnumerable<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ISketchTokenExtractor extractor = TokenExtractor;
        var codes = new List<BinaryCodeSet>();
        foreach (string[] chunk in imagePaths.Chunk(EncodeBatchSize))
        {
            var photos = new Image<Rgb24>[chunk.Length];
            var tokens = new Image<Rgb24>[chunk.Length];
            try
            {
                ParallelItems.For(chunk.Length, i =>
                {
                    photos[i] = DshImaging.Load(chunk[i]);
                    tokens[i] = extractor.Extract(photos[i]);
                });
                codes.Add(EncodePreparedPhotos(photos, tokens));
            }
            finally
            {
                DisposeAll(photos);
                DisposeAll(tokens);
            }
        }
        return Concat(codes, nameof(imagePaths));
    }

    /// <summary>Encodes the photos and returns a ready <see cref="HammingIndex"/> holding their codes under the given ids.</summary>
    /// <exception cref="ArgumentException">Duplicate ids (the index rejects them; nothing is added).</exception>
    public HammingIndex BuildIndex(IEnumerable<(long Id, string PhotoPath)> photos)
    {
        ArgumentNullException.ThrowIfNull(photos);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var index = new HammingIndex(CodeLength);
        foreach (var chunk in photos.Chunk(EncodeBatchSize))
        {
            BinaryCodeSet codes = EncodePhotos(chunk.Select(p => p.PhotoPath));
            index.AddRange(chunk.Select(p => p.Id).ToArray(), codes);
        }
        return index;
    }

    private BinaryCodeSet EncodePreparedSketches(IReadOnlyList<Image<Rgb24>> sketches)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        Tensor batch = DshImaging.ToTensor(sketches, Architecture.SketchInputSize, DshImaging.SketchPadColor, Architecture.SketchNormalization);
        return Network.EncodeSketchCodes(batch);
    }

    private BinaryCodeSet EncodePreparedPhotos(IReadOnlyList<Image<Rgb24>> photos, IReadOnlyList<Image<Rgb24>> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        Tensor p = DshImaging.ToTensor(photos, Architecture.PhotoInputSize, DshImaging.PhotoPadColor, Architecture.PhotoNormalization);
        Tensor t = DshImaging.ToTensor(tokens, Architecture.SketchInputSize, DshImaging.SketchPadColor, Architecture.SketchNormalization);
        return Network.EncodePhotoCodes(p, t);
    }

    private BinaryCodeSet Concat(List<BinaryCodeSet> parts, string parameter)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }
        var codes = parts.SelectMany(p => Enumerable.Range(0, p.Count).Select(i => p[i])).ToList();
        if (codes.Count == 0)
        {
            throw new ArgumentException("No images to encode.", parameter);
        }
        return BinaryCodeSet.FromCodes(codes, CodeLength);
    }

    private static void DisposeAll(Image<Rgb24>?[] images)
    {
        foreach (var image in images)
        {
            image?.Dispose();
        }
    }
}
