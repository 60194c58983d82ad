using Dsh.Quality.Pacs;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Quality.Tests;

/// <summary><c>sketch-classifier</c>'s keys and what it may do to a sketch before the trunk sees it.</summary>
public class SketchProbeTests
{
    private static readonly Rgb24 White = new(255, 255, 255);
    private static readonly Rgb24 Black = new(0, 0, 0);

    [Fact]
    public void NoKeysGiveTheProfilesProbe()
    {
        SketchProbeSettings settings = SketchProbeSettings.Parse([]);
        Assert.Equal((6, 1e-2, 1, 3, 0), (settings.Epochs, settings.LearningRate, settings.Seed, settings.Frozen, settings.QuickDrawPerCategory));
        Assert.Null(settings.FitMargin);
        Assert.False(settings.Skip || settings.Tokens);
        Assert.Equal(0, settings.MapCrop);
        Assert.Equal(512, settings.HeadInputs);
    }

    [Fact]
    public void KeysAreParsed()
    {
        SketchProbeSettings settings = SketchProbeSettings.Parse(["epochs=8", "fit=0.05", "skip=1", "mapCrop=4", "tokens=1", "seed=2"]);
        Assert.Equal((8, 2, 0.05, 4), (settings.Epochs, settings.Seed, settings.FitMargin!.Value, settings.MapCrop));
        Assert.True(settings.Skip && settings.Tokens);
        Assert.Equal(768, settings.HeadInputs);
    }

    [Theory]
    [InlineData("fit=2", "fit")]
    [InlineData("frozen=0", "frozen")]
    [InlineData("thicken=9", "thicken")]
    [InlineData("mapCrop=7", "mapCrop")]
    [InlineData("lr=0", "lr")]
    public void ValuesOutOfRangeAreRefusedByName(string argument, string key)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SketchProbeSettings.Parse([argument]));
        Assert.Equal(key, error.ParamName);
    }

    [Fact]
    public void SkipNeedsTheCachedLayer3Maps_AndUnknownKeysAreRefused()
    {
        Assert.Equal("skip", Assert.Throws<ArgumentOutOfRangeException>(() => SketchProbeSettings.Parse(["skip=1", "frozen=2"])).ParamName);
        Assert.Contains("'frozn'", Assert.Throws<ArgumentException>(() => SketchProbeSettings.Parse(["frozn=2"])).Message);
    }

    [Fact]
    public void FitToInkCentresTheInksBoxWithItsMarginOnAWhiteSquare()
    {
        // 40 × 20 canvas, ink box x 10..19, y 4..8: 10 × 5, longer side 10; margin 0.2 → 2 px each side → 14 × 14
        using var sketch = new Image<Rgb24>(40, 20, White);
        for (int x = 10; x < 20; x++)
        {
            sketch[x, 4] = Black;
            sketch[x, 8] = Black;
        }
        (Image<Rgb24> fitted, double share) = SketchProbeImages.FitToInk(sketch, 0.2);
        using (fitted)
        {
            Assert.Equal((14, 14), (fitted.Width, fitted.Height));
            Assert.Equal(10.0 / 40, share, 12);
            // the box lands at ((14 − 10) / 2, (14 − 5) / 2) = (2, 4): its top row at y 4, its bottom row at y 8
            for (int x = 0; x < 14; x++)
            {
                bool inside = x is >= 2 and < 12;
                Assert.Equal(inside ? Black : White, fitted[x, 4]);
                Assert.Equal(inside ? Black : White, fitted[x, 8]);
                Assert.Equal(White, fitted[x, 6]);
                Assert.Equal(White, fitted[x, 3]);
            }
        }
    }

    [Fact]
    public void FitToInkOfABlankSketchIsACopy()
    {
        using var blank = new Image<Rgb24>(8, 6, White);
        (Image<Rgb24> fitted, double share) = SketchProbeImages.FitToInk(blank, 0.1);
        using (fitted)
        {
            Assert.NotSame(blank, fitted);
            Assert.Equal((8, 6, 1.0), (fitted.Width, fitted.Height, share));
        }
    }

    [Fact]
    public void ThickenTurnsADotIntoASquareOfSideTwoRadiiPlusOne()
    {
        using var sketch = new Image<Rgb24>(9, 9, White);
        sketch[4, 4] = Black;
        SketchProbeImages.Thicken(sketch, 2);
        for (int y = 0; y < 9; y++)
        {
            for (int x = 0; x < 9; x++)
            {
                bool inside = Math.Abs(x - 4) <= 2 && Math.Abs(y - 4) <= 2;
                Assert.Equal(inside ? Black : White, sketch[x, y]);
            }
        }
    }
}
