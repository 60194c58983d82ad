namespace Dsh.Data;

/// <summary>
/// Reads the <c>&lt;root&gt;/&lt;category&gt;/…/&lt;files&gt;</c> layout: each visible sub-folder of the root is a category,
/// and every visible file under it (recursively) belongs to it. Names starting with '.' are ignored silently; a
/// folder that cannot be listed is reported; a linked folder seen before (a link loop) is not entered twice.
/// </summary>
internal static class CategoryFolderScanner
{
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public static void Scan(string root, ImageDomain domain, LoadCollector collector)
    {
        string full = RequireDirectory(root, domain == ImageDomain.Sketch ? "sketch root" : "photo root");
        foreach (string file in List(full, Directory.EnumerateFiles, collector))
        {
            if (!IsHidden(file))
            {
                collector.Skip(file, SkipReasons.OutsideCategoryFolder);
            }
        }
        foreach (string folder in List(full, Directory.EnumerateDirectories, collector).Order(StringComparer.Ordinal))
        {
            if (IsHidden(folder))
            {
                continue;
            }
            string category = Path.GetFileName(folder);
            collector.SeeCategory(domain, category);
            foreach (string file in VisibleFiles(folder, collector))
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

    private static List<string> VisibleFiles(string folder, LoadCollector collector)
    {
        var files = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            if (!visited.Add(RealPath(current)))
            {
                continue;
            }
            files.AddRange(List(current, Directory.EnumerateFiles, collector).Where(f => !IsHidden(f)));
            foreach (string sub in List(current, Directory.EnumerateDirectories, collector))
            {
                if (!IsHidden(sub))
                {
                    pending.Push(sub);
                }
            }
        }
        return files;
    }

    /// <summary>The entries of a folder, or none (and a report line) when it cannot be listed.</summary>
    private static List<string> List(string folder, Func<string, IEnumerable<string>> entries, LoadCollector collector)
    {
        try
        {
            return entries(folder).ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            collector.Skip(folder, SkipReasons.UnreadableFolder + ": " + e.Message);
            return [];
        }
    }

    private static string RealPath(string folder)
    {
        try
        {
            return new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);
        }
        catch (IOException)
        {
            return Path.GetFullPath(folder);
        }
    }

    private static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');
}
