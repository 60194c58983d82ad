using System.Globalization;
using System.Text;

namespace Dsh.Data;

/// <summary>What a loader kept, and what it skipped and why.</summary>
public sealed class DatasetLoadReport
{
    private const int ShownInSummary = 5;

    internal DatasetLoadReport(
        IReadOnlyList<SkippedFile> skippedFiles, IReadOnlyList<SkippedCategory> skippedCategories,
        int categoryCount, int sketchCount, int photoCount)
    {
        SkippedFiles = skippedFiles;
        SkippedCategories = skippedCategories;
        CategoryCount = categoryCount;
        SketchCount = sketchCount;
        PhotoCount = photoCount;
    }

    /// <summary>Files found but not used, ordered by path.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles { get; }

    /// <summary>Categories found but not used (present in one domain only, or empty), ordered by name.</summary>
    public IReadOnlyList<SkippedCategory> SkippedCategories { get; }

    /// <summary>Categories kept.</summary>
    public int CategoryCount { get; }

    /// <summary>Sketches kept.</summary>
    public int SketchCount { get; }

    /// <summary>Photos kept.</summary>
    public int PhotoCount { get; }

    /// <summary><see langword="true"/> when nothing was skipped. Hidden files (names starting with '.') are not counted.</summary>
    public bool IsClean => SkippedFiles.Count == 0 && SkippedCategories.Count == 0;

    internal DatasetLoadReport WithCounts(int categoryCount, int sketchCount, int photoCount) =>
        new(SkippedFiles, SkippedCategories, categoryCount, sketchCount, photoCount);

    /// <summary>A short summary: the counts, then the first few skipped files and categories.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{CategoryCount} categories, {SketchCount} sketches, {PhotoCount} photos");
        if (IsClean)
        {
            return text.Append("; nothing skipped").ToString();
        }
        text.Append(CultureInfo.InvariantCulture,
            $"; skipped {SkippedFiles.Count} file(s) and {SkippedCategories.Count} categor{(SkippedCategories.Count == 1 ? "y" : "ies")}");
        foreach (SkippedCategory category in SkippedCategories.Take(ShownInSummary))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  category '{category.Name}': {category.Reason}");
        }
        if (SkippedCategories.Count > ShownInSummary)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  … and {SkippedCategories.Count - ShownInSummary} more categories");
        }
        foreach (SkippedFile file in SkippedFiles.Take(ShownInSummary))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {file.Path}: {file.Reason}");
        }
        if (SkippedFiles.Count > ShownInSummary)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  … and {SkippedFiles.Count - ShownInSummary} more files");
        }
        return text.ToString();
    }
}
