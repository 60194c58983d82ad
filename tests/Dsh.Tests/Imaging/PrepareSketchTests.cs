using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static Dsh.Tests.Imaging.TestImages;

namespace Dsh.Tests.Imaging;

public class PrepareSketchTests
{
    /// <summary>A cross of <paramref name="ink"/> (anti-aliased edge of value <paramref name="soft"/>) on <paramref name="paper"/>.</summary>
    private static Image<Rgb24> Cross(byte paper, byte ink, byte soft) => FromFunction(40, 40, (x, y) =>
        x == 20 || y == 20 ? Grey(ink) : x == 21 || y == 21 ? Grey(soft) : Grey(paper));

    [Fact]
    public void BlackOnWhite_IsKept()
    {
        using Image<Rgb24> sketch = Cross(paper: 255, ink: 0, soft: 128);
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(sketch);
        Assert.NotSame(sketch, prepared);
        Assert.Equal(Pixels(sketch), Pixels(prepared));
    }

    [Fact]
    public void WhiteOnBlack_IsInverted()
    {
        using Image<Rgb24> sketch = Cross(paper: 0, ink: 255, soft: 100);
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(sketch);
        Assert.Equal(Grey(255), prepared[3, 3]);
        Assert.Equal(Grey(0), prepared[20, 5]);
        Assert.Equal(Grey(155), prepared[21, 5]);
    }

    [Fact]
    public void DarkPaper_IsDetectedEvenWhenStrokesFillTheMiddle()
    {
        // White strokes cover most of the middle, but the border (the paper) is dark.
        using Image<Rgb24> sketch = FromFunction(64, 64, (x, y) => x > 4 && x < 59 && y > 4 && y < 59 && (x + y) % 3 != 0 ? Grey(250) : Grey(10));
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(sketch);
        Assert.Equal(Grey(245), prepared[0, 0]);
    }

    [Fact]
    public void Colour_BecomesLumaOnAllThreeChannels()
    {
        using Image<Rgb24> sketch = FromFunction(16, 16, (x, y) => x == 8 ? new Rgb24(200, 0, 0) : new Rgb24(250, 250, 250));
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(sketch);
        Rgb24 stroke = prepared[8, 8];
        Assert.Equal(stroke.R, stroke.G);
        Assert.Equal(stroke.R, stroke.B);
        Assert.InRange(stroke.R, 35, 50);     // BT.709: 0.2126 · 200 ≈ 43
        Assert.Equal(Grey(250), prepared[0, 0]);
    }

    [Fact]
    public void Threshold_Binarises_AfterInversion()
    {
        using Image<Rgb24> sketch = Cross(paper: 255, ink: 0, soft: 128);
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(sketch, new SketchPreparation { Threshold = 200 });
        Assert.Equal(Grey(0), prepared[21, 5]);       // the anti-aliased 128 is ink now
        Assert.Equal(Grey(255), prepared[3, 3]);
        Assert.All(Pixels(prepared), p => Assert.True(p.R is 0 or 255));

        using Image<Rgb24> dark = Cross(paper: 0, ink: 255, soft: 100);
        using Image<Rgb24> both = DshImaging.PrepareSketch(dark, new SketchPreparation { Threshold = 128 });
        Assert.Equal(Grey(255), both[3, 3]);
        Assert.Equal(Grey(0), both[20, 5]);
        Assert.Equal(Grey(255), both[21, 5]);         // 255 − 100 = 155 ≥ 128
    }

    [Fact]
    public void ExplicitInvert_OverridesDetection()
    {
        using Image<Rgb24> sketch = Cross(paper: 255, ink: 0, soft: 128);
        using Image<Rgb24> inverted = DshImaging.PrepareSketch(sketch, new SketchPreparation { Invert = true });
        Assert.Equal(Grey(0), inverted[3, 3]);
        using Image<Rgb24> dark = Cross(paper: 0, ink: 255, soft: 100);
        using Image<Rgb24> kept = DshImaging.PrepareSketch(dark, new SketchPreparation { Invert = false });
        Assert.Equal(Pixels(dark), Pixels(kept));
    }

    [Fact]
    public void ZeroThreshold_IsRejected()
    {
        using Image<Rgb24> sketch = Cross(255, 0, 128);
        Assert.Contains("Threshold", Assert.Throws<ArgumentException>(() => DshImaging.PrepareSketch(sketch, new SketchPreparation { Threshold = 0 })).Message);
    }
}
