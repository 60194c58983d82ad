using System.Text.Json;

namespace Dsh.Data;

/// <summary>Reads a JSON manifest: an array of objects with domain, category, path and optional split and group (names case-insensitive).</summary>
internal static class JsonManifestReader
{
    public static List<ManifestRow> Read(string path)
    {
        JsonDocument document;
        try
        {
            using FileStream stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: the manifest must be a JSON array of {{domain, category, path, split?, group?}} objects.");
            }
            var rows = new List<ManifestRow>();
            int index = 0;
            foreach (JsonElement entry in document.RootElement.EnumerateArray())
            {
                rows.Add(Row(entry, $"{path} entry {index++}"));
            }
            return rows;
        }
    }

    private static ManifestRow Row(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected an object, found {entry.ValueKind}.");
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (JsonProperty property in entry.EnumerateObject())
        {
            string name = property.Name.ToLowerInvariant();
            if (!ManifestFields.All.Contains(name))
            {
                throw new InvalidDataException($"{where}: unknown property '{property.Name}'; allowed: {string.Join(", ", ManifestFields.All)}.");
            }
            values[name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                _ => throw new InvalidDataException($"{where}: '{property.Name}' must be a string, not {property.Value.ValueKind}."),
            };
        }
        return new ManifestRow(where, Get(ManifestFields.Domain), Get(ManifestFields.Category), Get(ManifestFields.Path),
            Get(ManifestFields.Split), Get(ManifestFields.Group));

        string? Get(string name) => values.TryGetValue(name, out string? value) ? value : null;
    }
}
