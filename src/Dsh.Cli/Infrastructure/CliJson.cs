using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dsh.Cli;

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
