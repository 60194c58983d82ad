using Dsh.Imaging.Augmentation;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using TorchSharp;
using static Dsh.Tests.Imaging.TestImages;
using static TorchSharp.torch;

namespace Dsh.Tests.Imaging;

/// <summary>
/// Binds the public imaging names (on <see cref="RgbImage"/>) and the internal ones the dataset, trainer and model code
/// call: if one is renamed or its signature changes, this file stops compiling. Then runs the whole path into the
/// compact network.
/// </summary>
public class ImagingSurfaceTests
{
    private delegate void WriteTensorDelegate(RgbImage image, ImageInputSpec input, Span<float> destination);

    [Fact]
    public void Contract_Binds()
    {
        Func<string, ImageDecodingOptions?, RgbImage> loadPath = RgbImage.Load;
        Func<Stream, ImageDecodingOptions?, RgbImage> loadStream = RgbImage.Load;
        Func<ReadOnlyMemory<byte>, ImageDecodingOptions?, RgbImage> decode = RgbImage.Decode;
        Func<int, int, ReadOnlyMemory<byte>, RgbImage> create = (w, h, rgb) => new RgbImage(w, h, rgb);
        Func<RgbImage, byte[]> encode = image => image.EncodePng();
        Action<RgbImage, string> save = (image, path) => image.SavePng(path);
        Func<RgbImage, (int, int, ReadOnlyMemory<byte>, RgbColor)> parts = image => (image.Width, image.Height, image.Pixels, image.GetPixel(0, 0));
        Func<RgbImage, SketchPreparation?, RgbImage> prepare = DshImaging.PrepareSketch;
        WriteTensorDelegate write = DshImaging.WriteTensor;
        Func<IReadOnlyList<RgbImage>, ImageInputSpec, Tensor> toTensor = DshImaging.ToTensor;
        Func<Stream, ImageDecodingOptions?, ImageFileInfo> identify = DshImaging.Identify;
        RgbColor photoPad = DshImaging.PhotoPadColor, sketchPad = DshImaging.SketchPadColor;
        ImageNormalization n = new(0.1f, 0.2f, 0.3f, 1f, 1f, 1f);
        (ImageNormalization photo, ImageNormalization sketch) = (ImageNormalization.Photo, ImageNormalization.Sketch);
        var preparation = new SketchPreparation { Invert = null, Threshold = (byte?)null };

        ISketchTokenExtractor extractor = new ContourTokenExtractor(new ContourTokenOptions());
        string name = extractor.Name;
        Func<RgbImage, RgbImage> extract = extractor.Extract;
        Func<Image<Rgb24>, Image<Rgb24>> extractImage = extractor.ExtractImage;
        using var folder = new TempFolder();
        var cache = new SketchTokenCache(folder.Path, extractor);
        Func<string, Image<Rgb24>> fromFile = cache.GetOrCreate;
        Func<Image<Rgb24>, Image<Rgb24>> fromImage = cache.GetOrCreate;

        AugmentationOptions none = AugmentationOptions.None, defaults = AugmentationOptions.Default;
        var augmenter = new ImageAugmenter(defaults);
        Func<Image<Rgb24>, Random, Image<Rgb24>> augmentPhoto = augmenter.AugmentPhoto, augmentSketch = augmenter.AugmentSketch;
        Func<Image<Rgb24>, Image<Rgb24>, Random, (Image<Rgb24> Photo, Image<Rgb24> Token)> both = augmenter.AugmentPhotoWithToken;

        Assert.NotNull(new object[] { loadPath, loadStream, decode, create, encode, save, parts, identify, extractImage, prepare, write, toTensor, photoPad, sketchPad, n, photo, sketch, preparation, name, extract, fromFile, fromImage, none, augmentPhoto, augmentSketch, both });
    }

    [Fact]
    public void GeneratedPicturesFlowIntoTheCompactNetwork()
    {
        using var scope = NewDisposeScope();
        DshArchitecture architecture = DshArchitecture.Compact(32);
        int s = architecture.SketchInputSize, p = architecture.PhotoInputSize;
        var random = new Random(5);
        var augmenter = new ImageAugmenter(AugmentationOptions.Default);
        var extractor = new ContourTokenExtractor();

        using Image<Rgb24> drawing = FromFunction(90, 70, (x, y) => Math.Abs(x - y) < 2 ? Grey(250) : Grey(5));   // white on black
        using Image<Rgb24> sketch = DshImaging.PrepareSketch(drawing);
        using Image<Rgb24> sketchAug = augmenter.AugmentSketch(sketch, random);
        using Image<Rgb24> photo = DiscPhoto(120, 60, 55, 30, seed: 2);
        using Image<Rgb24> token = extractor.ExtractImage(photo);
        (Image<Rgb24> photoAug, Image<Rgb24> tokenAug) = augmenter.AugmentPhotoWithToken(photo, token, random);
        using (photoAug)
        using (tokenAug)
        {
            Tensor sketches = DshImaging.ToTensor(new[] { sketchAug }, new ImageInputSpec(s, DshImaging.SketchPadColor, ImageNormalization.Sketch));
            Tensor photos = DshImaging.ToTensor(new[] { photoAug }, new ImageInputSpec(p, DshImaging.PhotoPadColor, ImageNormalization.Photo));
            Tensor tokens = DshImaging.ToTensor(new[] { tokenAug }, new ImageInputSpec(s, DshImaging.SketchPadColor, ImageNormalization.Sketch));
            Assert.InRange(sketches.min().item<float>(), -1.01f, -0.5f);   // ink
            Assert.Equal(1f, sketches.max().item<float>(), 3);             // paper

            using var network = new DshNetwork(architecture);
            Assert.Equal(new long[] { 1, 32 }, network.EncodeSketch(sketches).shape);
            Assert.Equal(new long[] { 1, 32 }, network.EncodePhoto(photos, tokens).shape);
        }
    }
}
