using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Quality.Pacs;

/// <summary>
/// The two fixed, learning-free features of the pixel baselines, for sketches and photos alike: the image is decoded
/// (<see cref="DshImaging.Load(string)"/>), a sketch is prepared as the DSH pipeline prepares it
/// (<see cref="DshImaging.PrepareSketch"/>: grey strokes on white, inverted if drawn on dark paper), then letterboxed
/// as the networks' inputs are (<see cref="DshImaging.WriteTensor"/>: bicubic, longer side to the target size, padding
/// white for sketches and the ImageNet mean colour for photos) and reduced to BT.709 luma in [0, 1].
/// <list type="bullet">
/// <item><b>Pixels</b>: the <see cref="PixelSize"/>² grey values (1,024-d), row-major.</item>
/// <item><b>HOG</b>: <see cref="HogDescriptor"/> of the <see cref="HogDescriptor.ImageSize"/>² grey image.</item>
/// </list>
/// </summary>
internal sealed class HandMadeFeatures(HogDescriptor hog, int pixelSize = 32)
{
    private static readonly ImageNormalization Identity = new(0f, 0f, 0f, 1f, 1f, 1f);

    public int PixelSize { get; } = pixelSize;
    public HogDescriptor Hog { get; } = hog;

    /// <summary>Pixel and HOG features of one image file.</summary>
    public (float[] Pixels, float[] Hog) Compute(string path, bool isSketch)
    {
        using Image<Rgb24> raw = DshImaging.Load(path);
        if (!isSketch)
        {
            return Compute(raw, isSketch);
        }
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(raw);
        return Compute(prepared, isSketch);
    }

    /// <summary>Pixel and HOG features of an image that is already prepared (sketches: <see cref="DshImaging.PrepareSketch"/>).</summary>
    public (float[] Pixels, float[] Hog) Compute(Image<Rgb24> image, bool isSketch)
    {
        RgbColor pad = isSketch ? DshImaging.SketchPadColor : DshImaging.PhotoPadColor;
        return (GreyPlane(image, PixelSize, pad), Hog.Compute(GreyPlane(image, Hog.ImageSize, pad)));
    }

    /// <summary>The letterboxed image as a row-major size² plane of BT.709 luma in [0, 1].</summary>
    public static float[] GreyPlane(Image<Rgb24> image, int size, RgbColor padColor)
    {
        int plane = size * size;
        var rgb = new float[3 * plane];
        DshImaging.WriteTensor(image, new ImageInputSpec(size, padColor, Identity), rgb);
        var grey = new float[plane];
        for (int i = 0; i < plane; i++)
        {
            grey[i] = 0.2126f * rgb[i] + 0.7152f * rgb[plane + i] + 0.0722f * rgb[2 * plane + i];
        }
        return grey;
    }
}
