using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Tests.Data;

/// <summary>A temporary folder of tiny generated images (and broken files), deleted on dispose.</summary>
internal sealed class ImageTree : IDisposable
{
    public ImageTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "dsh-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>An 8×8 PNG; the shade makes files differ.</summary>
    public string Png(string relative, byte shade = 255)
    {
        string path = Prepare(relative);
        using var image = new Image<Rgb24>(8, 8, new Rgb24(shade, shade, shade));
        image.SaveAsPng(path);
        return path;
    }

    /// <summary>An 8×8 JPEG.</summary>
    public string Jpeg(string relative, byte shade = 128)
    {
        string path = Prepare(relative);
        using var image = new Image<Rgb24>(8, 8, new Rgb24(shade, 0, 0));
        image.SaveAsJpeg(path);
        return path;
    }

    /// <summary>Random bytes under an image name.</summary>
    public string Corrupt(string relative, int seed = 1)
    {
        string path = Prepare(relative);
        var bytes = new byte[64];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A text file.</summary>
    public string Text(string relative, string text = "not an image")
    {
        string path = Prepare(relative);
        File.WriteAllText(path, text);
        return path;
    }

    public string Folder(string relative)
    {
        string path = this[relative];
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Prepare(string relative)
    {
        string path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
