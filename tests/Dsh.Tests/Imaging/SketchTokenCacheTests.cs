using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static Dsh.Tests.Imaging.TestImages;

namespace Dsh.Tests.Imaging;

public sealed class SketchTokenCacheTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Counts the maps it computes; delegates to the contour extractor.</summary>
    private sealed class CountingExtractor(string name = "counting") : ISketchTokenExtractor
    {
        private readonly ContourTokenExtractor inner = new();
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public string Name { get; } = name;

        public RgbImage Extract(RgbImage photo)
        {
            Interlocked.Increment(ref calls);
            return inner.Extract(photo);
        }
    }

    private sealed class WrongSizeExtractor : ISketchTokenExtractor
    {
        public string Name => "wrong-size";

        public RgbImage Extract(RgbImage photo) => new(photo.Width + 1, photo.Height, new byte[3 * (photo.Width + 1) * photo.Height]);
    }

    private string Cache => folder.File("cache");

    private string SavePhoto(string name, int seed)
    {
        using Image<Rgb24> photo = DiscPhoto(64, 30, 33, 16, seed);
        string path = folder.File(name);
        photo.SaveAsPng(path);
        return path;
    }

    [Fact]
    public void SecondCall_ReadsTheFile_WithTheSamePixels()
    {
        string photo = SavePhoto("a.png", 1);
        var extractor = new CountingExtractor();
        var cache = new SketchTokenCache(Cache, extractor);
        using Image<Rgb24> first = cache.GetOrCreate(photo);
        Assert.Equal(1, extractor.Calls);
        Assert.True(File.Exists(cache.PathFor(photo)));
        Assert.StartsWith(cache.ExtractorDirectory, cache.PathFor(photo));
        using Image<Rgb24> second = cache.GetOrCreate(photo);
        using Image<Rgb24> fromAnotherInstance = new SketchTokenCache(Cache, extractor).GetOrCreate(photo);
        Assert.Equal(1, extractor.Calls);
        Assert.Equal(Pixels(first), Pixels(second));
        Assert.Equal(Pixels(first), Pixels(fromAnotherInstance));
        using Image<Rgb24> decoded = DshImaging.Load(photo);
        using Image<Rgb24> direct = new ContourTokenExtractor().ExtractImage(decoded);
        Assert.Equal(Pixels(direct), Pixels(second));
        Assert.Equal("counting\n", File.ReadAllText(Path.Combine(cache.ExtractorDirectory, "extractor.txt")));
    }

    [Fact]
    public void TheKeyIsTheContent_NotThePath()
    {
        string a = SavePhoto("a.png", 1), b = SavePhoto("b.png", 2);
        string copy = folder.File("copy-of-a.png");
        File.Copy(a, copy);
        var extractor = new CountingExtractor();
        var cache = new SketchTokenCache(Cache, extractor);
        cache.GetOrCreate(a).Dispose();
        cache.GetOrCreate(copy).Dispose();
        Assert.Equal(1, extractor.Calls);
        cache.GetOrCreate(b).Dispose();
        Assert.Equal(2, extractor.Calls);
        Assert.NotEqual(cache.PathFor(a), cache.PathFor(b));

        SavePhoto("a.png", 3);   // same path, new content
        cache.GetOrCreate(a).Dispose();
        Assert.Equal(3, extractor.Calls);
    }

    [Fact]
    public void TheKeyChangesWithTheExtractorName()
    {
        string photo = SavePhoto("a.png", 1);
        var one = new CountingExtractor("one");
        var two = new CountingExtractor("two");
        var cacheOne = new SketchTokenCache(Cache, one);
        var cacheTwo = new SketchTokenCache(Cache, two);
        cacheOne.GetOrCreate(photo).Dispose();
        cacheTwo.GetOrCreate(photo).Dispose();
        Assert.Equal((1, 1), (one.Calls, two.Calls));
        Assert.NotEqual(cacheOne.PathFor(photo), cacheTwo.PathFor(photo));
        Assert.NotEqual(cacheOne.ExtractorDirectory, cacheTwo.ExtractorDirectory);
        Assert.NotEqual(
            new SketchTokenCache(Cache, new ContourTokenExtractor()).ExtractorDirectory,
            new SketchTokenCache(Cache, new ContourTokenExtractor(ContourTokenOptions.Default with { StrokeRadius = 0 })).ExtractorDirectory);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("wrong-size")]
    public void ABadCacheFile_IsRecomputedAndReplaced(string damage)
    {
        string photo = SavePhoto("a.png", 1);
        var extractor = new CountingExtractor();
        var cache = new SketchTokenCache(Cache, extractor);
        Rgb24[] expected;
        using (Image<Rgb24> first = cache.GetOrCreate(photo))
        {
            expected = Pixels(first);
        }
        string file = cache.PathFor(photo);
        switch (damage)
        {
            case "garbage":
                File.WriteAllText(file, "not a png");
                break;
            case "truncated":
                byte[] bytes = File.ReadAllBytes(file);
                File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
                break;
            default:
                using (var small = new Image<Rgb24>(10, 10))
                {
                    small.SaveAsPng(file);
                }
                break;
        }
        using Image<Rgb24> again = cache.GetOrCreate(photo);
        Assert.Equal(2, extractor.Calls);
        Assert.Equal(expected, Pixels(again));
        using Image<Rgb24> repaired = DshImaging.Load(file);
        Assert.Equal(expected, Pixels(repaired));
    }

    [Fact]
    public void InMemoryPhotos_AreKeyedByTheirPixels()
    {
        var extractor = new CountingExtractor();
        var cache = new SketchTokenCache(Cache, extractor);
        using Image<Rgb24> photo = DiscPhoto(64, 30, 33, 16, 1);
        using Image<Rgb24> same = photo.Clone();
        cache.GetOrCreate(photo).Dispose();
        using Image<Rgb24> hit = cache.GetOrCreate(same);
        Assert.Equal(1, extractor.Calls);
        Assert.Equal((64, 64), (hit.Width, hit.Height));
        same[5, 7] = new Rgb24(0, 0, 0);
        cache.GetOrCreate(same).Dispose();
        Assert.Equal(2, extractor.Calls);
        // Same bytes, different shape: another key.
        using Image<Rgb24> wide = new(8, 2, new Rgb24(1, 2, 3));
        using Image<Rgb24> tall = new(2, 8, new Rgb24(1, 2, 3));
        Assert.NotEqual(cache.PathFor(wide), cache.PathFor(tall));
    }

    [Fact]
    public void ConcurrentCallers_AllGetTheMap_AndNoTemporaryFilesRemain()
    {
        string[] photos = { SavePhoto("a.png", 1), SavePhoto("b.png", 2) };
        var extractor = new CountingExtractor();
        var cache = new SketchTokenCache(Cache, extractor);
        var results = new Rgb24[16][];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using Image<Rgb24> map = cache.GetOrCreate(photos[i % 2]);
            results[i] = Pixels(map);
        });
        for (int i = 2; i < 16; i++)
        {
            Assert.Equal(results[i % 2], results[i]);
        }
        Assert.InRange(extractor.Calls, 2, 16);
        Assert.Equal(
            new[] { "extractor.txt", Path.GetFileName(cache.PathFor(photos[0])), Path.GetFileName(cache.PathFor(photos[1])) }.Order(),
            Directory.GetFiles(cache.ExtractorDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void BadPhotosAndBadExtractors_FailClearly()
    {
        var cache = new SketchTokenCache(Cache, new ContourTokenExtractor());
        Assert.Throws<FileNotFoundException>(() => cache.GetOrCreate(folder.File("missing.jpg")));
        string corrupt = folder.File("corrupt.jpg");
        File.WriteAllBytes(corrupt, new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3 });
        Assert.Contains(corrupt, Assert.Throws<InvalidDataException>(() => cache.GetOrCreate(corrupt)).Message);

        var wrong = new SketchTokenCache(Cache, new WrongSizeExtractor());
        Assert.Contains("65×64", Assert.Throws<InvalidOperationException>(() => wrong.GetOrCreate(SavePhoto("a.png", 1))).Message);
        Assert.Throws<ArgumentException>(() => new SketchTokenCache(Cache, new CountingExtractor(" ")));
    }
}
