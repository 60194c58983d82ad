namespace Dsh.Cli.Files;

/// <summary>
/// Gallery keys of image files: the path relative to the gallery's root with '/' between folders, so a gallery and its
/// photo folder move together to another machine; a file outside the root keeps its full path.
/// </summary>
internal static class GalleryKeys
{
    /// <summary>The key of <paramref name="file"/> under <paramref name="root"/> (null: no root, the full path).</summary>
    public static string For(string file, string? root)
    {
        string full = Path.GetFullPath(file);
        if (root is null)
        {
            return full;
        }
        string relative = Path.GetRelativePath(root, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? full
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The file a key names: the key itself when it is a full path, else resolved against <paramref name="root"/>.</summary>
    public static string PathOf(string key, string? root)
    {
        string native = key.Replace('/', Path.DirectorySeparatorChar);
        return Path.IsPathRooted(native) || root is null ? native : Path.GetFullPath(Path.Combine(root, native));
    }

    /// <summary>The folder every full-path key lies in (the deepest common one), or null when there is none.</summary>
    public static string? CommonFolder(IEnumerable<string> keys)
    {
        string[]? common = null;
        foreach (string key in keys)
        {
            if (!Path.IsPathRooted(key))
            {
                return null;
            }
            string[] parts = (Path.GetDirectoryName(key) ?? "").Split(Path.DirectorySeparatorChar);
            if (common is null)
            {
                common = parts;
                continue;
            }
            int same = 0;
            while (same < common.Length && same < parts.Length && common[same] == parts[same])
            {
                same++;
            }
            common = common[..same];
        }
        if (common is null || common.Length == 0)
        {
            return null;
        }
        string folder = string.Join(Path.DirectorySeparatorChar, common);
        return folder.Length == 0 ? Path.DirectorySeparatorChar.ToString() : folder;
    }
}
