using Dsh.Data;
using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Data;

/// <summary>Every default extension is a format ImageSharp 2.1 identifies, so verification never rejects a good file.</summary>
public sealed class ImageFormatTests : IDisposable
{
    private readonly ImageTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void EachDefaultExtension_VerifiesWhenTheFileIsThatFormat()
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(10, 20, 30));
        _tree.Folder("sketches/cat");
        _tree.Folder("photos/cat");
        foreach (string extension in new SbirLoadOptions().Extensions)
        {
            image.Save(_tree[$"sketches/cat/s{extension}"]);
            image.Save(_tree[$"photos/cat/p{extension}"]);
        }

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"], new SbirLoadOptions { Strict = true });

        Assert.Equal(9, data.Sketches.Count);
        Assert.Equal(9, data.Photos.Count);
    }

    [Fact]
    public void TruncatedAndEmptyFiles_AreUnreadable()
    {
        string png = _tree.Png("sketches/cat/full.png");
        byte[] bytes = File.ReadAllBytes(png);
        File.WriteAllBytes(_tree["sketches/cat/cut.png"], bytes[..12]);
        File.WriteAllBytes(_tree["sketches/cat/zero.png"], []);
        _tree.Jpeg("photos/cat/p.jpg");

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"]);

        Assert.Equal(png, Assert.Single(data.Sketches).Path);
        Assert.Equal(["cut.png", "zero.png"], data.Report.SkippedFiles.Select(f => Path.GetFileName(f.Path)));
        Assert.All(data.Report.SkippedFiles, f => Assert.StartsWith(SkipReasons.UnreadableImage + ": ", f.Reason));
    }

    [Fact]
    public void A_valid_header_over_a_corrupt_body_and_a_file_over_the_limits_are_skipped_and_reported()
    {
        _tree.Folder("sketches/cat");
        using (var image = new Image<Rgb24>(120, 90, new Rgb24(10, 20, 30)))
        {
            image.Save(_tree["sketches/cat/ok.png"]);
            using var full = new MemoryStream();
            image.SaveAsPng(full);
            File.WriteAllBytes(_tree["sketches/cat/body.png"], full.ToArray()[..(int)(full.Length - 30)]);
        }
        File.WriteAllBytes(_tree["sketches/cat/bomb.png"], Dsh.Tests.Shared.HostileImages.PngClaiming(30_000, 30_000));
        _tree.Jpeg("photos/cat/p.jpg");

        SbirDataset data = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"]);

        Assert.Equal("ok.png", Path.GetFileName(Assert.Single(data.Sketches).Path));
        Assert.Equal(["body.png", "bomb.png"], data.Report.SkippedFiles.Select(f => Path.GetFileName(f.Path)));
        Assert.Contains("MaxPixels", data.Report.SkippedFiles[1].Reason);
        Assert.Same(ImageDecodingOptions.Default, data.Decoding);

        // A lower limit of the caller's refuses the 120x90 file too, and travels with the dataset to the trainer.
        _tree.Png("sketches/cat/small.png");
        var strictLimits = new ImageDecodingOptions { MaxPixels = 100 * 90 };
        var loaded = SbirDataset.FromFolders(_tree["sketches"], _tree["photos"], new SbirLoadOptions { Decoding = strictLimits });
        Assert.Equal("small.png", Path.GetFileName(Assert.Single(loaded.Sketches).Path));
        Assert.Equal(["body.png", "bomb.png", "ok.png"], loaded.Report.SkippedFiles.Select(f => Path.GetFileName(f.Path)));
        Assert.Contains("120x90", loaded.Report.SkippedFiles[2].Reason);
        Assert.Same(strictLimits, loaded.Decoding);
    }
}
