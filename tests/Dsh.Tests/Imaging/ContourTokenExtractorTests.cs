using Dsh.Imaging.Contours;
using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp;
using static Dsh.Tests.Imaging.TestImages;

namespace Dsh.Tests.Imaging;

public class ContourTokenExtractorTests
{
    private const double Cx = 45.3, Cy = 50.1, Radius = 25;

    /// <summary>The fraction of outline points (64 angles) with an ink pixel (luma &lt; 128) within 2 px.</summary>
    private static double OutlineHitRate(Image<Rgb24> map, double cx, double cy, double radius)
    {
        int hits = 0;
        for (int k = 0; k < 64; k++)
        {
            double a = 2 * Math.PI * k / 64;
            int px = (int)Math.Round(cx + radius * Math.Cos(a)), py = (int)Math.Round(cy + radius * Math.Sin(a));
            bool hit = false;
            for (int dy = -2; dy <= 2 && !hit; dy++)
            {
                for (int dx = -2; dx <= 2 && !hit; dx++)
                {
                    int x = px + dx, y = py + dy;
                    hit = x >= 0 && y >= 0 && x < map.Width && y < map.Height && map[x, y].R < 128;
                }
            }
            hits += hit ? 1 : 0;
        }
        return hits / 64.0;
    }

    /// <summary>The fraction of white pixels among those more than <paramref name="margin"/> px from the outline.</summary>
    private static double WhiteAwayFromOutline(Image<Rgb24> map, double cx, double cy, double radius, double margin)
    {
        int total = 0, white = 0;
        for (int y = 0; y < map.Height; y++)
        {
            for (int x = 0; x < map.Width; x++)
            {
                double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                if (Math.Abs(d - radius) > margin)
                {
                    total++;
                    white += map[x, y].R == 255 ? 1 : 0;
                }
            }
        }
        return white / (double)total;
    }

    [Fact]
    public void DiscOnNoisyBackground_HasStrokesOnItsOutline_AndWhiteElsewhere()
    {
        using Image<Rgb24> photo = DiscPhoto(96, Cx, Cy, Radius, seed: 3);
        using Image<Rgb24> map = new ContourTokenExtractor().ExtractImage(photo);
        Assert.Equal((96, 96), (map.Width, map.Height));
        Assert.InRange(OutlineHitRate(map, Cx, Cy, Radius), 0.95, 1.0);
        Assert.InRange(WhiteAwayFromOutline(map, Cx, Cy, Radius, margin: 4), 0.98, 1.0);
        // Black on white, grey: R = G = B, and (no rescaling at this size) pure black or pure white.
        Assert.All(Pixels(map), p =>
        {
            Assert.True(p.R == p.G && p.G == p.B);
            Assert.True(p.R is 0 or 255);
        });
    }

    [Fact]
    public void LowContrastDisc_IsStillFound_TheThresholdsFollowTheImage()
    {
        using Image<Rgb24> photo = FromFunction(96, 96, (x, y) =>
        {
            double d = Math.Sqrt((x - Cx) * (x - Cx) + (y - Cy) * (y - Cy));
            byte v = (byte)((d <= Radius ? 185 : 200) + ((x * 7 + y * 13) % 3));   // 15 grey levels of contrast, faint texture
            return Grey(v);
        });
        using Image<Rgb24> map = new ContourTokenExtractor().ExtractImage(photo);
        Assert.InRange(OutlineHitRate(map, Cx, Cy, Radius), 0.95, 1.0);
        Assert.InRange(WhiteAwayFromOutline(map, Cx, Cy, Radius, margin: 4), 0.98, 1.0);
    }

    [Fact]
    public void FlatPhoto_GivesABlankMap()
    {
        using Image<Rgb24> photo = Solid(40, 30, new Rgb24(90, 120, 30));
        using Image<Rgb24> map = new ContourTokenExtractor().ExtractImage(photo);
        Assert.Equal((40, 30), (map.Width, map.Height));
        Assert.All(Pixels(map), p => Assert.Equal(Grey(255), p));
    }

    [Fact]
    public void IsDeterministic_AndLeavesThePhotoUnchanged()
    {
        using Image<Rgb24> photo = DiscPhoto(80, 40, 38, 20, seed: 11);
        Rgb24[] before = Pixels(photo);
        using Image<Rgb24> first = new ContourTokenExtractor().ExtractImage(photo);
        using Image<Rgb24> second = new ContourTokenExtractor(ContourTokenOptions.Default with { }).ExtractImage(photo);
        Assert.Equal(Pixels(first), Pixels(second));
        Assert.Equal(before, Pixels(photo));
    }

    [Fact]
    public void LargePhoto_IsProcessedSmaller_AndTheMapKeepsItsSize()
    {
        // 700×500: scaled to 320×229 for extraction, the map scaled back.
        double cx = 330, cy = 260, r = 150;
        using Image<Rgb24> photo = DiscPhoto(700, cx, cy, r, seed: 5);
        using Image<Rgb24> wide = photo.Clone(x => x.Crop(new Rectangle(0, 0, 700, 500)));
        using Image<Rgb24> map = new ContourTokenExtractor().ExtractImage(wide);
        Assert.Equal((700, 500), (map.Width, map.Height));
        Assert.All(Pixels(map), p => Assert.True(p.R == p.G && p.G == p.B));
        Assert.InRange(OutlineHitRate(map, cx, cy, r), 0.95, 1.0);
    }

