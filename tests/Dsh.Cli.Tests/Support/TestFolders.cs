namespace Dsh.Cli.Tests.Support;

/// <summary>A temporary folder deleted on dispose, and a small copy of the bundled pacs-mini data.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates an empty folder under the temp path.</summary>
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dsh-cli-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder (parent folders created).</summary>
    public string Combine(params string[] parts)
    {
        string path = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Creates a file with <paramref name="bytes"/> and returns its path.</summary>
    public string File(string name, byte[] bytes)
    {
        string path = Combine(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Creates a folder and returns its path.</summary>
    public string Folder(params string[] parts)
    {
        string path = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The repository and its bundled data.</summary>
public static class Repo
{
    /// <summary>The repository root (the folder holding Dsh.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>samples/data/pacs-mini.</summary>
    public static string PacsMini => Path.Combine(Root, "samples", "data", "pacs-mini");

    /// <summary>
    /// Copies a small pacs-mini subset into <paramref name="folder"/> in the same layout: 3 categories, per category
    /// 4 training sketches and 3 training photos, 3 test sketches and 3 test photos.
    /// </summary>
    public static string SmallSubset(TempFolder folder)
    {
        string root = folder.Folder("pacs-tiny");
        foreach (string category in new[] { "dog", "guitar", "house" })
        {
            foreach (var (split, domain, count) in new[] { ("train", "sketch", 4), ("train", "photo", 3), ("test", "sketch", 3), ("test", "photo", 3) })
            {
                string source = Path.Combine(PacsMini, split, domain, category);
                string target = Path.Combine(root, split, domain, category);
                Directory.CreateDirectory(target);
                foreach (string file in Directory.GetFiles(source).Order(StringComparer.Ordinal).Take(count))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
                }
            }
        }
        return root;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dsh.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Dsh.sln not found above " + AppContext.BaseDirectory);
    }
}
