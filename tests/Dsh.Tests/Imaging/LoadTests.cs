using Dsh.Imaging;
using Dsh.Tests.Support;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static Dsh.Tests.Imaging.TestImages;

namespace Dsh.Tests.Imaging;

public sealed class LoadTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static Image<Rgb24> Gradient() => FromFunction(12, 7, (x, y) => new Rgb24((byte)(x * 20), (byte)(y * 30), (byte)(100 + x + y)));

    [Theory]
    [InlineData("png")]
    [InlineData("bmp")]
    [InlineData("tga")]
    public void LosslessFormats_RoundTripExactly(string extension)
    {
        using Image<Rgb24> original = Gradient();
        string path = folder.File("image." + extension);
        original.Save(path);
        using Image<Rgb24> loaded = DshImaging.Load(path);
        Assert.Equal((12, 7), (loaded.Width, loaded.Height));
        Assert.Equal(Pixels(original), Pixels(loaded));
    }

    [Fact]
    public void Jpeg_RoundTripsClosely()
    {
        using Image<Rgb24> original = FromFunction(32, 24, (x, y) => new Rgb24((byte)(x * 6), (byte)(y * 8), 120));
        string path = folder.File("photo.jpg");
        original.Save(path, new JpegEncoder { Quality = 95 });
        using Image<Rgb24> loaded = DshImaging.Load(path);
        Rgb24[] a = Pixels(original), b = Pixels(loaded);
        int worst = a.Zip(b, (p, q) => Math.Max(Math.Abs(p.R - q.R), Math.Max(Math.Abs(p.G - q.G), Math.Abs(p.B - q.B)))).Max();
        Assert.InRange(worst, 0, 12);
    }

    [Fact]
    public void Stream_DecodesLikeAFile_AndGreyPngBecomesEqualChannels()
    {
        using var grey = new Image<L8>(3, 2);
        grey[0, 0] = new L8(10);
        grey[2, 1] = new L8(200);
        using var stream = new MemoryStream();
        grey.SaveAsPng(stream);
        stream.Position = 0;
        using Image<Rgb24> loaded = DshImaging.Load(stream);
        Assert.Equal(new Rgb24(10, 10, 10), loaded[0, 0]);
        Assert.Equal(new Rgb24(200, 200, 200), loaded[2, 1]);
        Assert.Equal(new Rgb24(0, 0, 0), loaded[1, 0]);
    }

    [Fact]
    public void Transparency_IsCompositedOverWhite()
    {
        using var rgba = new Image<Rgba32>(3, 1);
        rgba[0, 0] = new Rgba32(0, 0, 0, 0);        // fully transparent black → white
        rgba[1, 0] = new Rgba32(0, 0, 0, 255);      // opaque black stays black
        rgba[2, 0] = new Rgba32(0, 0, 255, 128);    // half-transparent blue over white → light blue
        string path = folder.File("alpha.png");
        rgba.SaveAsPng(path);
        using Image<Rgb24> loaded = DshImaging.Load(path);
        Assert.Equal(new Rgb24(255, 255, 255), loaded[0, 0]);
        Assert.Equal(new Rgb24(0, 0, 0), loaded[1, 0]);
        Rgb24 blend = loaded[2, 0];
        Assert.InRange(blend.R, 125, 129);
        Assert.InRange(blend.G, 125, 129);
        Assert.Equal(255, blend.B);
    }

    [Fact]
    public void Gif_GivesItsFirstFrame()
    {
        using var gif = new Image<Rgba32>(4, 4, new Rgba32(255, 0, 0));
        using (var second = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 255)))
        {
            gif.Frames.AddFrame(second.Frames.RootFrame);
        }
        string path = folder.File("anim.gif");
        gif.Save(path, new GifEncoder());
        using Image<Rgb24> loaded = DshImaging.Load(path);
        Assert.Equal(1, loaded.Frames.Count);
        Rgb24 p = loaded[1, 1];
        Assert.True(p.R > 200 && p.B < 50, $"expected the red first frame, got {p}");
    }

    [Fact]
    public void CorruptContent_IsInvalidDataNamingThePath()
    {
        using Image<Rgb24> original = Gradient();
        string path = folder.File("broken.png");
        using (var stream = new MemoryStream())
        {
            original.SaveAsPng(stream);
            byte[] bytes = stream.ToArray();
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());   // cut in the middle of the data
        }
        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void UnknownFormat_IsInvalidDataNamingThePath()
    {
        string path = folder.File("notes.png");
        File.WriteAllText(path, "this is not an image at all, just some text");
        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(path));
        Assert.Contains(path, e.Message);
        using var stream = new MemoryStream(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        Assert.Throws<InvalidDataException>(() => DshImaging.Load(stream));
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        string path = folder.File("nowhere/missing.jpg");
        var e = Assert.Throws<FileNotFoundException>(() => DshImaging.Load(path));
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void RealPacsFiles_Load()
    {
        string data = Path.Combine(Support.RepoPaths.Root, "..", "shared", "data", "pacs");
        string? sketch = Directory.Exists(data) ? Directory.EnumerateFiles(Path.Combine(data, "sketch", "dog")).Order().FirstOrDefault() : null;
        string? photo = Directory.Exists(data) ? Directory.EnumerateFiles(Path.Combine(data, "photo", "dog")).Order().FirstOrDefault() : null;
        if (sketch is null || photo is null)
        {
            return; // the shared data set is not on this machine
        }
        using Image<Rgb24> s = DshImaging.Load(sketch), p = DshImaging.Load(photo);
        Assert.True(s.Width > 0 && p.Width > 0);
    }
}
