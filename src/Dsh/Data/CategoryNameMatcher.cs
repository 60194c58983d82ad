namespace Dsh.Data;

/// <summary>
/// Matches photo category folders to sketch category folders whose names differ only in case, '_', '-' or
/// white space (TU-Berlin writes <c>alarm clock</c>, photo sets often <c>alarm_clock</c>).
/// </summary>
internal static class CategoryNameMatcher
{
    /// <summary>Renames each unmatched photo category to the one sketch category with the same key, if there is exactly one.</summary>
    public static void AlignPhotoCategories(LoadCollector collector)
    {
        IReadOnlySet<string> sketchNames = collector.CategoriesOf(ImageDomain.Sketch);
        Dictionary<string, string[]> byKey = sketchNames
            .GroupBy(Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (string photoName in collector.CategoriesOf(ImageDomain.Photo).Order(StringComparer.Ordinal).ToArray())
        {
            if (sketchNames.Contains(photoName) || !byKey.TryGetValue(Key(photoName), out string[]? matches) || matches.Length != 1)
            {
                continue;
            }
            if (!collector.CategoriesOf(ImageDomain.Photo).Contains(matches[0]))
            {
                collector.RenameCategory(ImageDomain.Photo, photoName, matches[0]);
            }
        }
    }

    /// <summary>Lower case, with '_' and '-' read as spaces and runs of white space collapsed.</summary>
    internal static string Key(string name)
    {
        string[] words = name.ToLowerInvariant().Replace('_', ' ').Replace('-', ' ')
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words);
    }
}
