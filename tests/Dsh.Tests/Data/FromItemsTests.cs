using Dsh.Data;
using Dsh.Imaging;

namespace Dsh.Tests.Data;

public sealed class FromItemsTests
{
    private readonly RgbImage _image = new(4, 4, new byte[48]);

    [Fact]
    public void InMemoryAndFileItems_KeepTheGivenOrder_PhotosDefaultToGallery()
    {
        SbirDataset data = SbirDataset.FromItems(
            ["zebra", "ant"],
            [SbirItem.FromImage(_image, 1), SbirItem.FromFile("/x/s.png", 0, SbirSplit.Query, "g")],
            [new SbirItem { Image = _image, Label = 0 }, SbirItem.FromFile("/x/p.jpg", 1, SbirSplit.Gallery)]);

        Assert.Equal(["zebra", "ant"], data.Categories);
        Assert.Same(_image, data.Sketches[0].Image);
        Assert.Equal(("/x/s.png", SbirSplit.Query, "g"), (data.Sketches[1].Path, data.Sketches[1].Split, data.Sketches[1].Group));
        Assert.All(data.Photos, p => Assert.Equal(SbirSplit.Gallery, p.Split));
        Assert.Single(data.QuerySketches);
        Assert.Single(data.TrainingSketches);
        Assert.True(data.Report.IsClean);
        Assert.Equal((2, 2, 2), (data.Report.CategoryCount, data.Report.SketchCount, data.Report.PhotoCount));
    }

    public static TheoryData<string, string[], SbirItem[], SbirItem[]> Invalid()
    {
        var image = new RgbImage(1, 1, new byte[3]);
        SbirItem ok = SbirItem.FromFile("/a.png", 0);
        return new()
        {
            { "At least one category", [], [], [] },
            { "appears twice", ["a", "a"], [], [] },
            { "categories[1] is null or blank", ["a", " "], [], [] },
            { "sketches[1]: exactly one of Path and Image", ["a"], [ok, new SbirItem { Label = 0 }], [] },
            { "photos[0]: exactly one of Path and Image", ["a"], [], [new SbirItem { Label = 0, Path = "/p.jpg", Image = image }] },
            { "sketches[0]: Path is blank", ["a"], [new SbirItem { Label = 0, Path = " " }], [] },
            { "sketches[0]: label 1 is outside the 1 categories", ["a"], [new SbirItem { Label = 1, Path = "/a.png" }], [] },
            { "photos[0]: label -1", ["a"], [], [new SbirItem { Label = -1, Path = "/a.png", Split = SbirSplit.Gallery }] },
            { "sketches[0]: a sketch's split must be Train or Query", ["a"], [new SbirItem { Label = 0, Path = "/a.png", Split = SbirSplit.Gallery }], [] },
            { "photos[0]: a photo's split must be Gallery", ["a"], [], [new SbirItem { Label = 0, Path = "/a.png", Split = SbirSplit.Query }] },
            { "split 7 is not a defined", ["a"], [new SbirItem { Label = 0, Path = "/a.png", Split = (SbirSplit)7 }], [] },
            { "sketches[0] is null", ["a"], [null!], [] },
        };
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidInput_ThrowsArgumentException_NamingTheItem(string message, string[] categories, SbirItem[] sketches, SbirItem[] photos)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => SbirDataset.FromItems(categories, sketches, photos));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ItemFactories_Validate()
    {
        Assert.ThrowsAny<ArgumentException>(() => SbirItem.FromFile("", 0));
        Assert.ThrowsAny<ArgumentException>(() => SbirItem.FromFile("/a.png", -1));
        Assert.ThrowsAny<ArgumentException>(() => SbirItem.FromImage(_image, 0, (SbirSplit)9));
        Assert.Throws<ArgumentNullException>(() => SbirItem.FromImage(null!, 0));
        SbirItem item = SbirItem.FromImage(_image, 2, SbirSplit.Gallery, "g");
        Assert.Equal((null, 2, SbirSplit.Gallery, "g"), (item.Path, item.Label, item.Split, item.Group));
    }
}
