using System.IO.Compression;
using System.Text;
using Dsh.Quality.QuickDraw;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Quality.Tests;

public class QuickDrawRastersTests
{
    private static float[] Raster(params (int X, int Y, float V)[] ink)
    {
        var raster = new float[QuickDrawRasters.Side * QuickDrawRasters.Side];
        foreach (var (x, y, v) in ink)
        {
            raster[y * QuickDrawRasters.Side + x] = v;
        }
        return raster;
    }

    [Fact]
    public void Render_puts_black_ink_on_white_with_the_inked_box_centred()
    {
        // A 2 × 1 stroke in the top-left corner: full ink at (0,0), half ink at (1,0).
        using var image = QuickDrawRasters.Render(Raster((0, 0, 1f), (1, 0, 0.5f)), canvas: 32, size: 32);
        // Box width 2, height 1 on a 32 canvas: offsets (32 − 2) / 2 = 15 and (32 − 1) / 2 = 15.
        Assert.Equal(new Rgb24(0, 0, 0), image[15, 15]);
        Assert.Equal(new Rgb24(128, 128, 128), image[16, 15]);
        int inked = 0;
        for (int y = 0; y < 32; y++)
        {
            for (int x = 0; x < 32; x++)
            {
                inked += image[x, y].R < 255 ? 1 : 0;
            }
        }
        Assert.Equal(2, inked);
    }

    [Fact]
    public void Render_scales_to_the_requested_size_and_rejects_bad_rasters()
    {
        using var image = QuickDrawRasters.Render(Raster((10, 10, 1f)), canvas: 32, size: 96);
        Assert.Equal(96, image.Width);
        Assert.Equal(96, image.Height);
        Assert.Throws<ArgumentException>(() => QuickDrawRasters.Render(new float[10], 32, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuickDrawRasters.Render(Raster(), 20, 32));
    }

    [Fact]
    public void ReadCategory_reads_ndjson_gz_lines_and_names_a_bad_line()
    {
        string dir = Directory.CreateTempSubdirectory("dsh-qd-").FullName;
        try
        {
            string good = "[" + string.Join(",", Enumerable.Range(0, 784).Select(i => i == 5 ? "1" : "0")) + "]";
            string shortLine = "[0,1]";
            Write(Path.Combine(dir, "cat.ndjson.gz"), good + "\n\n" + good + "\n");
            Write(Path.Combine(dir, "dog.ndjson.gz"), good + "\n" + shortLine + "\n");

            var cats = QuickDrawRasters.ReadCategory(dir, "cat");
            Assert.Equal(2, cats.Count);
            Assert.Equal(1f, cats[0][5]);
            Assert.Equal(1f, cats[0].Sum());
            var e = Assert.Throws<InvalidDataException>(() => QuickDrawRasters.ReadCategory(dir, "dog"));
            Assert.Contains("line 2", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_category_map_pairs_nine_distinct_classes_of_each_source()
    {
        var map = QuickDrawCifarCategories.Map;
        Assert.Equal(9, map.Count);
        Assert.Equal(9, map.Select(m => m.QuickDraw).Distinct().Count());
        Assert.Equal(9, map.Select(m => m.Cifar).Distinct().Count());
        Assert.Contains(("car", "automobile"), map);
        Assert.Contains(("cruise ship", "ship"), map);
        Assert.DoesNotContain(map, m => m.Cifar == "deer");
    }

    [Fact]
    public void The_equal_names_protocol_keeps_the_seven_categories_named_alike_in_map_order_and_names_its_files_apart()
    {
        var equal = QuickDrawCifarCategories.For(equalNamesOnly: true);
        Assert.Equal(["airplane", "bird", "cat", "dog", "frog", "horse", "truck"], equal.Select(m => m.Cifar));
        Assert.All(equal, m => Assert.Equal(m.QuickDraw, m.Cifar));
        Assert.Same(QuickDrawCifarCategories.Map, QuickDrawCifarCategories.For(equalNamesOnly: false));

        var keys = new Dictionary<string, string> { ["categories"] = "equal", ["trainPhotos"] = "210", ["galleryPhotos"] = "90" };
        QuickDrawCifarProtocol protocol = QuickDrawCifarProtocol.From(keys);
        Assert.True(protocol.EqualNamesOnly);
        Assert.Equal((210, 90), (protocol.TrainPhotos, protocol.GalleryPhotos));
        Assert.Equal("-categoriesequal-trainPhotos210-galleryPhotos90", protocol.Tag());
        Assert.False(QuickDrawCifarProtocol.From(new Dictionary<string, string>()).EqualNamesOnly);
        Assert.Equal("", QuickDrawCifarProtocol.From(new Dictionary<string, string>()).Tag());
        Assert.Throws<ArgumentException>(() => QuickDrawCifarProtocol.From(new Dictionary<string, string> { ["categories"] = "some" }));
    }

    private static void Write(string path, string text)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }
}
