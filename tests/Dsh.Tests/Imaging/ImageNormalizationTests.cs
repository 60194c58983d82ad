using Dsh.Imaging;

namespace Dsh.Tests.Imaging;

public class ImageNormalizationTests
{
    [Fact]
    public void Constants_AreImageNetForPhotosAndHalfForSketches()
    {
        ImageNormalization p = ImageNormalization.Photo;
        Assert.Equal((0.485f, 0.456f, 0.406f, 0.229f, 0.224f, 0.225f), (p.MeanR, p.MeanG, p.MeanB, p.StdR, p.StdG, p.StdB));
        ImageNormalization s = ImageNormalization.Sketch;
        Assert.Equal((0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f), (s.MeanR, s.MeanG, s.MeanB, s.StdR, s.StdG, s.StdB));
        Assert.Equal(1f, s.Apply(0, 255), 6);
        Assert.Equal(-1f, s.Apply(2, 0), 6);
    }

    [Fact]
    public void Apply_IsPixelOver255MinusMeanOverStd()
    {
        ImageNormalization p = ImageNormalization.Photo;
        Assert.Equal((200 / 255f - 0.485f) / 0.229f, p.Apply(0, 200), 5);
        Assert.Equal((10 / 255f - 0.456f) / 0.224f, p.Apply(1, 10), 5);
        Assert.Equal((128 / 255f - 0.406f) / 0.225f, p.Apply(2, 128), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Apply(3, 0));
    }

    [Fact]
    public void Validation_RejectsZeroNegativeAndNonFiniteValues_InConstructorAndWith()
    {
        Assert.Contains("StdG", Assert.Throws<ArgumentException>(() => new ImageNormalization(0, 0, 0, 1, 0, 1)).Message);
        Assert.Contains("StdB", Assert.Throws<ArgumentException>(() => new ImageNormalization(0, 0, 0, 1, 1, -1)).Message);
        Assert.Contains("MeanR", Assert.Throws<ArgumentException>(() => new ImageNormalization(float.NaN, 0, 0, 1, 1, 1)).Message);
        Assert.Contains("StdR", Assert.Throws<ArgumentException>(() => ImageNormalization.Photo with { StdR = float.PositiveInfinity }).Message);
        Assert.Contains("MeanB", Assert.Throws<ArgumentException>(() => ImageNormalization.Photo with { MeanB = float.NaN }).Message);
        Assert.Equal(0.3f, (ImageNormalization.Photo with { StdG = 0.3f }).StdG);
        Assert.Equal(ImageNormalization.Sketch, new ImageNormalization(0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f));
    }
}
