using System.Text.Json.Nodes;
using Dsh.Data;

namespace Dsh.Cli.Reporting;

/// <summary>The <c>skipped</c> array of the commands' JSON: one <c>{"path", "reason"}</c> per file that was not used.</summary>
internal static class SkippedJson
{
    public static JsonArray Build(IEnumerable<SkippedFile> skipped) =>
        new(skipped.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["reason"] = s.Reason }).ToArray());
}
