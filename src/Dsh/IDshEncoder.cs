using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Model;

namespace Dsh;

/// <summary>
/// What a search service or a gallery build needs from a model: sketch outputs and photo codes from images. Implemented by
/// <see cref="DshModel"/> (TorchSharp) and <see cref="Inference.DshOnnxEncoder"/> (ONNX Runtime, no libtorch); both are
/// safe to call from any number of threads at once.
/// </summary>
public interface IDshEncoder : IDisposable
{
    /// <summary>Bits per code.</summary>
    int CodeLength { get; }

    /// <summary>The categories the model was trained on.</summary>
    IReadOnlyList<string> Categories { get; }

    /// <summary>The limits image streams are decoded within (set it before encoding from several threads).</summary>
    ImageDecodingOptions ImageDecoding { get; set; }

    /// <summary>
    /// Whether each sketch is also encoded mirrored left to right and the two outputs averaged (see
    /// <see cref="DshModel.MirrorSketches"/>); an encoder that cannot refuses true with <see cref="NotSupportedException"/>.
    /// </summary>
    bool MirrorSketches
    {
        get => false;
        set
        {
            if (value)
            {
                throw new NotSupportedException($"{GetType().Name} does not mirror sketches.");
            }
        }
    }

    /// <summary>
    /// Whether each photo is also encoded mirrored left to right and the two outputs averaged: the model's
    /// <see cref="DshArchitecture.MirrorPhotos"/>, fixed when it was trained (default false).
    /// </summary>
    bool MirrorsPhotos => false;

    /// <summary>The real-valued output of one sketch read from a stream; its signs are the sketch's code.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    float[] EmbedSketch(Stream image);

    /// <summary>The code of one photo read from a stream.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    BinaryCode EncodePhoto(Stream image);

    /// <summary>The real-valued output of one sketch file; its signs are the sketch's code.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    float[] EmbedSketch(string imagePath);

    /// <summary>Codes of many sketch files in batches; unusable files are skipped and reported in <see cref="EncodedFiles.Skipped"/>.</summary>
    EncodedFiles EncodeSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default);

    /// <summary>Codes of many photo files in batches; unusable files are skipped and reported in <see cref="EncodedFiles.Skipped"/>.</summary>
    EncodedFiles EncodePhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="EncodeSketchFiles"/>, with each encoded sketch's real-valued output in <see cref="EncodedFiles.Embeddings"/>.</summary>
    EncodedFiles EmbedSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="EncodePhotoFiles"/>, with each encoded photo's real-valued output in <see cref="EncodedFiles.Embeddings"/>.</summary>
    EncodedFiles EmbedPhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default);
}
