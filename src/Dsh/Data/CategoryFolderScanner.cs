namespace Dsh;

/// <summary>
/// Reads the <c>&lt;root&gt;/&lt;category&gt;/…/&lt;files&gt;</c> layout: each visible sub-folder of the root is a category,
/// and every visible file under it (recursively) belongs to it. Names starting with '.' are ignored silently.
/// </summary>
internal static class CategoryFolderScanner
{
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public static void Scan(string root, ImageDomain domain, LoadCollector collector)
    {
        string full = RequireDirectory(root, domain == ImageDomain.Sketch ? "sketch root" : "photo root");
        foreach (string file in Directory.EnumerateFiles(full))
        {
            if (!IsHidden(file))
            {
                collector.Skip(file, SkipReasons.OutsideCategoryFolder);
            }
        }
        foreach (string folder in Directory.EnumerateDirectories(full))
        {
            if (IsHidden(folder))
            {
                continue;
            }
            string category = Path.GetFileName(folder);
            collector.SeeCategory(domain, category);
            foreach (string file in VisibleFiles(folder))
            {
                collector.Add(domain, category, file);
            }
        }
    }

    /// <summary>The absolute path of an existing directory.</summary>
    /// <exception cref="DirectoryNotFoundException">It does not exist; the message names it and what it is.</exception>
    public static string RequireDirectory(string path, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The {what} '{full}' does not exist.");
        }
        return full;
    }

    private static IEnumerable<string> VisibleFiles(string folder)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            foreach (string file in Directory.EnumerateFiles(current))
            {
                if (!IsHidden(file))
                {
                    yield return file;
                }
            }
            foreach (string sub in Directory.EnumerateDirectories(current))
            {
                if (!IsHidden(sub))
                {
                    pending.Push(sub);
                }
            }
        }
    }

    private static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');
}
