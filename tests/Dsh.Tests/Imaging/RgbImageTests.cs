using Dsh.Hashing;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Tests.Shared;
using Dsh.Tests.Support;
using Dsh.Tests.Training;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static Dsh.Tests.Imaging.TestImages;

namespace Dsh.Tests.Imaging;

public sealed class RgbImageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Bytes(Image<Rgb24> image)
    {
        var bytes = new byte[3 * image.Width * image.Height];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    private static Image<Rgb24> Colourful(int width, int height) =>
        FromFunction(width, height, (x, y) => new Rgb24((byte)(x * 7), (byte)(y * 11), (byte)((x + y) * 3)));

    [Fact]
    public void Constructor_CopiesThePixels_RowMajorRgb()
    {
        byte[] rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
        var image = new RgbImage(3, 2, rgb);
        rgb[0] = 99;

        Assert.Equal((3, 2, 18), (image.Width, image.Height, image.Pixels.Length));
        Assert.Equal(1, image.Pixels.Span[0]);
        Assert.Equal(new RgbColor(1, 2, 3), image.GetPixel(0, 0));
        Assert.Equal(new RgbColor(10, 11, 12), image.GetPixel(0, 1));
        Assert.Equal(new RgbColor(16, 17, 18), image.GetPixel(2, 1));
        using Image<Rgb24> converted = image.ToImage();
        Assert.Equal(new Rgb24(13, 14, 15), converted[1, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.GetPixel(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.GetPixel(0, -1));
    }

    [Theory]
    [InlineData(0, 1, 0, "at least 1x1")]
    [InlineData(1, -2, 0, "at least 1x1")]
    [InlineData(2, 2, 11, "exactly 12 bytes")]
    [InlineData(2, 2, 13, "exactly 12 bytes")]
    [InlineData(100_000, 100_000, 0, "RgbImage.MaxPixels")]
    public void Constructor_RefusesBadSizes(int width, int height, int length, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new RgbImage(width, height, new byte[length]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Png_RoundTripsExactly_ThroughDecodeLoadAndSave()
    {
        using Image<Rgb24> original = Colourful(13, 9);
        string png = _folder.File("a.png");
        original.SaveAsPng(png);

        RgbImage fromFile = RgbImage.Load(png);
        RgbImage fromBytes = RgbImage.Decode(File.ReadAllBytes(png));
        using FileStream stream = File.OpenRead(png);
        RgbImage fromStream = RgbImage.Load(stream);
        Assert.Equal((13, 9), (fromFile.Width, fromFile.Height));
        Assert.Equal(Bytes(original), fromFile.Pixels.ToArray());
        Assert.Equal(Bytes(original), fromBytes.Pixels.ToArray());
        Assert.Equal(Bytes(original), fromStream.Pixels.ToArray());

        string saved = _folder.File("b.png");
        fromFile.SavePng(saved);
        Assert.Equal(Bytes(original), RgbImage.Load(saved).Pixels.ToArray());
        Assert.Equal(Bytes(original), RgbImage.Decode(fromFile.EncodePng()).Pixels.ToArray());
        // A slice of a larger buffer decodes too.
        byte[] padded = [0, 0, .. File.ReadAllBytes(png), 0];
        Assert.Equal(Bytes(original), RgbImage.Decode(padded.AsMemory(2, padded.Length - 3)).Pixels.ToArray());
    }

    [Fact]
    public void Jpeg_DecodesAsImageSharpDoes()
    {
        using Image<Rgb24> original = Colourful(20, 16);
        string jpeg = _folder.File("a.jpg");
        original.Save(jpeg, new JpegEncoder { Quality = 90 });
        using Image<Rgb24> reference = DshImaging.Load(jpeg);

        Assert.Equal(Bytes(reference), RgbImage.Load(jpeg).Pixels.ToArray());
        Assert.Equal(Bytes(reference), RgbImage.Decode(File.ReadAllBytes(jpeg)).Pixels.ToArray());
    }

    [Fact]
    public void BadInput_IsInvalidData_OrFileNotFound()
    {
        Assert.Throws<InvalidDataException>(() => RgbImage.Decode(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.Throws<InvalidDataException>(() => RgbImage.Decode(new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 }));
        Assert.Throws<InvalidDataException>(() => RgbImage.Decode(ReadOnlyMemory<byte>.Empty));
        Assert.Throws<FileNotFoundException>(() => RgbImage.Load(_folder.File("missing.png")));
        string garbage = _folder.File("garbage.png");
        File.WriteAllBytes(garbage, [9, 9, 9, 9, 9]);
        Assert.Contains("garbage.png", Assert.Throws<InvalidDataException>(() => RgbImage.Load(garbage)).Message);
    }

    [Fact]
    public void DecodingLimits_AreCheckedBeforeAnyPixelIsAllocated()
    {
        byte[] huge = HostileImages.PngClaiming(30000, 30000);
        var e = Assert.Throws<InvalidDataException>(() => RgbImage.Decode(huge));
        Assert.IsType<ImageLimitExceededException>(e.InnerException);
        Assert.Contains("MaxPixels", e.Message);

        byte[] small = HostileImages.PngOfBlackPixels(100, 100);
        Assert.Equal(100, RgbImage.Decode(small).Width);
        Assert.Throws<InvalidDataException>(() => RgbImage.Decode(small, new ImageDecodingOptions { MaxPixels = 9_999 }));
        Assert.Throws<InvalidDataException>(() => RgbImage.Decode(small, new ImageDecodingOptions { MaxEncodedBytes = small.Length - 1 }));
        using var stream = new MemoryStream(small);
        Assert.Throws<InvalidDataException>(() => RgbImage.Load(stream, new ImageDecodingOptions { MaxPixels = 9_999 }));
        string path = _folder.File("small.png");
        File.WriteAllBytes(path, small);
        Assert.Throws<InvalidDataException>(() => RgbImage.Load(path, new ImageDecodingOptions { MaxPixels = 9_999 }));
    }

    [Fact]
    public void ContourExtractor_OnRgbImage_EqualsTheImagePath_PixelForPixel()
    {
        using Image<Rgb24> photo = DiscPhoto(90, 40, 50, 25, seed: 4);
        var extractor = new ContourTokenExtractor();
        using Image<Rgb24> direct = extractor.ExtractImage(photo);

        RgbImage map = extractor.Extract(RgbImage.FromImage(photo));
        Assert.Equal((photo.Width, photo.Height), (map.Width, map.Height));
        Assert.Equal(Bytes(direct), map.Pixels.ToArray());
        Assert.Contains(map.Pixels.ToArray(), b => b < 128);   // it found strokes
    }

    [Fact]
    public void PrepareSketchAndTensors_OnRgbImage_EqualTheImagePath()
    {
        using Image<Rgb24> drawing = FromFunction(40, 30, (x, y) => Math.Abs(x - y) < 2 ? Grey(250) : Grey(5));
        RgbImage rgb = RgbImage.FromImage(drawing);
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(drawing);
        Assert.Equal(Bytes(prepared), DshImaging.PrepareSketch(rgb).Pixels.ToArray());

        var spec = new ImageInputSpec(24, DshImaging.SketchPadColor, ImageNormalization.Sketch);
        float[] expected = new float[spec.FloatsPerImage], actual = new float[spec.FloatsPerImage];
        DshImaging.WriteTensor(drawing, spec, expected);
        DshImaging.WriteTensor(rgb, spec, actual);
        Assert.Equal(expected, actual);
        using TorchSharp.torch.Tensor fromImages = DshImaging.ToTensor([drawing, drawing], spec);
        using TorchSharp.torch.Tensor fromRgb = DshImaging.ToTensor([rgb, rgb], spec);
        Assert.Equal(fromImages.data<float>().ToArray(), fromRgb.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => DshImaging.ToTensor(Array.Empty<RgbImage>(), spec));
    }
}

/// <summary>The model's public encoders on <see cref="RgbImage"/> and on encoded bytes.</summary>
public sealed class RgbImageModelEncodingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DshModel _model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    /// <summary>Counts its calls; draws a fixed diagonal line whatever the photo, so its maps differ from the contours'.</summary>
    private sealed class DiagonalExtractor : ISketchTokenExtractor
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "diagonal-test";

        public RgbImage Extract(RgbImage photo)
        {
            Interlocked.Increment(ref _calls);
            var rgb = new byte[3 * photo.Width * photo.Height];
            for (int y = 0; y < photo.Height; y++)
            {
                for (int x = 0; x < photo.Width; x++)
                {
                    byte v = Math.Abs(x - y) < 3 ? (byte)0 : (byte)255;
                    int i = 3 * (y * photo.Width + x);
                    rgb[i] = rgb[i + 1] = rgb[i + 2] = v;
                }
            }
            return new RgbImage(photo.Width, photo.Height, rgb);
        }
    }

    private string Write(string name, Image<Rgb24> image)
    {
        string path = _folder.File(name);
        image.SaveAsPng(path);
        image.Dispose();
        return path;
    }

    [Fact]
    public void EncodeSketch_FromRgbImage_Path_Bytes_And_Stream_Agree()
    {
        var random = new Random(5);
        for (int i = 0; i < 3; i++)
        {
            string path = Write($"s{i}.png", ShapeImages.Sketch(ShapeImages.Categories[i], 80, random));
            byte[] bytes = File.ReadAllBytes(path);
            BinaryCode fromPath = _model.EncodeSketch(path);

            Assert.Equal(fromPath, _model.EncodeSketch(RgbImage.Load(path)));
            Assert.Equal(fromPath, _model.EncodeSketch(bytes.AsMemory()));
            using var stream = new MemoryStream(bytes);
            Assert.Equal(fromPath, _model.EncodeSketch(stream));
            Assert.Equal(_model.EmbedSketch(path), _model.EmbedSketch(bytes.AsMemory()));
            Assert.Equal(_model.EmbedSketch(path), _model.EmbedSketch(RgbImage.Decode(bytes)));
        }
        Assert.Throws<InvalidDataException>(() => _model.EncodeSketch(new byte[] { 1, 2, 3 }.AsMemory()));
        Assert.Throws<InvalidDataException>(() => _model.EmbedSketch(HostileImages.PngClaiming(30000, 30000).AsMemory()));
    }

    [Fact]
    public void EncodePhoto_FromRgbImage_Path_And_Bytes_Agree()
    {
        _model.TokenExtractor = new ContourTokenExtractor();
        var random = new Random(6);
        for (int i = 0; i < 3; i++)
        {
            string path = Write($"p{i}.png", ShapeImages.Photo(ShapeImages.Categories[i], 80, random));
            BinaryCode fromPath = _model.EncodePhoto(path);
            Assert.Equal(fromPath, _model.EncodePhoto(RgbImage.Load(path)));
            Assert.Equal(fromPath, _model.EncodePhoto(File.ReadAllBytes(path).AsMemory()));
        }
        Assert.Throws<InvalidDataException>(() => _model.EncodePhoto(HostileImages.PngClaiming(30000, 30000).AsMemory()));
    }

    [Fact]
    public void EncodePhoto_UsesACustomExtractor_OnRgbImages()
    {
        var random = new Random(7);
        string[] paths = Enumerable.Range(0, 4).Select(i => Write($"c{i}.png", ShapeImages.Photo(ShapeImages.Categories[i], 80, random))).ToArray();
        _model.TokenExtractor = new ContourTokenExtractor();
        BinaryCode[] contourCodes = paths.Select(p => _model.EncodePhoto(RgbImage.Load(p))).ToArray();

        Assert.Equal(contourCodes, _model.EncodePhotos(paths).ToArray());
        IReadOnlyList<float[]> contourOutputs = _model.EmbedPhotoFiles(paths).Embeddings!;

        var custom = new DiagonalExtractor();
        _model.TokenExtractor = custom;
        BinaryCode[] customCodes = paths.Select(p => _model.EncodePhoto(RgbImage.Load(p))).ToArray();
        Assert.Equal(paths.Length, custom.Calls);
        // File and batch encoders go through the same extractor.
        Assert.Equal(customCodes[0], _model.EncodePhoto(paths[0]));
        Assert.Equal(customCodes, _model.EncodePhotos(paths).ToArray());
        Assert.True(custom.Calls >= 2 * paths.Length + 1);
        Assert.Equal(customCodes, _model.EncodePhotoFiles(paths).Codes.ToArray());

        // Other token maps reach the network: with the fixed diagonal instead of the contours, the outputs move.
        IReadOnlyList<float[]> customOutputs = _model.EmbedPhotoFiles(paths).Embeddings!;
        Assert.Contains(Enumerable.Range(0, paths.Length), i => !contourOutputs[i].SequenceEqual(customOutputs[i]));
    }
}
