using Dsh.Imaging;
using Dsh.Quality.Pacs;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Quality.Tests;

public class HandMadeFeaturesTests
{
    [Fact]
    public void Grey_plane_is_the_luma_of_the_resized_image()
    {
        using var image = new Image<Rgb24>(64, 64, new Rgb24(255, 0, 0)); // pure red: BT.709 luma 0.2126
        float[] plane = HandMadeFeatures.GreyPlane(image, 8, DshImaging.SketchPadColor);
        Assert.Equal(64, plane.Length);
        Assert.All(plane, v => Assert.Equal(0.2126f, v, 1e-3f));
    }

    [Fact]
    public void A_wide_image_is_letterboxed_with_the_pad_colour()
    {
        using var image = new Image<Rgb24>(64, 32, new Rgb24(0, 0, 0)); // black, twice as wide as high
        float[] plane = HandMadeFeatures.GreyPlane(image, 8, DshImaging.SketchPadColor);
        Assert.Equal(1f, plane[0], 1e-3f);                 // top row: white padding
        Assert.Equal(0f, plane[4 * 8 + 4], 1e-3f);         // centre: the black image
        Assert.Equal(1f, plane[7 * 8 + 7], 1e-3f);         // bottom row: padding
    }

    [Fact]
    public void Sketch_and_photo_features_have_the_configured_sizes_and_see_the_strokes()
    {
        var features = new HandMadeFeatures(new HogDescriptor(32, 8, 9), pixelSize: 16);
        using var sketch = new Image<Rgb24>(40, 40, new Rgb24(255, 255, 255));
        for (int y = 0; y < 40; y++)
        {
            sketch[20, y] = new Rgb24(0, 0, 0); // one vertical stroke
        }
        var (pixels, hog) = features.Compute(sketch, isSketch: true);
        Assert.Equal(16 * 16, pixels.Length);
        Assert.Equal(features.Hog.Length, hog.Length);
        Assert.True(pixels.Min() < 0.8f && pixels.Max() > 0.99f);
        Assert.True(hog.Sum() > 0);
        using var blank = new Image<Rgb24>(40, 40, new Rgb24(255, 255, 255));
        Assert.All(features.Compute(blank, isSketch: true).Hog, v => Assert.Equal(0f, v, 1e-6f));
    }
}
