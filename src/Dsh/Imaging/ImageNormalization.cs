using Dsh.Pretrained;

namespace Dsh.Imaging;

/// <summary>
/// Per-channel normalisation of pixels: a byte p of channel c becomes <c>(p / 255 − Mean_c) / Std_c</c>.
/// Every value must be finite and every standard deviation &gt; 0; the constructor and <c>with</c> check it.
/// </summary>
/// <param name="MeanR">Mean of the red channel, on the [0, 1] scale.</param>
/// <param name="MeanG">Mean of the green channel, on the [0, 1] scale.</param>
/// <param name="MeanB">Mean of the blue channel, on the [0, 1] scale.</param>
/// <param name="StdR">Standard deviation of the red channel (&gt; 0).</param>
/// <param name="StdG">Standard deviation of the green channel (&gt; 0).</param>
/// <param name="StdB">Standard deviation of the blue channel (&gt; 0).</param>
public sealed record ImageNormalization(float MeanR, float MeanG, float MeanB, float StdR, float StdG, float StdB)
{
    private readonly float meanR = Finite(MeanR, nameof(MeanR));
    private readonly float meanG = Finite(MeanG, nameof(MeanG));
    private readonly float meanB = Finite(MeanB, nameof(MeanB));
    private readonly float stdR = Positive(StdR, nameof(StdR));
    private readonly float stdG = Positive(StdG, nameof(StdG));
    private readonly float stdB = Positive(StdB, nameof(StdB));

    /// <summary>ImageNet statistics (mean 0.485/0.456/0.406, std 0.229/0.224/0.225), the usual choice for photos.</summary>
    public static ImageNormalization Photo { get; } = new(0.485f, 0.456f, 0.406f, 0.229f, 0.224f, 0.225f);

    /// <summary>Mean 0.5 and std 0.5 on every channel, for sketches and sketch-tokens: white paper is +1, black ink −1.</summary>
    public static ImageNormalization Sketch { get; } = new(0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f);

    /// <summary>
    /// The input of the ImageNet ResNet-18 shipped in <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>: pixel values on
    /// the 0–255 scale minus the per-channel averages of its preprocessing model's mean image (R 123.15, G 115.90,
    /// B 103.06), no scaling. The ResNet-18 trunk (<c>ResNet18TrunkSpec</c>) uses it for photos, sketches and
    /// sketch-tokens (its first convolution is reordered from the file's B, G, R to R, G, B when the weights are loaded).
    /// </summary>
    public static ImageNormalization ResNet18Onnx { get; } = new(123.15f / 255f, 115.90f / 255f, 103.06f / 255f, 1f / 255f, 1f / 255f, 1f / 255f);

    /// <summary>Mean of the red channel, on the [0, 1] scale.</summary>
    public float MeanR { get => meanR; init => meanR = Finite(value, nameof(MeanR)); }

    /// <summary>Mean of the green channel, on the [0, 1] scale.</summary>
    public float MeanG { get => meanG; init => meanG = Finite(value, nameof(MeanG)); }

    /// <summary>Mean of the blue channel, on the [0, 1] scale.</summary>
    public float MeanB { get => meanB; init => meanB = Finite(value, nameof(MeanB)); }

    /// <summary>Standard deviation of the red channel (&gt; 0).</summary>
    public float StdR { get => stdR; init => stdR = Positive(value, nameof(StdR)); }

    /// <summary>Standard deviation of the green channel (&gt; 0).</summary>
    public float StdG { get => stdG; init => stdG = Positive(value, nameof(StdG)); }

    /// <summary>Standard deviation of the blue channel (&gt; 0).</summary>
    public float StdB { get => stdB; init => stdB = Positive(value, nameof(StdB)); }

    /// <summary>The normalised value of byte <paramref name="value"/> in channel <paramref name="channel"/> (0 = R, 1 = G, 2 = B).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not 0, 1 or 2.</exception>
    public float Apply(int channel, byte value)
    {
        (float scale, float offset) = Affine(channel);
        return value * scale + offset;
    }

    /// <summary>The map p ↦ p·Scale + Offset that channel <paramref name="channel"/> applies to bytes.</summary>
    internal (float Scale, float Offset) Affine(int channel)
    {
        (float mean, float std) = channel switch
        {
            0 => (MeanR, StdR),
            1 => (MeanG, StdG),
            2 => (MeanB, StdB),
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "The channel must be 0 (R), 1 (G) or 2 (B)."),
        };
        return (1f / (255f * std), -mean / std);
    }

    private static float Finite(float value, string name) => float.IsFinite(value)
        ? value
        : throw new ArgumentException($"{name} must be finite, not {value}.", name);

    private static float Positive(float value, string name) => float.IsFinite(value) && value > 0
        ? value
        : throw new ArgumentException($"{name} must be a finite value > 0, not {value}.", name);
}
