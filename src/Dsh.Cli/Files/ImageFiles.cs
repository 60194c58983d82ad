namespace Dsh.Cli.Files;

/// <summary>Finds the image files a command works on: one file, or every image under a folder (recursively, in path order).</summary>
internal static class ImageFiles
{
    /// <summary>The extensions read as images (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tga", ".tif", ".tiff"];

    /// <summary>Whether <paramref name="path"/> has an image extension.</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The images at <paramref name="path"/>: the file itself (category = its folder's name), or every visible image
    /// under the folder, category = the first folder below it ("" for files directly in it).
    /// </summary>
    /// <param name="path">A file or a folder (checked to exist by the parser).</param>
    /// <param name="what">What the images are, for messages ("photo", "sketch").</param>
    /// <exception cref="InputDataException">No image is there.</exception>
    public static IReadOnlyList<ImageFile> Find(string path, string what)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            if (!IsImage(full))
            {
                throw new InputDataException($"'{full}' is not a {what} image (expected {string.Join(", ", Extensions)}).");
            }
            return [new ImageFile(full, System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(full)) ?? "")];
        }
        var files = new List<ImageFile>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        foreach (string file in Directory.EnumerateFiles(full, "*", options))
        {
            string relative = System.IO.Path.GetRelativePath(full, file);
            string[] parts = relative.Split(System.IO.Path.DirectorySeparatorChar);
            if (parts.Any(p => p.StartsWith('.')) || !IsImage(file))
            {
                continue;
            }
            files.Add(new ImageFile(file, parts.Length > 1 ? parts[0] : ""));
        }
        if (files.Count == 0)
        {
            throw new InputDataException($"No {what} images ({string.Join(", ", Extensions)}) under '{full}'.");
        }
        files.Sort((a, b) => StringComparer.Ordinal.Compare(a.Path, b.Path));
        return files;
    }
}
