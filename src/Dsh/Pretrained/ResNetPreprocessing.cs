using Dsh.Imaging;
using Dsh.Native;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Pretrained;

/// <summary>
/// Images → the input <c>ResNet18.onnx</c> (and so <see cref="ResNet18Trunk"/> with imported weights) expects, as
/// <c>ResNetPreprocess.onnx</c> of the same NuGet package computes it: RGB pixel values 0–255 (no scaling), channels
/// reordered to B, G, R, then the 3×224×224 ImageNet mean image (<c>MeanImage</c>) subtracted pixel by pixel.
/// Images are letterboxed like the rest of Dsh (see docs/pretrained.md).
/// </summary>
public static class ResNetPreprocessing
{
    /// <summary>The input size the model was exported for and the mean image has: 224.</summary>
    public const int NativeSize = 224;

    /// <summary>
    /// Where the package's build props copy the preprocessing model:
    /// <c>AppContext.BaseDirectory/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx</c>.
    /// </summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    private static string MissingHint { get; } =
        $"Add the NuGet package {ResNet18Onnx.PackageId} (version {ResNet18Onnx.PackageVersion}) to the application: its build props copy " +
        $"DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx next to the program, the default path {DefaultPath}. Or pass the path of a copy.";

    /// <summary>The mean image of the file at <see cref="DefaultPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the package to add.</exception>
    /// <exception cref="InvalidDataException">The file is not the preprocessing graph.</exception>
    public static Tensor LoadMeanImage() => LoadMeanImage(DefaultPath);

    /// <summary>
    /// The mean image of <c>ResNetPreprocess.onnx</c>, float32 [3, 224, 224] in B, G, R order (per-channel averages
    /// ≈ 103.1, 115.9, 123.2). The graph is checked to be exactly Split → Concat(B, G, R) → Sub(mean image).
    /// </summary>
    /// <param name="onnxPath">The preprocessing model.</param>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the package to add.</exception>
    /// <exception cref="InvalidDataException">The file is not the preprocessing graph; the message names the node.</exception>
    public static Tensor LoadMeanImage(string onnxPath)
    {
        (float[] values, long height, long width) = ResNetMeanImageReader.Read(onnxPath, MissingHint);
        return tensor(values, [3, height, width]);
    }

    /// <summary>
    /// The mean image at <paramref name="size"/>×<paramref name="size"/>: itself at its own size, otherwise resized
    /// bilinearly (half-pixel centres, no anti-aliasing), so its spatial pattern scales with the image.
    /// </summary>
    /// <param name="meanImage">[3, H, W], as <see cref="LoadMeanImage(string)"/> returns it.</param>
    /// <param name="size">The side of the network input (≥ 1).</param>
    public static Tensor MeanImageAt(Tensor meanImage, int size)
    {
        CheckMeanImage(meanImage);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (meanImage.shape[1] == size && meanImage.shape[2] == size)
        {
            return meanImage.to_type(ScalarType.Float32, copy: true);
        }
        using var scope = NewDisposeScope();
        Tensor batch = meanImage.to_type(ScalarType.Float32).unsqueeze(0);
        return nn.functional.interpolate(batch, [size, size], mode: InterpolationMode.Bilinear, align_corners: false)
            .squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The colour letterbox padding gets: the mean image's per-channel average, rounded (R 123, G 116, B 103 for the
    /// shipped file), so padded pixels come out ≈ 0 after the subtraction.
    /// </summary>
    /// <param name="meanImage">[3, H, W] in B, G, R order.</param>
    public static RgbColor PadColor(Tensor meanImage)
    {
        CheckMeanImage(meanImage);
        using var scope = NewDisposeScope();
        float[] bgr = meanImage.to_type(ScalarType.Float32).mean([1L, 2L]).data<float>().ToArray();
        static byte Round(float v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
        return new RgbColor(Round(bgr[2]), Round(bgr[1]), Round(bgr[0]));
    }

    /// <summary>
    /// A float32 batch [N, 3, size, size] for the trunk: each image letterboxed to <paramref name="size"/> (scaled,
    /// bicubic, so its longer side fits; centred; padded with <see cref="PadColor"/>; an image already
    /// size×size is taken pixel for pixel), then <see cref="FromRgb"/>.
    /// </summary>
    /// <param name="images">At least one image.</param>
    /// <param name="meanImage">[3, H, W] in B, G, R order, as <see cref="LoadMeanImage(string)"/> returns it.</param>
    /// <param name="size">The side of the network input; <see cref="NativeSize"/> reproduces the ONNX pipeline exactly.</param>
    public static Tensor ToTensor(IReadOnlyList<RgbImage> images, Tensor meanImage, int size = NativeSize)
    {
        using var scope = NewDisposeScope();
        Tensor unit = TensorWriter.ToTensor(images, new ImageInputSpec(size, PadColor(meanImage), UnitPixels));
        return FromRgb(unit.TimesInPlace(255).round_(), meanImage).MoveToOuterDisposeScope();
    }

    /// <summary>As <see cref="ToTensor(IReadOnlyList{RgbImage}, Tensor, int)"/>, for ImageSharp images.</summary>
    internal static Tensor ToTensor(IReadOnlyList<Image<Rgb24>> images, Tensor meanImage, int size = NativeSize)
    {
        using var scope = NewDisposeScope();
        Tensor rgb = ToRgbTensor(images, size, PadColor(meanImage));
        return FromRgb(rgb, meanImage).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// What <c>ResNetPreprocess.onnx</c> computes, for any size: [N, 3, S, S] RGB values 0–255 → channels reversed to
    /// B, G, R → minus <see cref="MeanImageAt"/>(meanImage, S).
    /// </summary>
    /// <param name="rgb">[N, 3, S, S] float32 RGB planes, values 0–255.</param>
    /// <param name="meanImage">[3, H, W] in B, G, R order.</param>
    public static Tensor FromRgb(Tensor rgb, Tensor meanImage)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.dim() != 4 || rgb.shape[1] != 3 || rgb.shape[2] != rgb.shape[3])
        {
            throw new ArgumentException($"Expected square RGB planes [N, 3, S, S], got [{string.Join(", ", rgb.shape)}].", nameof(rgb));
        }
        using var scope = NewDisposeScope();
        Tensor mean = MeanImageAt(meanImage, (int)rgb.shape[2]).to(rgb.device);
        return rgb.flip(1).sub(mean.unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>The letterboxed RGB planes, values 0–255: the input of <c>ResNetPreprocess.onnx</c>.</summary>
    internal static Tensor ToRgbTensor(IReadOnlyList<Image<Rgb24>> images, int size, RgbColor padColor)
    {
        // The writer yields byte / 255 with this normalisation; × 255 and rounding gives the bytes back exactly.
        Tensor unit = TensorWriter.ToTensor(images, new ImageInputSpec(size, padColor, UnitPixels));
        return unit.TimesInPlace(255).round_();
    }

    private static ImageNormalization UnitPixels { get; } = new(0f, 0f, 0f, 1f, 1f, 1f);

    private static void CheckMeanImage(Tensor meanImage)
    {
        ArgumentNullException.ThrowIfNull(meanImage);
        if (meanImage.dim() != 3 || meanImage.shape[0] != 3)
        {
            throw new ArgumentException($"Expected a mean image [3, H, W], got [{string.Join(", ", meanImage.shape)}].", nameof(meanImage));
        }
    }
}
