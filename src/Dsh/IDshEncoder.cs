using Dsh.Hashing;
using Dsh.Imaging;

namespace Dsh;

/// <summary>
/// What a search service needs from a model: sketch outputs and photo codes from encoded images. Implemented by
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

    /// <summary>The real-valued output of one sketch read from a stream; its signs are the sketch's code.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    float[] EmbedSketch(Stream image);

    /// <summary>The code of one photo read from a stream.</summary>
    /// <exception cref="InvalidDataException">Not a readable image, or over an <see cref="ImageDecoding"/> limit.</exception>
    BinaryCode EncodePhoto(Stream image);
}
