namespace Dsh.Data;

/// <summary>
/// What loaders gather before a dataset is built: candidate files, files already skipped, and every category
/// name seen per domain (so an empty category folder is still reported).
/// </summary>
internal sealed class LoadCollector
{
    private readonly HashSet<string> _sketchCategories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _photoCategories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _extensions;

    /// <param name="source">Where the data comes from, for messages (roots or the manifest path).</param>
    /// <param name="options">Extensions, verification and strictness.</param>
    /// <exception cref="ArgumentException">The options list no extension.</exception>
    public LoadCollector(string source, SbirLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Extensions is null || options.Extensions.Count == 0 || options.Extensions.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("SbirLoadOptions.Extensions must list at least one extension, none blank.", nameof(options));
        }
        Source = source;
        Options = options;
        _extensions = new HashSet<string>(
            options.Extensions.Select(e => e.Trim().StartsWith('.') ? e.Trim() : "." + e.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    public string Source { get; }

    public SbirLoadOptions Options { get; }

    public List<LoadCandidate> Candidates { get; } = [];

    public List<SkippedFile> Skipped { get; } = [];

    public IReadOnlySet<string> CategoriesOf(ImageDomain domain) =>
        domain == ImageDomain.Sketch ? _sketchCategories : _photoCategories;

    public void SeeCategory(ImageDomain domain, string category) =>
        (domain == ImageDomain.Sketch ? _sketchCategories : _photoCategories).Add(category);

    public void Skip(string path, string reason) => Skipped.Add(new SkippedFile(path, reason));

    /// <summary>True when the file's extension is one of the options' image extensions (case-insensitive, dot optional in the options).</summary>
    public bool HasImageExtension(string path) => _extensions.Contains(System.IO.Path.GetExtension(path));

    /// <summary>Adds a file: skipped as a non-image when its extension is unknown, otherwise a candidate.</summary>
    public void Add(ImageDomain domain, string category, string path, SbirSplit? split = null, string? group = null)
    {
        SeeCategory(domain, category);
        if (!HasImageExtension(path))
        {
            Skip(path, SkipReasons.NotAnImageExtension);
            return;
        }
        Candidates.Add(new LoadCandidate(domain, category, path, split, group));
    }

    /// <summary>Renames a category in one domain (candidates and the seen set).</summary>
    public void RenameCategory(ImageDomain domain, string from, string to)
    {
        HashSet<string> seen = domain == ImageDomain.Sketch ? _sketchCategories : _photoCategories;
        if (seen.Remove(from))
        {
            seen.Add(to);
        }
        for (int i = 0; i < Candidates.Count; i++)
        {
            LoadCandidate c = Candidates[i];
            if (c.Domain == domain && c.Category == from)
            {
                Candidates[i] = c with { Category = to };
            }
        }
    }
}
