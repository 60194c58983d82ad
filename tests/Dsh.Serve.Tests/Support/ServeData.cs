using System.Text.Json;
using Dsh.Cli;
using Dsh.Hashing;

namespace Dsh.Serve.Tests.Support;

/// <summary>
/// A small model and a gallery made once for every test: the compact profile, 16 bits, 1 epoch on the bundled training
/// data (quality is not what these tests check), and a gallery of the 70 bundled test photos. Each server gets its own
/// copy (<see cref="NewCopy"/>), so adds and uploads never leak between tests.
/// </summary>
public sealed class ServeData : IDisposable
{
    private readonly TempFolder _folder = new("dsh-serve-data-");

    public ServeData()
    {
        ModelPath = _folder.Combine("model.dshm");
        string train = Path.Combine(TestPaths.PacsMini, "train");
        Run("train", "--sketches", Path.Combine(train, "sketch"), "--photos", Path.Combine(train, "photo"), "--bits", "16", "--profile", "compact",
            "--epochs", "1", "--seed", "5", "--out", ModelPath);
        PhotosSource = _folder.Combine("photos");
        CopyFolder(Path.Combine(TestPaths.PacsMini, "test", "photo"), PhotosSource);
        GallerySource = _folder.Combine("photos.dshi");
        Run("index", "build", "--model", ModelPath, "--photos", PhotosSource, "--out", GallerySource);
    }

    public string ModelPath { get; }

    /// <summary>The gallery as built (root: <see cref="PhotosSource"/>); copy it with <see cref="NewCopy"/> before serving.</summary>
    public string GallerySource { get; }

    public string PhotosSource { get; }

    /// <summary>A fresh copy of the photos and the gallery in <paramref name="folder"/>: (gallery file, photos root).</summary>
    public (string Gallery, string PhotosRoot) NewCopy(TempFolder folder)
    {
        string photos = folder.Combine("photos");
        CopyFolder(PhotosSource, photos);
        string gallery = folder.Combine("photos.dshi");
        File.Copy(GallerySource, gallery);
        // As a gallery moved to a server: its keys stay relative, its recorded root is the new folder.
        Gallery.Update(gallery, g => g.Properties = g.Properties with { Root = photos });
        return (gallery, photos);
    }

    /// <summary>What <c>dsh search --json</c> answers for a sketch: (id, distance) in rank order.</summary>
    public IReadOnlyList<(long Id, int Distance)> CliSearch(string gallery, string sketch, int k)
    {
        string json = Run("search", "--model", ModelPath, "--index", gallery, "--sketch", sketch, "-k", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("distance").GetInt32())).ToList();
    }

    public void Dispose() => _folder.Dispose();

    private static string Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = DshCli.Run(args, stdout, stderr, CancellationToken.None, interactive: false);
        if (code != 0)
        {
            throw new InvalidOperationException($"dsh {string.Join(' ', args)} failed with {code}: {stderr}");
        }
        return stdout.ToString();
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>The tests that share <see cref="ServeData"/> (run one class at a time: each starts its own server).</summary>
[CollectionDefinition(Name)]
public sealed class ServeCollection : ICollectionFixture<ServeData>
{
    public const string Name = "dsh serve";
}
