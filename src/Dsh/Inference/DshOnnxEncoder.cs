using Dsh.Export;
using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Persistence;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Inference;

/// <summary>
/// Encodes sketches and photos with the ONNX graphs <see cref="DshOnnxExport"/> wrote, on ONNX Runtime: the same codes
/// and outputs as the <see cref="DshModel"/> they came from (within float rounding), without TorchSharp or libtorch at
/// run time. The app references <c>Microsoft.ML.OnnxRuntime</c> (its natives). Thread-safe: any number of threads may
/// encode at once.
/// </summary>
public sealed class DshOnnxEncoder : IDshEncoder
{
    private readonly InferenceSession _sketch;
    private readonly InferenceSession? _photo;
    private readonly DshOnnxEncoderOptions _options;
    private ImageDecodingOptions _imageDecoding;
    private readonly string _trainedTokenExtractor;
    private ISketchTokenExtractor? _tokenExtractor;
    private bool _disposed;

    private DshOnnxEncoder(InferenceSession sketch, InferenceSession? photo, DshModel.FileHeader header, DshOnnxEncoderOptions options, string directory)
    {
        _sketch = sketch;
        _photo = photo;
        _options = options;
        _imageDecoding = options.ImageDecoding;
        Metadata = sketch.ModelMetadata.CustomMetadataMap.Where(p => p.Key != DshOnnxExport.HeaderMetadataKey)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Architecture = header.Architecture;
        MirrorSketches = options.MirrorSketches ?? header.Architecture.MirrorSketches;
        Categories = header.Categories;
        _trainedTokenExtractor = header.TokenExtractor ?? "";
        Directory = directory;
    }

    /// <summary>The folder the encoders were loaded from.</summary>
    public string Directory { get; }

    /// <summary>The architecture of the exported model (input sizes and normalisation, code length).</summary>
    public DshArchitecture Architecture { get; }

    /// <summary>Bits per code.</summary>
    public int CodeLength => Architecture.CodeLength;

    /// <summary>The categories the model was trained on.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Whether the folder held the photo encoder (photos can be encoded).</summary>
    public bool CanEncodePhotos => _photo is not null;

    /// <summary>The limits image files and streams are decoded within (initially <see cref="DshOnnxEncoderOptions.ImageDecoding"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public ImageDecodingOptions ImageDecoding
    {
        get => _imageDecoding;
        set => _imageDecoding = (value ?? throw new ArgumentNullException(nameof(value))).Validated();
    }

    /// <summary>The sketch encoder's other metadata entries (those given to <see cref="DshOnnxExport.Export"/>, e.g. <c>dsh.source</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The sketch-token extractor used for photos (by default the standard one, when the model was trained with it).</summary>
    public ISketchTokenExtractor TokenExtractor
    {
        get => _tokenExtractor ??= TokenExtractorDefaults.For(_trainedTokenExtractor, "DshOnnxEncoder.TokenExtractor");
        set => _tokenExtractor = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Loads <see cref="DshOnnxExport.SketchEncoderFileName"/> (required) and <see cref="DshOnnxExport.PhotoEncoderFileName"/>
    /// (if present) from <paramref name="directory"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">The folder has no sketch encoder.</exception>
    /// <exception cref="InvalidDataException">A file is not a Dsh ONNX export (no header, other inputs or outputs) or ONNX Runtime refuses it; the message names the file.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime's native library cannot be loaded (reference <c>Microsoft.ML.OnnxRuntime</c>).</exception>
    public static DshOnnxEncoder Load(string directory, DshOnnxEncoderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options = (options ?? DshOnnxEncoderOptions.Default).Validated();
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No such folder: {directory}");
        }
        string sketchPath = Path.Combine(directory, DshOnnxExport.SketchEncoderFileName);
        string photoPath = Path.Combine(directory, DshOnnxExport.PhotoEncoderFileName);
        if (!File.Exists(sketchPath))
        {
            throw new FileNotFoundException($"{directory} holds no {DshOnnxExport.SketchEncoderFileName} (write one with 'dsh export').", sketchPath);
        }
        InferenceSession sketch = Open(sketchPath, options);
        InferenceSession? photo = null;
        try
        {
            DshModel.FileHeader header = ReadHeader(sketch, sketchPath);
            CheckSignature(sketch, sketchPath, header.Architecture.CodeLength,
                (DshOnnxExport.SketchInputName, header.Architecture.SketchInputSize));
            if (File.Exists(photoPath))
            {
                photo = Open(photoPath, options);
                CheckSignature(photo, photoPath, header.Architecture.CodeLength,
                    (DshOnnxExport.PhotoInputName, header.Architecture.PhotoInputSize),
                    (DshOnnxExport.SketchTokensInputName, header.Architecture.SketchTokenInputSize));
            }
            return new DshOnnxEncoder(sketch, photo, header, options, directory);
        }
        catch
        {
            sketch.Dispose();
            photo?.Dispose();
            throw;
        }
    }

