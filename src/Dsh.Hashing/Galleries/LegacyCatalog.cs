using System.Text.Json;
using Dsh.Hashing.Indexes;

namespace Dsh.Hashing.Galleries;

/// <summary>
/// Reads the pair older <c>dsh</c> versions wrote instead of a gallery: a version 1 index file <c>INDEX</c>
/// and its catalog <c>INDEX.catalog.json</c> (format "dsh-index-catalog", version 1: <c>bits</c>, <c>model</c>,
/// <c>domain</c> and <c>items</c> of <c>{ id, path, category }</c>, camelCase). Keys become the catalog's
/// (absolute) paths, an empty category none, an empty model or domain unset; <see cref="GalleryProperties.Root"/> stays unset.
/// </summary>
internal static class LegacyCatalog
{
    /// <summary>The largest catalog read, in bytes.</summary>
    private const long MaxBytes = int.MaxValue;

    /// <summary>The catalog path of an index file.</summary>
    public static string PathFor(string indexPath) => indexPath + ".catalog.json";

    /// <summary>Reads the catalog of <paramref name="indexPath"/> and checks it against the index's rows.</summary>
    /// <exception cref="InvalidDataException">The catalog is missing, malformed, or does not match the index.</exception>
    public static GalleryContents Read(string indexPath, CodeStore store)
    {
        string path = PathFor(indexPath);
        byte[] json;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxBytes)
            {
                throw new InvalidDataException($"The catalog '{path}' is {info.Length} bytes; at most {MaxBytes} are read.");
            }

            json = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new InvalidDataException($"'{indexPath}' is a version 1 Dsh index without its catalog ('{path}' is missing): it holds codes but no item keys, so it is not a gallery.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The catalog '{path}' is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            return Read(document.RootElement, path, indexPath, store);
        }
    }

    private static GalleryContents Read(JsonElement root, string path, string indexPath, CodeStore store)
    {
        if (root.ValueKind != JsonValueKind.Object
            || String(root, "format", path) != "dsh-index-catalog")
        {
            throw new InvalidDataException($"'{path}' is not a dsh index catalog (no \"format\": \"dsh-index-catalog\").");
        }

        int version = Number(root, "version", path) is long v and >= int.MinValue and <= int.MaxValue ? (int)v : -1;
        if (version != 1)
        {
            throw new InvalidDataException($"The catalog '{path}' has version {version}; version 1 is read.");
        }

        long codeLength = Number(root, "bits", path) ?? throw new InvalidDataException($"The catalog '{path}' has no \"bits\".");
        if (!Property(root, "items", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"The catalog '{path}' has no \"items\" list.");
        }

        int count = list.GetArrayLength();
        if (codeLength != store.CodeLength || count != store.Count)
        {
            throw Mismatch(indexPath, path, store, $"the catalog lists {count} items of {codeLength} bits");
        }

        var properties = new GalleryProperties
        {
            Model = Optional(String(root, "model", path)),
            Domain = Optional(String(root, "domain", path)),
        };

        // Rows follow the index; the catalog may list them in any order.
        var keys = new string[count];
        var categories = new string?[count];
        int index = 0;
        long maxId = -1;
        foreach (JsonElement entry in list.EnumerateArray())
        {
            string where = $"items[{index}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The catalog '{path}': {where} is not an object.");
            }

            long id = Number(entry, "id", path) ?? throw new InvalidDataException($"The catalog '{path}': {where} has no \"id\".");
            string key = String(entry, "path", path) ?? throw new InvalidDataException($"The catalog '{path}': {where} has no \"path\".");
            string? category = Optional(String(entry, "category", path));
            if (!store.TryGetSlot(id, out int row))
            {
                throw Mismatch(indexPath, path, store, $"{where} has id {id}, which the index does not hold");
            }

            if (keys[row] is not null)
            {
                throw new InvalidDataException($"The catalog '{path}' lists id {id} twice.");
            }

            string? problem = GalleryText.Problem(key, GalleryItem.MaxKeyBytes) ?? (category is null ? null : GalleryText.Problem(category, GalleryItem.MaxCategoryBytes));
            if (problem is not null)
            {
                throw new InvalidDataException($"The catalog '{path}': the path or category of {where} (id {id}) {problem}.");
            }

            keys[row] = key;
            categories[row] = category;
            maxId = Math.Max(maxId, id);
            index++;
        }

        if (maxId == long.MaxValue)
        {
            throw new InvalidDataException($"The catalog '{path}' uses id {long.MaxValue}; gallery ids are below it.");
        }

        try
        {
            return new GalleryContents(store, keys, categories, Math.Max(0, maxId + 1), properties);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The catalog '{path}': {e.Message}", e);
        }
    }

    private static InvalidDataException Mismatch(string indexPath, string path, CodeStore store, string detail) =>
        new($"The index '{indexPath}' ({store.Count} codes of {store.CodeLength} bits) and its catalog '{path}' do not match: {detail}.");

    private static string? Optional(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>A property, by its camelCase name or any casing of it (as the catalog's writer read it).</summary>
    private static bool Property(JsonElement element, string name, out JsonElement value)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string? String(JsonElement element, string name, string path)
    {
        if (!Property(element, name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDataException($"The catalog '{path}': \"{name}\" is not a string.");
    }

    private static long? Number(JsonElement element, string name, string path)
    {
        if (!Property(element, name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)
            ? number
            : throw new InvalidDataException($"The catalog '{path}': \"{name}\" is not a whole number.");
    }
}
