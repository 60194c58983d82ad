using System.Text.Json.Nodes;
using Dsh.Hashing;

namespace Dsh.Cli.Tests.Support;

/// <summary>Writes the older two-file index (a version 1 index and its <c>.catalog.json</c>) the way earlier dsh releases did.</summary>
internal static class LegacyIndex
{
    public static void Write(string path, HammingIndex index, string model, IEnumerable<(long Id, string Path, string? Category)> items)
    {
        index.Save(path);
        var list = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["id"] = i.Id, ["path"] = i.Path, ["category"] = i.Category }).ToArray());
        var catalog = new JsonObject
        {
            ["format"] = "dsh-index-catalog",
            ["version"] = 1,
            ["bits"] = index.CodeLength,
            ["model"] = model,
            ["domain"] = "photo",
            ["items"] = list,
        };
        File.WriteAllText(path + ".catalog.json", catalog.ToJsonString());
    }
}
