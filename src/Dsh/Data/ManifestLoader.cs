namespace Dsh.Data;

/// <summary>Reads a CSV or JSON manifest into a <see cref="LoadCollector"/>, resolving paths against the manifest's folder.</summary>
internal static class ManifestLoader
{
    public static void Load(string manifestPath, LoadCollector collector)
    {
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"The manifest '{manifestPath}' does not exist.", manifestPath);
        }
        string extension = Path.GetExtension(manifestPath).ToLowerInvariant();
        List<ManifestRow> rows = extension switch
        {
            ".csv" => CsvManifestReader.Read(manifestPath),
            ".json" => JsonManifestReader.Read(manifestPath),
            _ => throw new ArgumentException($"The manifest '{manifestPath}' must end in .csv or .json.", nameof(manifestPath)),
        };
        string folder = Path.GetDirectoryName(manifestPath)!;
        foreach (ManifestRow row in rows)
        {
            ImageDomain domain = ManifestFields.ParseDomain(row.Domain, row.Where);
            string category = Required(row.Category, ManifestFields.Category, row.Where);
            string relative = Required(row.Path, ManifestFields.Path, row.Where);
            SbirSplit? split = ManifestFields.ParseSplit(row.Split, domain, row.Where);
            string? group = string.IsNullOrWhiteSpace(row.Group) ? null : row.Group.Trim();
            string file = Path.GetFullPath(Path.Combine(folder, relative.Trim().Replace('\\', '/')));
            if (!File.Exists(file))
            {
                collector.SeeCategory(domain, category);
                collector.Skip(file, SkipReasons.FileNotFound);
                continue;
            }
            collector.Add(domain, category, file, split, group);
        }
    }

    private static string Required(string? value, string field, string where)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidDataException($"{where}: '{field}' is missing or empty.");
        }
        return value.Trim();
    }
}
