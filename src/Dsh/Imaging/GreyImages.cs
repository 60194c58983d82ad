using System.Numerics.Tensors;
using System.Numerics;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Imaging;

/// <summary>Grey (luma) buffers to and from images, and the byte kernels that work on them.</summary>
internal static class GreyImages
{
    /// <summary>The BT.709 luma of every pixel, row-major, one byte each.</summary>
    public static byte[] Luma(Image<Rgb24> image)
    {
        using Image<L8> grey = image.CloneAs<L8>();
        var luma = new byte[image.Width * image.Height];
        grey.CopyPixelDataTo(luma);
        return luma;
    }

    /// <summary>The luma of every pixel on the [0, 1] scale, row-major.</summary>
    public static float[] LumaPlane(Image<Rgb24> image)
    {
        byte[] luma = Luma(image);
        var plane = new float[luma.Length];
        TensorPrimitives.ConvertChecked<byte, float>(luma, plane);
        TensorPrimitives.Multiply(plane, 1f / 255f, plane);
        return plane;
    }

    /// <summary>A new RGB image with R = G = B = <paramref name="luma"/>.</summary>
    public static Image<Rgb24> FromLuma(ReadOnlySpan<byte> luma, int width, int height)
    {
        using Image<L8> grey = Image.LoadPixelData<L8>(luma, width, height);
        return grey.CloneAs<Rgb24>();
    }

    /// <summary>Replaces every byte v by 255 − v.</summary>
    public static void Invert(Span<byte> values) => TensorPrimitives.OnesComplement<byte>(values, values);

    /// <summary>Replaces every byte by 255 when it is ≥ <paramref name="threshold"/>, else by 0.</summary>
    public static void Threshold(Span<byte> values, byte threshold)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<byte>.Count)
        {
            var limit = new Vector<byte>(threshold);
            for (; i <= values.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Span<byte> chunk = values.Slice(i, Vector<byte>.Count);
                Vector.GreaterThanOrEqual(new Vector<byte>(chunk), limit).CopyTo(chunk);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = values[i] >= threshold ? (byte)255 : (byte)0;
        }
    }
}
