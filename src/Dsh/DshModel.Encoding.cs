using Dsh.Data;
using Dsh.Hashing;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Model;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Dsh;

public sealed partial class DshModel
{
    private ISketchTokenExtractor? _tokenExtractor;
    private ImageDecodingOptions _imageDecoding = ImageDecodingOptions.Default;

    /// <summary>
    /// The sketch-token extractor used for photos. Defaults to <see cref="ContourTokenExtractor"/> with default options
    /// when that is what the model was trained with; a model trained with another extractor needs it set here (before
    /// encoding from several threads: setting it is not synchronised with running encoders).
    /// </summary>
    public ISketchTokenExtractor TokenExtractor
    {
        get
        {
            return _tokenExtractor ??= TokenExtractorDefaults.For(TokenExtractorName, "DshModel.TokenExtractor");
        }
        set => _tokenExtractor = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The limits image files and streams are decoded within (default <see cref="ImageDecodingOptions.Default"/>); its
    /// <see cref="ImageDecodingOptions.MaxParallelDecodes"/> also bounds how many images a batch decodes at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public ImageDecodingOptions ImageDecoding
    {
        get => _imageDecoding;
        set => _imageDecoding = (value ?? throw new ArgumentNullException(nameof(value))).Validated();
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

    /// <summary>
    /// Whether every sketch is also encoded mirrored left to right and the two outputs averaged before the code is taken
    /// (initially the model's <see cref="DshArchitecture.MirrorSketches"/>: true for the ResNet18 profile's models). It
    /// costs a second network pass a sketch (both in one batch: about twice a sketch's time) and raised mAP by +0.003 to
    /// +0.010 on PACS with the profile's models and by +0.008 on QuickDraw × CIFAR-10 (docs/results.md). Photo codes do
    /// not depend on it (a model mirrors photos only with <see cref="DshArchitecture.MirrorPhotos"/>, fixed when it is
    /// trained), so codes of photos already in a gallery stay valid. Set it before sharing the model between threads.
    /// </summary>
    public bool MirrorSketches { get; set; }

    /// <inheritdoc/>
    public bool MirrorsPhotos => Architecture.MirrorPhotos;

    /// <summary>
    /// Whether the batched file encoders prepare the next batch while the network runs (default true); false runs them
    /// one after the other, as <c>FileEncodingBenchmarks</c> compares.
    /// </summary>
    internal bool PrepareAhead { get; set; } = true;

    /// <summary>The code of a sketch image file (any common format; strokes are normalised to black on white).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodeSketch(string imagePath) => EncodeSketches(new[] { imagePath })[0];

    /// <summary>The code of a sketch read from a stream (an upload, say) within <see cref="ImageDecoding"/>.</summary>
    /// <param name="image">The encoded image (PNG, JPEG, …) from its current position.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodeSketch(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = Dsh.Imaging.ImageDecoding.Decode(image, "the uploaded sketch", _imageDecoding);
        return EncodeSketch(raw);
    }

    /// <summary>The code of an encoded sketch (the bytes of a PNG, JPEG, … file), decoded within <see cref="ImageDecoding"/>.</summary>
    /// <param name="encodedImage">The file's bytes.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodeSketch(ReadOnlyMemory<byte> encodedImage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = RgbImage.DecodeImage(encodedImage, "the uploaded sketch", _imageDecoding);
        return EncodeSketch(raw);
    }

    /// <summary>The code of an in-memory sketch (strokes are normalised to black on white).</summary>
    /// <param name="sketch">The drawing.</param>
    public BinaryCode EncodeSketch(RgbImage sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> image = sketch.ToImage();
        return EncodeSketch(image);
    }

    /// <summary>The code of an in-memory sketch.</summary>
    internal BinaryCode EncodeSketch(Image<Rgb24> sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        return BinaryCodeSet.FromSigns(EncodeImage(sketch, photo: false), CodeLength)[0];
    }

    /// <summary>The code of a photo file; its sketch-token map is computed with <see cref="TokenExtractor"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodePhoto(string imagePath) => EncodePhotos(new[] { imagePath })[0];

