namespace Dsh.WebDemo;

/// <summary>One searchable photo: its id in the index, its file and its category (the sub-folder name).</summary>
public sealed record GalleryPhoto(long Id, string Path, string Category)
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff",
    };

    /// <summary>The images under <paramref name="root"/> in a stable order (ordinal by relative path), ids 0, 1, ….
    /// Category: the first sub-folder; images directly in the root have the category "".</summary>
    public static IReadOnlyList<GalleryPhoto> Scan(string root)
    {
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(System.IO.Path.GetExtension(f)))
            .Select(f => System.IO.Path.GetRelativePath(root, f))
            .OrderBy(r => r, StringComparer.Ordinal)
            .ToList();
        var photos = new List<GalleryPhoto>(files.Count);
        foreach (string relative in files)
        {
            string[] parts = relative.Split(System.IO.Path.DirectorySeparatorChar);
            string category = parts.Length > 1 ? parts[0] : "";
            photos.Add(new GalleryPhoto(photos.Count, System.IO.Path.Combine(root, relative), category));
        }
        return photos;
    }

    /// <summary>The MIME type for serving the file.</summary>
    public string ContentType => System.IO.Path.GetExtension(Path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".bmp" => "image/bmp",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".tif" or ".tiff" => "image/tiff",
        _ => "application/octet-stream",
    };
}
