using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace Dsh.Model;

/// <summary>
/// The input planes of one encoding batch, filled item by item from files (safe for one writer per item at once): for
/// sketches the prepared sketch at the sketch size; for photos the photo at the photo size and its sketch-token map at the
/// sketch size. Each image is decoded, written and released at once, so the batch holds floats, not full-size images.
/// </summary>
internal sealed class ImageBatchInputs
{
    private readonly ImageInputSpec _firstInput;
    private readonly ImageInputSpec _secondInput;
    private readonly float[] _first;
    private readonly float[]? _second;
    private readonly int _firstSize;
    private readonly int _secondSize;

    public ImageBatchInputs(DshArchitecture architecture, bool photos, int count)
    {
        _firstInput = photos ? architecture.PhotoInput : architecture.SketchInput;
        _secondInput = architecture.SketchTokenInput;
        _firstSize = _firstInput.Size;
        _secondSize = _secondInput.Size;
        _first = new float[checked(count * FloatsPerImage(_firstSize))];
        _second = photos ? new float[checked(count * FloatsPerImage(_secondSize))] : null;
    }

    private ImageBatchInputs(ImageBatchInputs shape, float[] first, float[]? second)
    {
        (_firstInput, _secondInput, _firstSize, _secondSize) = (shape._firstInput, shape._secondInput, shape._firstSize, shape._secondSize);
        _first = first;
        _second = second;
    }

    /// <summary>Decodes <paramref name="path"/> and writes it (and, for a photo, its token map) into row <paramref name="row"/>.</summary>
    public void Write(int row, string path, ImageDecodingOptions decoding, ISketchTokenExtractor? extractor)
    {
        using SixLabors.ImageSharp.Image<Rgb24> image = ImageDecoding.Load(path, decoding);
        Write(row, image, extractor);
    }

    /// <summary>Writes a decoded image (a sketch, prepared here; or a photo and its token map) into row <paramref name="row"/>.</summary>
    public void Write(int row, SixLabors.ImageSharp.Image<Rgb24> image, ISketchTokenExtractor? extractor)
    {
        if (_second is null)
        {
            using var prepared = DshImaging.PrepareSketch(image);
            TensorWriter.Write(prepared, _firstInput, Row(_first, _firstSize, row));
            return;
        }
        TensorWriter.Write(image, _firstInput, Row(_first, _firstSize, row));
        using var token = extractor!.ExtractImage(image);
        TensorWriter.Write(token, _secondInput, Row(_second, _secondSize, row));
    }

    /// <summary>Tensors [rows, 3, S, S] of the given rows, in that order (the photo tokens second, else null).</summary>
    public (Tensor First, Tensor? Second) ToTensors(IReadOnlyList<int> rows)
    {
        var (first, second) = ToArrays(rows);
        return (torch.tensor(first, new long[] { rows.Count, 3, _firstSize, _firstSize }),
                second is null ? null : torch.tensor(second, new long[] { rows.Count, 3, _secondSize, _secondSize }));
    }

    /// <summary>The given rows' planes, row-major [rows, 3, size, size] (the batch's own arrays when every row is kept).</summary>
    public (float[] First, float[]? Second) ToArrays(IReadOnlyList<int> rows) =>
        (Gather(_first, _firstSize, rows), _second is null ? null : Gather(_second, _secondSize, rows));

    /// <summary>
    /// A batch of 2 · <paramref name="rows"/>.Count rows: the given rows in that order, then each of them mirrored left to
    /// right, in the same order (a photo's sketch-token map mirrored with it).
    /// </summary>
    public ImageBatchInputs WithMirroredCopies(IReadOnlyList<int> rows) =>
        new(this, MirroredCopies(_first, _firstSize, rows), _second is null ? null : MirroredCopies(_second, _secondSize, rows));

    private static float[] MirroredCopies(float[] source, int size, IReadOnlyList<int> rows)
    {
        int per = FloatsPerImage(size), n = rows.Count;
        var planes = new float[checked(2 * n * per)];
        for (int i = 0; i < n; i++)
        {
            Span<float> image = Row(source, size, rows[i]);
            image.CopyTo(planes.AsSpan(i * per, per));
            Span<float> mirror = planes.AsSpan((n + i) * per, per);
            for (int line = 0; line < 3 * size; line++)
            {
                Span<float> pixels = mirror.Slice(line * size, size);
                image.Slice(line * size, size).CopyTo(pixels);
                pixels.Reverse();
            }
        }
        return planes;
    }

    /// <summary>Side of the first input (sketches, or photos).</summary>
    public int FirstSize => _firstSize;

    /// <summary>Side of the second input (the photos' sketch-token maps).</summary>
    public int SecondSize => _secondSize;

    private static float[] Gather(float[] planes, int size, IReadOnlyList<int> rows)
    {
        int per = FloatsPerImage(size);
        float[] data = rows.Count * per == planes.Length ? planes : new float[rows.Count * per];
        if (!ReferenceEquals(data, planes))
        {
            for (int i = 0; i < rows.Count; i++)
            {
                planes.AsSpan(rows[i] * per, per).CopyTo(data.AsSpan(i * per, per));
            }
        }
        return data;
    }

    private static Span<float> Row(float[] planes, int size, int row)
    {
        int per = FloatsPerImage(size);
        return planes.AsSpan(row * per, per);
    }

    private static int FloatsPerImage(int size) => 3 * size * size;
}
