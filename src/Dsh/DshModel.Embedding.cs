using Dsh.Hashing;
using Dsh.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh;

/// <summary>
/// The real-valued network outputs (embeddings) that the binary codes are the signs of: a query's embedding ranks
/// Hamming-search candidates more finely than its code (see <see cref="Dsh.Hashing.AsymmetricReranker"/> and
/// docs/evaluation.md#re-ranking).
/// </summary>
public sealed partial class DshModel
{
    /// <summary>
    /// The real-valued outputs of many sketch files, in order, with their codes (<see cref="EncodedFiles.Codes"/> row i is
    /// the signs of <see cref="EncodedFiles.Embeddings"/> row i); bad files are skipped and reported as by
    /// <see cref="EncodeSketchFiles"/>.
    /// </summary>
    /// <param name="imagePaths">The files (may be empty).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public EncodedFiles EmbedSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: false, strict: false, keepEmbeddings: true, cancellationToken);

    /// <summary>The real-valued outputs of many photo files with their codes, skipping bad files, as <see cref="EmbedSketchFiles"/>.</summary>
    /// <param name="imagePaths">The files (may be empty).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public EncodedFiles EmbedPhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        EncodeFiles(imagePaths, photos: true, strict: false, keepEmbeddings: true, cancellationToken);

    /// <summary>The real-valued output of one sketch read from a stream within <see cref="ImageDecoding"/>; its signs are <see cref="EncodeSketch(Stream)"/>.</summary>
    /// <param name="image">The encoded image (PNG, JPEG, …) from its current position.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public float[] EmbedSketch(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = Dsh.Imaging.ImageDecoding.Decode(image, "the uploaded sketch", _imageDecoding);
        return EmbedSketch(raw);
    }

    /// <summary>
    /// The real-valued output of an encoded sketch (the bytes of a PNG, JPEG, … file) decoded within <see cref="ImageDecoding"/>;
    /// its signs are <see cref="EncodeSketch(ReadOnlyMemory{byte})"/>.
    /// </summary>
    /// <param name="encodedImage">The file's bytes.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public float[] EmbedSketch(ReadOnlyMemory<byte> encodedImage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = Dsh.Imaging.RgbImage.DecodeImage(encodedImage, "the uploaded sketch", _imageDecoding);
        return EmbedSketch(raw);
    }

    /// <summary>The real-valued output of an in-memory sketch; its signs are <see cref="EncodeSketch(Dsh.Imaging.RgbImage)"/>.</summary>
    /// <param name="sketch">The drawing.</param>
    public float[] EmbedSketch(Dsh.Imaging.RgbImage sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Image<Rgb24> raw = sketch.ToImage();
        return EmbedSketch(raw);
    }

    private float[] EmbedSketch(Image<Rgb24> raw) => EncodeImage(raw, photo: false);

    /// <summary>The real-valued output of one sketch file; its signs are <see cref="EncodeSketch(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    public float[] EmbedSketch(string imagePath)
    {
        EncodedFiles one = EncodeFiles(new[] { imagePath }, photos: false, strict: true, keepEmbeddings: true, CancellationToken.None);
        return one.Embeddings![0];
    }
}
