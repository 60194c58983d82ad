using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using TorchSharp;
using static Dsh.Tests.Imaging.TestImages;
using static TorchSharp.torch;

namespace Dsh.Tests.Imaging;

public class TensorTests
{
    private const float Tolerance = 1e-5f;

    [Fact]
    public void NoResize_WritesCentredRowsInChwOrder_AndPadsTopAndBottom()
    {
        // 4×2 at size 4: no scaling; image rows land on rows 1 and 2, rows 0 and 3 are padding.
        using Image<Rgb24> image = FromFunction(4, 2, (x, y) => new Rgb24((byte)(10 * x + y), (byte)(100 + x), (byte)(200 + y)));
        var pad = new RgbColor(1, 2, 3);
        ImageNormalization n = ImageNormalization.Photo;
        var dest = new float[3 * 16];
        DshImaging.WriteTensor(image, new ImageInputSpec(4, pad, n), dest);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 4; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    byte expected = y is 0 or 3
                        ? (c == 0 ? pad.R : c == 1 ? pad.G : pad.B)
                        : Channel(image[x, y - 1], c);
                    Assert.Equal(Reference(n, c, expected), dest[c * 16 + y * 4 + x], Tolerance);
                }
            }
        }
    }

    [Fact]
    public void WideImage_IsScaledToTheLongerSide_AndCentredVertically()
    {
        // 2×1 of one colour at size 4 → a 4×2 block on rows 1–2; rows 0 and 3 hold the normalised pad colour.
        using Image<Rgb24> image = Solid(2, 1, new Rgb24(10, 20, 30));
        var dest = new float[3 * 16];
        DshImaging.WriteTensor(image, new ImageInputSpec(4, DshImaging.SketchPadColor, ImageNormalization.Sketch), dest);
        float white = 1f;
        for (int x = 0; x < 4; x++)
        {
            Assert.Equal(white, dest[0 * 16 + 0 * 4 + x], Tolerance);
            Assert.Equal(white, dest[2 * 16 + 3 * 4 + x], Tolerance);
            for (int y = 1; y <= 2; y++)
            {
                Assert.Equal(10 / 127.5f - 1, dest[0 * 16 + y * 4 + x], 0.01f);
                Assert.Equal(20 / 127.5f - 1, dest[1 * 16 + y * 4 + x], 0.01f);
                Assert.Equal(30 / 127.5f - 1, dest[2 * 16 + y * 4 + x], 0.01f);
            }
        }
    }

    [Fact]
    public void TallImage_IsCentredHorizontally_WithTheOddLeftoverOnTheRight()
    {
        // 2×6 at size 3 → 1×3, column 1; columns 0 and 2 are padding.
        using Image<Rgb24> image = Solid(2, 6, new Rgb24(0, 0, 0));
        var dest = new float[27];
        DshImaging.WriteTensor(image, new ImageInputSpec(3, DshImaging.SketchPadColor, ImageNormalization.Sketch), dest);
        for (int y = 0; y < 3; y++)
        {
            Assert.Equal(1f, dest[y * 3 + 0], Tolerance);
            Assert.Equal(-1f, dest[y * 3 + 1], 0.01f);
            Assert.Equal(1f, dest[y * 3 + 2], Tolerance);
        }
        Assert.Equal((1, 3), TensorWriterFitted(2, 6, 3));
        Assert.Equal((200, 100), TensorWriterFitted(454, 227, 200));
    }

    [Fact]
    public void PhotoPadColor_NormalisesToAboutZero()
    {
        using Image<Rgb24> image = Solid(3, 1, new Rgb24(0, 0, 0));
        var dest = new float[3 * 9];
        DshImaging.WriteTensor(image, new ImageInputSpec(3, DshImaging.PhotoPadColor, ImageNormalization.Photo), dest);
        foreach (int c in new[] { 0, 1, 2 })
        {
            Assert.InRange(dest[c * 9 + 0], -0.01f, 0.01f);   // row 0 is padding
        }
    }

    [Fact]
    public void WrongDestinationLength_Throws()
    {
        using Image<Rgb24> image = Solid(3, 3, Grey(9));
        var e = Assert.Throws<ArgumentException>(() => DshImaging.WriteTensor(image, new ImageInputSpec(4, DshImaging.SketchPadColor, ImageNormalization.Sketch), new float[47]));
        Assert.Contains("48", e.Message);
        Assert.Throws<ArgumentException>(() => DshImaging.WriteTensor(image, new ImageInputSpec(4, DshImaging.SketchPadColor, ImageNormalization.Sketch), new float[49]));
        Assert.ThrowsAny<ArgumentException>(() => DshImaging.WriteTensor(image, new ImageInputSpec(0, DshImaging.SketchPadColor, ImageNormalization.Sketch), Array.Empty<float>()));
    }

    [Fact]
    public void ToTensor_StacksImagesAsFloat32Nchw()
    {
        using var scope = NewDisposeScope();
        using Image<Rgb24> a = FromFunction(5, 5, (x, y) => new Rgb24((byte)(x * 50), (byte)(y * 50), 7));
        using Image<Rgb24> b = Solid(5, 5, new Rgb24(255, 0, 128));
        Tensor t = DshImaging.ToTensor(new[] { a, b }, new ImageInputSpec(5, DshImaging.SketchPadColor, ImageNormalization.Sketch));
        Assert.Equal(new long[] { 2, 3, 5, 5 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        var expectedA = new float[75];
        DshImaging.WriteTensor(a, new ImageInputSpec(5, DshImaging.SketchPadColor, ImageNormalization.Sketch), expectedA);
        Assert.Equal(expectedA, t[0].flatten().data<float>().ToArray());
        Assert.Equal(1f, t[1, 0, 2, 2].item<float>(), Tolerance);
        Assert.Equal(-1f, t[1, 1, 2, 2].item<float>(), Tolerance);
        Assert.Equal(128 / 127.5f - 1, t[1, 2, 4, 4].item<float>(), Tolerance);
    }

    [Fact]
    public void ToTensor_RejectsEmptyAndNull()
    {
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() =>
            DshImaging.ToTensor(Array.Empty<Image<Rgb24>>(), new ImageInputSpec(4, DshImaging.SketchPadColor, ImageNormalization.Sketch))).Message);
        Assert.Throws<ArgumentException>(() => DshImaging.ToTensor(new Image<Rgb24>[] { null! }, new ImageInputSpec(4, DshImaging.SketchPadColor, ImageNormalization.Sketch)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(47)]
    [InlineData(227)]
    public void RgbPlanes_MatchTheScalarSplit(int pixels)
    {
        var random = new Random(pixels);
        var rgb = new byte[3 * pixels];
        random.NextBytes(rgb);
        var r = new byte[pixels];
        var g = new byte[pixels];
        var b = new byte[pixels];
        RgbPlanes.Split(rgb, r, g, b);
        for (int i = 0; i < pixels; i++)
        {
            Assert.Equal((rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]), (r[i], g[i], b[i]));
        }
    }

    private static (int, int) TensorWriterFitted(int w, int h, int size) => TensorWriter.FittedSize(w, h, size);

    private static byte Channel(Rgb24 p, int c) => c == 0 ? p.R : c == 1 ? p.G : p.B;

    private static float Reference(ImageNormalization n, int c, byte p) => c switch
    {
        0 => (p / 255f - n.MeanR) / n.StdR,
        1 => (p / 255f - n.MeanG) / n.StdG,
        _ => (p / 255f - n.MeanB) / n.StdB,
    };
}
