namespace Dsh.Semantics;

/// <summary>
/// Turns category names into the lower-case words that are looked up in a word-vector file or WordNet:
/// split on white space, '_', '-', '(', ')', ',' and '/', drop stop-words ("the", "of", …) unless nothing else is left.
/// </summary>
internal static class CategoryWords
{
    private static readonly char[] Separators = [' ', '\t', '\r', '\n', '_', '-', '(', ')', ',', '/'];

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "of", "a", "an", "and", "or", "in", "on", "at", "for", "to", "with", "by", "from",
    };

    /// <summary>The words of one category name, lower-case, in order (may be empty for names made of separators).</summary>
    public static IReadOnlyList<string> Words(string category)
    {
        string[] all = category.ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        string[] content = all.Where(w => !StopWords.Contains(w)).ToArray();
        return content.Length > 0 ? content : all;
    }

    /// <summary>
    /// Checks a category list: not null, not empty, no null or blank names, no duplicates (ordinal).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="categories"/> is null.</exception>
    /// <exception cref="ArgumentException">Empty list, blank name or duplicate.</exception>
    public static string[] Validate(IReadOnlyList<string> categories, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(categories, parameterName);
        if (categories.Count == 0)
        {
            throw new ArgumentException("At least one category is needed.", parameterName);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var copy = new string[categories.Count];
        for (int i = 0; i < categories.Count; i++)
        {
            string? name = categories[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"Category {i} is null or blank.", parameterName);
            }
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Category \"{name}\" appears more than once (index {i}).", parameterName);
            }
            copy[i] = name;
        }
        return copy;
    }
}