    /// <summary>The code of a photo read from a stream within <see cref="ImageDecoding"/>.</summary>
    /// <param name="image">The encoded image (PNG, JPEG, …) from its current position.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodePhoto(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> photo = Dsh.Imaging.ImageDecoding.Decode(image, "the uploaded photo", _imageDecoding);
        return EncodePhoto(photo);
    }

    /// <summary>The code of an encoded photo (the bytes of a PNG, JPEG, … file), decoded within <see cref="ImageDecoding"/>.</summary>
    /// <param name="encodedImage">The file's bytes.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodePhoto(ReadOnlyMemory<byte> encodedImage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> photo = RgbImage.DecodeImage(encodedImage, "the uploaded photo", _imageDecoding);
        return EncodePhoto(photo);
    }

    /// <summary>The code of an in-memory photo; its sketch-token map is computed with <see cref="TokenExtractor"/>.</summary>
    /// <param name="photo">The photo.</param>
    /// <exception cref="InvalidOperationException">The token extractor returned a map of another size than the photo.</exception>
    public BinaryCode EncodePhoto(RgbImage photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> image = photo.ToImage();
        return EncodePhoto(image);
    }

    /// <summary>The code of an in-memory photo.</summary>
    internal BinaryCode EncodePhoto(Image<Rgb24> photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        return BinaryCodeSet.FromSigns(EncodeImage(photo, photo: true), CodeLength)[0];
    }

    /// <summary>Codes of many sketch files, <see cref="EncodeBatchSize"/> at a time, in order; the first unreadable file throws.</summary>
    /// <exception cref="ArgumentException">No paths were given.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not a readable image or is over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCodeSet EncodeSketches(IEnumerable<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        return EncodeAll(imagePaths.ToList(), photos: false, nameof(imagePaths));
    }

    /// <summary>Codes of many photo files, <see cref="EncodeBatchSize"/> at a time, in order; the first unreadable file throws.</summary>
    /// <exception cref="ArgumentException">No paths were given.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not a readable image or is over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCodeSet EncodePhotos(IEnumerable<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        return EncodeAll(imagePaths.ToList(), photos: true, nameof(imagePaths));
    }

    /// <summary>
    /// Codes of many sketch files, skipping (and reporting) each file that is missing, unreadable, corrupt or over an
    /// <see cref="ImageDecoding"/> limit instead of stopping at it.
    /// </summary>
    /// <param name="imagePaths">The files (may be empty).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public EncodedFiles EncodeSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: false, strict: false, cancellationToken);

    /// <summary>Codes of many photo files, skipping and reporting unusable ones, as <see cref="EncodeSketchFiles"/> does.</summary>
    /// <param name="imagePaths">The files (may be empty).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public EncodedFiles EncodePhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: true, strict: false, cancellationToken);

    /// <summary>Encodes the photos and returns a ready <see cref="HammingIndex"/> holding their codes under the given ids.</summary>
    /// <exception cref="ArgumentException">Duplicate ids (the index rejects them; nothing is added).</exception>
    public HammingIndex BuildIndex(IEnumerable<(long Id, string PhotoPath)> photos) => BuildIndex(photos, new HammingIndex(CodeLength));

    /// <summary>
    /// Encodes the photos, a batch at a time, and adds their codes under the given ids to <paramref name="index"/>, any
    /// <see cref="IHammingIndex"/> of this model's code length (a <see cref="MultiIndexHashIndex"/> for large galleries
    /// searched with small radii, a <see cref="HammingIndex"/> otherwise); returns it.
    /// </summary>
    /// <typeparam name="TIndex">The index type.</typeparam>
    /// <param name="photos">Ids and photo files.</param>
    /// <param name="index">The index to fill (it may already hold codes).</param>
    /// <param name="cancellationToken">Checked between batches; the batches added before stay added.</param>
    /// <exception cref="ArgumentException">The index has another code length, or an id is already in it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public TIndex BuildIndex<TIndex>(IEnumerable<(long Id, string PhotoPath)> photos, TIndex index, CancellationToken cancellationToken = default)
        where TIndex : IHammingIndex
    {
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentNullException.ThrowIfNull(index);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index.CodeLength != CodeLength)
        {
            throw new ArgumentException($"The index holds {index.CodeLength}-bit codes but this model makes {CodeLength}-bit codes.", nameof(index));
        }
        foreach (var chunk in photos.Chunk(EncodeBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            BinaryCodeSet codes = EncodePhotos(chunk.Select(p => p.PhotoPath));
            index.AddRange(chunk.Select(p => p.Id).ToArray(), codes);
        }
        return index;
    }

    private BinaryCodeSet EncodeAll(List<string> paths, bool photos, string parameter)
    {
        if (paths.Count == 0)
        {
            throw new ArgumentException("No images to encode.", parameter);
        }
        return EncodeFiles(paths, photos, strict: true, CancellationToken.None).Codes;
    }

    private EncodedFiles EncodeFiles(IReadOnlyList<string> paths, bool photos, bool strict, CancellationToken cancellationToken) =>
        EncodeFiles(paths, photos, strict, keepEmbeddings: false, cancellationToken);

    private EncodedFiles EncodeFiles(IReadOnlyList<string> paths, bool photos, bool strict, bool keepEmbeddings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return FileBatchEncoder.Encode(paths, Architecture, photos, strict, keepEmbeddings, EncodeBatchSize, _imageDecoding,
            photos ? TokenExtractor : null, Runner(photos), cancellationToken, PrepareAhead);
    }

    /// <summary>One batch through the network: outputs [rows, K], row-major.</summary>
    private float[] RunBatch(ImageBatchInputs batch, IReadOnlyList<int> rows)
    {
        using var scope = NewDisposeScope();
        (Tensor first, Tensor? second) = batch.ToTensors(rows);
        Tensor outputs = second is null ? Network.EncodeSketch(first) : Network.EncodePhoto(first, second);
        using Tensor cpu = outputs.detach().to(ScalarType.Float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>One decoded image through the network as the file encoders do it: its K outputs.</summary>
    private float[] EncodeImage(Image<Rgb24> image, bool photo)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return FileBatchEncoder.EncodeImage(image, Architecture, photo, photo ? TokenExtractor : null, Runner(photo));
    }

    /// <summary>How a batch of photos (mirrored too with <see cref="DshArchitecture.MirrorPhotos"/>), or of sketches (with <see cref="MirrorSketches"/>), goes through the network.</summary>
    private FileBatchEncoder.BatchRunner Runner(bool photos) => FileBatchEncoder.For(RunBatch, photos, MirrorSketches, Architecture.MirrorPhotos, CodeLength);
}
