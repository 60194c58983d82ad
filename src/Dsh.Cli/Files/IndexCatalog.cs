using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dsh.Cli.Files;

/// <summary>
/// The sidecar of an index or code file, <c>&lt;file&gt;.catalog.json</c>: which image and category each id stands for,
/// the code length and the model that made the codes.
/// </summary>
internal sealed record IndexCatalog
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "dsh-index-catalog";

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Format version (1).</summary>
    public int Version { get; init; } = 1;

    /// <summary>Code length in bits.</summary>
    public int Bits { get; init; }

    /// <summary>Full path of the model that made the codes.</summary>
    public string Model { get; init; } = "";

    /// <summary>"photo" or "sketch".</summary>
    public string Domain { get; init; } = "photo";

    /// <summary>One entry per code, ids unique.</summary>
    public List<CatalogItem> Items { get; init; } = [];

    /// <summary>The sidecar path of <paramref name="indexPath"/>.</summary>
    public static string PathFor(string indexPath) => indexPath + ".catalog.json";

    /// <summary>Reads the sidecar of <paramref name="indexPath"/>.</summary>
    /// <exception cref="InputDataException">It is missing, not JSON, or not a catalog.</exception>
    public static IndexCatalog Load(string indexPath)
    {
        string path = PathFor(indexPath);
        if (!File.Exists(path))
        {
            throw new InputDataException($"The index catalog '{path}' is missing (dsh index build writes it next to the index).");
        }
        IndexCatalog? catalog;
        try
        {
            catalog = JsonSerializer.Deserialize<IndexCatalog>(File.ReadAllText(path), CliJson.Options);
        }
        catch (JsonException e)
        {
            throw new InputDataException($"The index catalog '{path}' is not valid JSON ({e.Message}).", e);
        }
        if (catalog is null || catalog.Format != FormatName || catalog.Items is null || catalog.Items.Any(i => i is null || i.Path is null))
        {
            throw new InputDataException($"'{path}' is not a dsh index catalog.");
        }
        if (catalog.Items.Select(i => i.Id).Distinct().Count() != catalog.Items.Count)
        {
            throw new InputDataException($"The index catalog '{path}' lists an id twice.");
        }
        return catalog;
    }

    /// <summary>Writes the sidecar of <paramref name="indexPath"/> (through a temporary file, then renamed).</summary>
    public void Save(string indexPath)
    {
        string path = PathFor(indexPath);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, CliJson.Indented));
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>One code of an <see cref="IndexCatalog"/>.</summary>
/// <param name="Id">The id in the index.</param>
/// <param name="Path">Full path of the image.</param>
/// <param name="Category">Category (folder name), "" when unknown.</param>
internal sealed record CatalogItem(long Id, string Path, string Category);

/// <summary>The JSON settings of every file and output of the CLI: camelCase names, no nulls dropped.</summary>
internal static class CliJson
{
    /// <summary>Compact output (one line).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Indented output.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
