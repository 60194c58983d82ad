using Dsh.Imaging;

namespace Dsh.Inference;

/// <summary>How <see cref="DshOnnxEncoder"/> runs: threads, batch size and image decoding limits.</summary>
public sealed record DshOnnxEncoderOptions
{
    /// <summary>The defaults: ONNX Runtime's own thread count, batches of 64, <see cref="ImageDecodingOptions.Default"/>.</summary>
    public static DshOnnxEncoderOptions Default { get; } = new();

    /// <summary>Threads one inference may use (null: ONNX Runtime's default, one per physical core).</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Images per inference call of the batched file encoders (at least 1).</summary>
    public int EncodeBatchSize { get; init; } = 64;

    /// <summary>
    /// Whether sketches are also encoded mirrored and the outputs averaged (see <see cref="DshModel.MirrorSketches"/>); null
    /// (the default): as the exported model says (<see cref="DshArchitecture.MirrorSketches"/>).
    /// </summary>
    public bool? MirrorSketches { get; init; }

    /// <summary>The limits image files and streams are decoded within.</summary>
    public ImageDecodingOptions ImageDecoding { get; init; } = ImageDecodingOptions.Default;

    /// <summary>This instance when every value is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A thread count or batch size below 1, or a decoding limit out of range.</exception>
    public DshOnnxEncoderOptions Validated()
    {
        if (IntraOpThreads is { } threads)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(IntraOpThreads));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(EncodeBatchSize, 1, nameof(EncodeBatchSize));
        ArgumentNullException.ThrowIfNull(ImageDecoding, nameof(ImageDecoding));
        ImageDecoding.Validated();
        return this;
    }
}
