namespace Dsh.Data;

/// <summary>The field names a manifest may use, and how their values read.</summary>
internal static class ManifestFields
{
    public const string Domain = "domain";
    public const string Category = "category";
    public const string Path = "path";
    public const string Split = "split";
    public const string Group = "group";

    public static readonly string[] Required = [Domain, Category, Path];
    public static readonly string[] All = [Domain, Category, Path, Split, Group];

    public static ImageDomain ParseDomain(string? value, string where) =>
        value?.Trim().ToLowerInvariant() switch
        {
            "sketch" => ImageDomain.Sketch,
            "photo" => ImageDomain.Photo,
            _ => throw new InvalidDataException($"{where}: domain must be 'sketch' or 'photo', not '{value}'."),
        };

    /// <summary>The split a row asks for, or <see langword="null"/> for the domain's default.</summary>
    public static SbirSplit? ParseSplit(string? value, ImageDomain domain, string where)
    {
        string text = value?.Trim().ToLowerInvariant() ?? "";
        return (domain, text) switch
        {
            (_, "") => null,
            (ImageDomain.Sketch, "train") => SbirSplit.Train,
            (ImageDomain.Sketch, "query") => SbirSplit.Query,
            (ImageDomain.Photo, "gallery" or "train") => SbirSplit.Gallery,
            (ImageDomain.Sketch, _) => throw new InvalidDataException($"{where}: a sketch's split must be 'train' or 'query', not '{value}'."),
            _ => throw new InvalidDataException($"{where}: a photo's split must be 'gallery' (photos are both trained on and searched), not '{value}'."),
        };
    }
}
