using Dsh.Imaging;
using Dsh.Pretrained;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary>The mean image of ResNetPreprocess.onnx and what Dsh does with it.</summary>
public sealed class ResNetPreprocessingTests
{
    [Fact]
    public void The_mean_image_is_3x224x224_BGR()
    {
        using Tensor mean = ResNetPreprocessing.LoadMeanImage(PretrainedFiles.Preprocess);
        Assert.Equal(new long[] { 3, 224, 224 }, mean.shape);
        float[] channelMeans = mean.mean([1L, 2L]).data<float>().ToArray();
        Assert.Equal(103.06, channelMeans[0], 0.01); // B
        Assert.Equal(115.90, channelMeans[1], 0.01); // G
        Assert.Equal(123.15, channelMeans[2], 0.01); // R
        Assert.Equal(114.4211f, mean[0, 0, 0].item<float>(), 3);
        Assert.Equal(new RgbColor(123, 116, 103), ResNetPreprocessing.PadColor(mean));
    }

    [Fact]
    public void At_the_native_size_the_mean_image_is_used_as_is_and_resized_otherwise()
    {
        using var scope = NewDisposeScope();
        Tensor mean = ResNetPreprocessing.LoadMeanImage(PretrainedFiles.Preprocess);
        Assert.True(ResNetPreprocessing.MeanImageAt(mean, 224).eq(mean).all().item<bool>());
        Tensor small = ResNetPreprocessing.MeanImageAt(mean, 112);
        Assert.Equal(new long[] { 3, 112, 112 }, small.shape);
        Assert.True(small.mean([1L, 2L]).allclose(mean.mean([1L, 2L]), rtol: 0, atol: 0.05));
    }

    [Fact]
    public void Channels_are_reversed_and_the_mean_subtracted()
    {
        using var scope = NewDisposeScope();
        Tensor mean = ResNetPreprocessing.LoadMeanImage(PretrainedFiles.Preprocess);
        using var image = new Image<Rgb24>(224, 224, new Rgb24(200, 100, 10));
        Tensor x = ResNetPreprocessing.ToTensor([image], mean);
        Assert.Equal(new long[] { 1, 3, 224, 224 }, x.shape);
        Assert.Equal(10f - mean[0, 5, 7].item<float>(), x[0, 0, 5, 7].item<float>());
        Assert.Equal(100f - mean[1, 5, 7].item<float>(), x[0, 1, 5, 7].item<float>());
        Assert.Equal(200f - mean[2, 5, 7].item<float>(), x[0, 2, 5, 7].item<float>());
    }

    [Fact]
    public void Letterbox_padding_is_the_mean_colour_minus_the_mean_image()
    {
        using var scope = NewDisposeScope();
        Tensor mean = ResNetPreprocessing.LoadMeanImage(PretrainedFiles.Preprocess);
        using var wide = new Image<Rgb24>(300, 100, new Rgb24(0, 0, 0));
        Tensor x = ResNetPreprocessing.ToTensor([wide], mean, 160);
        Assert.Equal(new long[] { 1, 3, 160, 160 }, x.shape);
        // The 300×100 picture becomes 160×53, centred: row 0 is padding, the mean colour minus the mean image.
        RgbColor pad = ResNetPreprocessing.PadColor(mean);
        Tensor bgr = tensor(new float[] { pad.B, pad.G, pad.R }).reshape(3, 1);
        Tensor expected = bgr - ResNetPreprocessing.MeanImageAt(mean, 160)[.., 0, ..];
        Assert.True(x[0, .., 0, ..].allclose(expected, rtol: 0, atol: 1e-4));
    }
}