    [Fact]
    public void BorderFade_RemovesAFrameAtTheImageEdge()
    {
        // A dark frame line in columns 1–2 and rows 1–2, plus the disc.
        using Image<Rgb24> photo = DiscPhoto(96, Cx, Cy, Radius, seed: 3);
        Rgb24[] pixels = Pixels(photo);
        using Image<Rgb24> framed = FromFunction(96, 96, (x, y) => x is 1 or 2 || y is 1 or 2 ? Grey(25) : pixels[y * 96 + x]);
        static int InkNearEdge(Image<Rgb24> map) => Enumerable.Range(0, map.Height)
            .Sum(y => Enumerable.Range(0, map.Width).Count(x => (x < 4 || y < 4) && map[x, y].R < 128));
        using Image<Rgb24> faded = new ContourTokenExtractor().ExtractImage(framed);
        using Image<Rgb24> unfaded = new ContourTokenExtractor(ContourTokenOptions.Default with { BorderFade = 0 }).ExtractImage(framed);
        Assert.True(InkNearEdge(unfaded) > 100, $"without the fade the frame is drawn ({InkNearEdge(unfaded)} ink pixels)");
        Assert.Equal(0, InkNearEdge(faded));
        Assert.InRange(OutlineHitRate(faded, Cx, Cy, Radius), 0.95, 1.0);
    }

    [Fact]
    public void StrokeRadius_ThickensTheLines()
    {
        using Image<Rgb24> photo = DiscPhoto(96, Cx, Cy, Radius, seed: 3);
        static int Ink(Image<Rgb24> map) => Pixels(map).Count(p => p.R < 128);
        using Image<Rgb24> thin = new ContourTokenExtractor(ContourTokenOptions.Default with { StrokeRadius = 0 }).ExtractImage(photo);
        using Image<Rgb24> thick = new ContourTokenExtractor().ExtractImage(photo);
        // One pixel wide around the circumference (~2πr ≈ 157), about three times that when dilated.
        Assert.InRange(Ink(thin), 120, 260);
        Assert.InRange(Ink(thick), 2.5 * Ink(thin), 3.6 * Ink(thin));
    }

    [Fact]
    public void Name_NamesTheAlgorithmAndEverySetting()
    {
        string name = new ContourTokenExtractor().Name;
        Assert.StartsWith("contour-v1(", name);
        Assert.Contains("scales=1,2", name);
        Assert.Contains("high=0.9", name);
        Assert.NotEqual(name, new ContourTokenExtractor(ContourTokenOptions.Default with { StrokeRadius = 2 }).Name);
        Assert.NotEqual(name, new ContourTokenExtractor(ContourTokenOptions.Default with { Scales = new[] { 1.5 } }).Name);
        Assert.NotEqual(name, new ContourTokenExtractor(ContourTokenOptions.Default with { LowRatio = 0.5 }).Name);
        Assert.Equal(name, new ContourTokenExtractor(ContourTokenOptions.Default with { Scales = new List<double> { 1, 2 } }).Name);
    }

    [Fact]
    public void Options_AreValidated()
    {
        ContourTokenOptions d = ContourTokenOptions.Default;
        Assert.Contains("Scales", Assert.Throws<ArgumentException>(() => new ContourTokenExtractor(d with { Scales = Array.Empty<double>() })).Message);
        Assert.Contains("Scales", Assert.Throws<ArgumentException>(() => new ContourTokenExtractor(d with { Scales = new[] { 1, -2.0 } })).Message);
        Assert.Contains("HighPercentile", Assert.Throws<ArgumentException>(() => (d with { HighPercentile = 1 }).Validated()).Message);
        Assert.Contains("HighPercentile", Assert.Throws<ArgumentException>(() => (d with { HighPercentile = double.NaN }).Validated()).Message);
        Assert.Contains("LowRatio", Assert.Throws<ArgumentException>(() => (d with { LowRatio = 0 }).Validated()).Message);
        Assert.Contains("MinHighFraction", Assert.Throws<ArgumentException>(() => (d with { MinHighFraction = -0.1 }).Validated()).Message);
        Assert.Contains("MinStrokePixels", Assert.Throws<ArgumentException>(() => (d with { MinStrokePixels = 0 }).Validated()).Message);
        Assert.Contains("StrokeRadius", Assert.Throws<ArgumentException>(() => (d with { StrokeRadius = 5 }).Validated()).Message);
        Assert.Contains("BorderFade", Assert.Throws<ArgumentException>(() => (d with { BorderFade = -1 }).Validated()).Message);
        Assert.Contains("MaxWorkingSide", Assert.Throws<ArgumentException>(() => (d with { MaxWorkingSide = 8 }).Validated()).Message);
    }

    [Fact]
    public void Kernels_BlurKeepsAConstant_SobelOfARampIsConstant_DilationGrowsAPoint()
    {
        var constant = new Plane(7, 5, Enumerable.Repeat(0.3f, 35).ToArray());
        Assert.All(GaussianBlur.Apply(constant, 2).Data, v => Assert.Equal(0.3f, v, 5));
        Assert.Equal(1f, GaussianBlur.Kernel(1.5).Sum(), 5);

        // luma = 0.1·x: interior gx = (0.2)·(1 + 2 + 1) = 0.8, gy = 0.
        var ramp = new Plane(6, 4, Enumerable.Range(0, 24).Select(i => 0.1f * (i % 6)).ToArray());
        (Plane gx, Plane gy) = SobelGradient.Apply(ramp);
        Assert.Equal(0.8f, gx.Data[1 * 6 + 2], 5);
        Assert.Equal(0f, gy.Data[1 * 6 + 2], 5);

        var point = new Plane(5, 5);
        point.Data[2 * 5 + 2] = 1;
        Plane grown = Morphology.Dilate(point, 1);
        Assert.Equal(9, grown.Data.Count(v => v == 1));
        Assert.Equal(1, grown.Data[1 * 5 + 1]);
        Assert.Equal(0, grown.Data[0]);
    }
}