    /// <summary>The real-valued output of one sketch read from a stream; its signs are <see cref="EncodeSketch(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public float[] EmbedSketch(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = Imaging.ImageDecoding.Decode(image, "the uploaded sketch", _imageDecoding);
        return EmbedSketch(raw);
    }

    /// <summary>The real-valued output of an encoded sketch (the bytes of a PNG, JPEG, … file) decoded within <see cref="ImageDecoding"/>.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public float[] EmbedSketch(ReadOnlyMemory<byte> encodedImage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = RgbImage.DecodeImage(encodedImage, "the uploaded sketch", _imageDecoding);
        return EmbedSketch(raw);
    }

    /// <summary>The real-valued output of an in-memory sketch; its signs are <see cref="EncodeSketch(RgbImage)"/>.</summary>
    public float[] EmbedSketch(RgbImage sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = sketch.ToImage();
        return EmbedSketch(raw);
    }

    /// <summary>The real-valued output of one sketch file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public float[] EmbedSketch(string imagePath) => EncodeFiles([imagePath], photos: false, strict: true, keepEmbeddings: true, default).Embeddings![0];

    /// <summary>The code of a sketch read from a stream.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodeSketch(Stream image) => Code(EmbedSketch(image));

    /// <summary>The code of an encoded sketch (the bytes of a PNG, JPEG, … file).</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodeSketch(ReadOnlyMemory<byte> encodedImage) => Code(EmbedSketch(encodedImage));

    /// <summary>The code of an in-memory sketch (strokes are normalised to black on white).</summary>
    public BinaryCode EncodeSketch(RgbImage sketch) => Code(EmbedSketch(sketch));

    /// <summary>The code of a sketch file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodeSketch(string imagePath) => Code(EmbedSketch(imagePath));

    /// <summary>The code of a photo read from a stream; its sketch-token map is computed with <see cref="TokenExtractor"/>.</summary>
    /// <exception cref="InvalidOperationException">The folder has no photo encoder.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodePhoto(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = PhotoSession(); // a sketch-only folder refuses before the upload is decoded
        using Image<Rgb24> raw = Imaging.ImageDecoding.Decode(image, "the uploaded photo", _imageDecoding);
        return EncodePhoto(raw);
    }

    /// <summary>The code of an encoded photo (the bytes of a PNG, JPEG, … file), decoded within <see cref="ImageDecoding"/>.</summary>
    /// <exception cref="InvalidOperationException">The folder has no photo encoder.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodePhoto(ReadOnlyMemory<byte> encodedImage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = PhotoSession();
        using Image<Rgb24> raw = RgbImage.DecodeImage(encodedImage, "the uploaded photo", _imageDecoding);
        return EncodePhoto(raw);
    }

    /// <summary>The code of an in-memory photo; its sketch-token map is computed with <see cref="TokenExtractor"/>.</summary>
    /// <exception cref="InvalidOperationException">The folder has no photo encoder.</exception>
    public BinaryCode EncodePhoto(RgbImage photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = PhotoSession();
        using Image<Rgb24> raw = photo.ToImage();
        return EncodePhoto(raw);
    }

    /// <summary>The code of a photo file.</summary>
    /// <exception cref="InvalidOperationException">The folder has no photo encoder.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public BinaryCode EncodePhoto(string imagePath) => EncodeFiles([imagePath], photos: true, strict: true, keepEmbeddings: false, default).Codes[0];

    private float[] EmbedSketch(Image<Rgb24> raw) => FileBatchEncoder.EncodeImage(raw, Architecture, photo: false, extractor: null, Runner(photos: false));

    private BinaryCode EncodePhoto(Image<Rgb24> raw) =>
        Code(FileBatchEncoder.EncodeImage(raw, Architecture, photo: true, TokenExtractor, Runner(photos: true)));

    private BinaryCode Code(float[] output) => BinaryCodeSet.FromSigns(output, CodeLength)[0];

    /// <summary>Codes and outputs of many sketch files, skipping and reporting unusable ones (as <see cref="DshModel.EmbedSketchFiles"/>).</summary>
    public EncodedFiles EmbedSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: false, strict: false, keepEmbeddings: true, cancellationToken);

    /// <summary>Codes of many sketch files, skipping and reporting unusable ones (as <see cref="DshModel.EncodeSketchFiles"/>).</summary>
    public EncodedFiles EncodeSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: false, strict: false, keepEmbeddings: false, cancellationToken);

    /// <summary>Codes and outputs of many photo files, skipping and reporting unusable ones (as <see cref="DshModel.EmbedPhotoFiles"/>).</summary>
    /// <exception cref="InvalidOperationException">The folder has no photo encoder.</exception>
    public EncodedFiles EmbedPhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: true, strict: false, keepEmbeddings: true, cancellationToken);

    /// <summary>Codes of many photo files, skipping and reporting unusable ones (as <see cref="DshModel.EncodePhotoFiles"/>).</summary>
    /// <exception cref="InvalidOperationException">The folder has no photo encoder.</exception>
    public EncodedFiles EncodePhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: true, strict: false, keepEmbeddings: false, cancellationToken);

    /// <summary>As <see cref="DshModel.MirrorSketches"/> (initially <see cref="DshOnnxEncoderOptions.MirrorSketches"/>, or the model's <see cref="DshArchitecture.MirrorSketches"/>).</summary>
    public bool MirrorSketches { get; set; }

    /// <inheritdoc/>
    public bool MirrorsPhotos => Architecture.MirrorPhotos;

    /// <summary>As <see cref="DshModel.PrepareAhead"/>.</summary>
    internal bool PrepareAhead { get; set; } = true;

    /// <summary>Releases both inference sessions.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _sketch.Dispose();
            _photo?.Dispose();
        }
    }

    private EncodedFiles EncodeFiles(IReadOnlyList<string> paths, bool photos, bool strict, bool keepEmbeddings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (photos)
        {
            _ = PhotoSession(); // a sketch-only folder refuses before any file is read
        }
        return FileBatchEncoder.Encode(paths, Architecture, photos, strict, keepEmbeddings, _options.EncodeBatchSize, _imageDecoding,
            photos ? TokenExtractor : null, Runner(photos), cancellationToken, PrepareAhead);
    }

    /// <summary>How a batch of photos (mirrored too with <see cref="DshArchitecture.MirrorPhotos"/>), or of sketches (with <see cref="MirrorSketches"/>), goes through a graph.</summary>
    private FileBatchEncoder.BatchRunner Runner(bool photos) => FileBatchEncoder.For(RunBatch, photos, MirrorSketches, Architecture.MirrorPhotos, CodeLength);

    /// <summary>One batch through the sketch or the photo graph: outputs [rows, K], row-major.</summary>
    private float[] RunBatch(ImageBatchInputs batch, IReadOnlyList<int> rows)
    {
        var (first, second) = batch.ToArrays(rows);
        return second is null
            ? Run(_sketch, rows.Count, (DshOnnxExport.SketchInputName, first, batch.FirstSize))
            : Run(PhotoSession(), rows.Count, (DshOnnxExport.PhotoInputName, first, batch.FirstSize),
                (DshOnnxExport.SketchTokensInputName, second, batch.SecondSize));
    }

    private InferenceSession PhotoSession() => _photo ?? throw new InvalidOperationException(
        $"{Directory} holds no {DshOnnxExport.PhotoEncoderFileName}: this encoder encodes sketches only.");

    /// <summary>One inference: each input is [rows, 3, size, size]; the output [rows, K], row-major.</summary>
    private float[] Run(InferenceSession session, int rows, params (string Name, float[] Data, int Size)[] inputs)
    {
        var values = new List<OrtValue>(inputs.Length);
        try
        {
            foreach (var (_, data, size) in inputs)
            {
                values.Add(OrtValue.CreateTensorValueFromMemory(data, [rows, 3, size, size]));
            }
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, [DshOnnxExport.OutputName]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }

    private static InferenceSession Open(string path, DshOnnxEncoderOptions options)
    {
        try
        {
            using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            if (options.IntraOpThreads is { } threads)
            {
                sessionOptions.IntraOpNumThreads = threads;
            }
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: ONNX Runtime cannot load it ({e.Message.ReplaceLineEndings(" ")}).", e);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(
                "ONNX Runtime's native library could not be loaded: reference the Microsoft.ML.OnnxRuntime package in the app " +
                $"({e.GetBaseException().Message.ReplaceLineEndings(" ")}).", e);
        }
    }

    private static DshModel.FileHeader ReadHeader(InferenceSession session, string path)
    {
        if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(DshOnnxExport.HeaderMetadataKey, out string? json))
        {
            throw new InvalidDataException($"{path}: not a Dsh ONNX export (no '{DshOnnxExport.HeaderMetadataKey}' metadata).");
        }
        return DshModel.FileHeader.Parse(json, path);
    }

    private static void CheckSignature(InferenceSession session, string path, int codeLength, params (string Name, int Size)[] inputs)
    {
        var declared = session.InputMetadata;
        foreach (var (name, size) in inputs)
        {
            if (!declared.TryGetValue(name, out NodeMetadata? input) || !input.Dimensions.Skip(1).SequenceEqual([3, size, size]))
            {
                throw new InvalidDataException($"{path}: expected an input '{name}' of [N, 3, {size}, {size}].");
            }
        }
        if (declared.Count != inputs.Length)
        {
            throw new InvalidDataException($"{path}: {declared.Count} inputs, expected {inputs.Length}.");
        }
        if (!session.OutputMetadata.TryGetValue(DshOnnxExport.OutputName, out NodeMetadata? output) || output.Dimensions.Length != 2 || output.Dimensions[1] != codeLength)
        {
            throw new InvalidDataException($"{path}: expected an output '{DshOnnxExport.OutputName}' of [N, {codeLength}].");
        }
    }
}
