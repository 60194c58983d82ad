using System.Numerics.Tensors;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace Dsh.Imaging;

/// <summary>Letterboxes images into normalised CHW float planes and batches them into tensors.</summary>
internal static class TensorWriter
{
    public static void Write(Image<Rgb24> image, ImageInputSpec input, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(input);
        int size = input.Size;
        ImageNormalization normalization = input.Normalization;
        RgbColor padColor = input.PadColor;
        long needed = 3L * size * size;
        if (destination.Length != needed)
        {
            throw new ArgumentException(
                $"The destination must hold 3·{size}·{size} = {needed} floats (CHW), not {destination.Length}.", nameof(destination));
        }

        (int width, int height) = FittedSize(image.Width, image.Height, size);
        int left = (size - width) / 2, top = (size - height) / 2, plane = size * size;
        Span<float> r = destination[..plane], g = destination.Slice(plane, plane), b = destination.Slice(2 * plane, plane);
        r.Fill(normalization.Apply(0, padColor.R));
        g.Fill(normalization.Apply(1, padColor.G));
        b.Fill(normalization.Apply(2, padColor.B));

        Image<Rgb24> fitted = width == image.Width && height == image.Height
            ? image
            : image.Clone(x => x.Resize(new ResizeOptions
            {
                Size = new Size(width, height),
                Mode = ResizeMode.Stretch,
                Sampler = KnownResamplers.Bicubic,
            }));
        try
        {
            byte[] bytes = new byte[3 * width];
            Span<byte> planes = bytes;
            Span<byte> rBytes = planes[..width], gBytes = planes.Slice(width, width), bBytes = planes.Slice(2 * width, width);
            var (rScale, rOffset) = normalization.Affine(0);
            var (gScale, gOffset) = normalization.Affine(1);
            var (bScale, bOffset) = normalization.Affine(2);
            for (int y = 0; y < height; y++)
            {
                Span<Rgb24> row = fitted.DangerousGetPixelRowMemory(y).Span;
                RgbPlanes.Split(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row), rBytes, gBytes, bBytes);
                int offset = (top + y) * size + left;
                WritePlaneRow(rBytes, rScale, rOffset, r.Slice(offset, width));
                WritePlaneRow(gBytes, gScale, gOffset, g.Slice(offset, width));
                WritePlaneRow(bBytes, bScale, bOffset, b.Slice(offset, width));
            }
        }
        finally
        {
            if (!ReferenceEquals(fitted, image))
            {
                fitted.Dispose();
            }
        }
    }

    public static Tensor ToTensor(IReadOnlyList<Image<Rgb24>> images, ImageInputSpec input) =>
        ToTensor(images, input, static (image, spec, destination) => Write(image, spec, destination));

    /// <summary>As the ImageSharp overload; each image is converted, written and released in turn.</summary>
    public static Tensor ToTensor(IReadOnlyList<RgbImage> images, ImageInputSpec input) =>
        ToTensor(images, input, static (image, spec, destination) =>
        {
            using Image<Rgb24> pixels = image.ToImage();
            Write(pixels, spec, destination);
        });

    private delegate void ImageWriter<in T>(T image, ImageInputSpec input, Span<float> destination);

    private static Tensor ToTensor<T>(IReadOnlyList<T> images, ImageInputSpec input, ImageWriter<T> write)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(input);
        int size = input.Size;
        if (images.Count == 0)
        {
            throw new ArgumentException("Pass at least one image; a batch of zero images has no tensor.", nameof(images));
        }
        long perImage = 3L * size * size, total = perImage * images.Count;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"{images.Count} images of 3×{size}×{size} need {total} floats, more than one array holds; split the batch.", nameof(images));
        }
        var data = new float[total];
        for (int i = 0; i < images.Count; i++)
        {
            T image = images[i] ?? throw new ArgumentException($"Image {i} is null.", nameof(images));
            write(image, input, data.AsSpan((int)(i * perImage), (int)perImage));
        }
        return torch.tensor(data, new long[] { images.Count, 3, size, size });
    }

    /// <summary>The size of a <paramref name="width"/>×<paramref name="height"/> image scaled so its longer side is <paramref name="size"/>.</summary>
    internal static (int Width, int Height) FittedSize(int width, int height, int size)
    {
        double scale = (double)size / Math.Max(width, height);
        int w = Math.Clamp((int)Math.Round(width * scale), 1, size);
        int h = Math.Clamp((int)Math.Round(height * scale), 1, size);
        return (w, h);
    }

    private static void WritePlaneRow(ReadOnlySpan<byte> bytes, float scale, float offset, Span<float> destination)
    {
        TensorPrimitives.ConvertChecked<byte, float>(bytes, destination);
        TensorPrimitives.Multiply(destination, scale, destination);
        TensorPrimitives.Add(destination, offset, destination);
    }
}
